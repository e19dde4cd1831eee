package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Which slot an email of no account or a card's claim is counted in. The counting itself is the database's (the row
 * of the slot, under its lock): {@code AccessMatrixIT} and the reliability suite's {@code sign-in-locks} check, over
 * two instances, try it.
 */
class FailedAttemptsTest {

    private static final byte[] KEY = "a key derived from the signing key".getBytes(StandardCharsets.UTF_8);

    @Test
    void aNameIsCountedInOneSlotOfTheTable() {
        int slot = FailedAttempts.slot(KEY, "nobody@example.org");

        assertThat(FailedAttempts.slot(KEY, "nobody@example.org")).isEqualTo(slot);
        assertThat(slot).isBetween(0, FailedAttempts.SLOTS - 1);
    }

    @Test
    void instancesSharingTheSigningKeyCountAnEmailInTheSameSlotAndAnotherKeyChoosesOthers() {
        byte[] otherKey = "the key of another install".getBytes(StandardCharsets.UTF_8);
        int same = 0;
        for (int i = 0; i < 1_000; i++) {
            String email = "someone-" + i + "@example.org";
            assertThat(FailedAttempts.slot(KEY.clone(), email)).isEqualTo(FailedAttempts.slot(KEY, email));
            same += FailedAttempts.slot(otherKey, email) == FailedAttempts.slot(KEY, email) ? 1 : 0;
        }

        assertThat(same).as("emails whose slot does not depend on the key").isLessThan(5);
    }

    @Test
    void aHundredThousandEmailsAreSpreadOverTheSlots() {
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            slots.add(FailedAttempts.slot(KEY, "other-" + i + "@example.org"));
        }

        // 100,000 emails drawn at random into 2^20 slots share one in about 4,600 cases.
        assertThat(slots).hasSizeGreaterThan(94_000);
    }
}
