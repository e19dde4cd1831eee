package org.loyaltyengine.engine.domain.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class AttemptSlotTest {

    private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");
    private static final Duration LOCK = Duration.ofMinutes(15);

    @Test
    void theFifthFailureInARowLocksTheSlotForTheLockAndTheCountStartsAgainAfterIt() {
        AttemptSlot failures = new AttemptSlot(7);
        for (int i = 1; i < 5; i++) {
            assertThat(failures.attempt(NOW, 5, LOCK)).as("failure " + i).isFalse();
            assertThat(failures.lockedAt(NOW)).isFalse();
        }

        assertThat(failures.attempt(NOW, 5, LOCK)).isTrue();

        assertThat(failures.lockedAt(NOW.plus(LOCK).minusSeconds(1))).isTrue();
        assertThat(failures.lockedUntil()).isEqualTo(NOW.plus(LOCK));
        Instant after = NOW.plus(LOCK);
        assertThat(failures.lockedAt(after)).isFalse();
        for (int i = 1; i < 5; i++) {
            assertThat(failures.attempt(after, 5, LOCK)).as("failure " + i + " after the lock").isFalse();
        }
        assertThat(failures.lockedAt(after)).isFalse();
        assertThat(failures.attempt(after, 5, LOCK)).isTrue();
        assertThat(failures.lockedUntil()).isEqualTo(after.plus(LOCK));
    }
}
