package org.loyaltyengine.engine.domain.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class AccountTest {

    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void everyNewAccountHasASessionStampOfItsOwn() {
        Account first = customer();
        Account again = customer();

        assertThat(first.sessionStamp()).hasSize(22).isNotEqualTo(again.sessionStamp());
    }

    @Test
    void aNewPasswordEndsEverySessionSignedInBefore() {
        Account account = customer();
        String before = account.sessionStamp();

        account.changePassword("new-hash");

        assertThat(account.passwordHash()).isEqualTo("new-hash");
        assertThat(account.sessionStamp()).isNotEqualTo(before).hasSize(22);
    }

    @Test
    void aNewPasswordStartsTheFailedSignInsAgain() {
        Account account = customer();
        for (int i = 0; i < 4; i++) {
            account.failedLogin(NOW, 5, Duration.ofMinutes(15));
        }

        account.changePassword("new-hash");
        account.failedLogin(NOW, 5, Duration.ofMinutes(15));

        assertThat(account.lockedAt(NOW)).as("one failure since, not five").isFalse();
    }

    @Test
    void endingEverySessionKeepsThePassword() {
        Account account = customer();
        String before = account.sessionStamp();

        account.endSessions();

        assertThat(account.passwordHash()).isEqualTo("hash");
        assertThat(account.sessionStamp()).isNotEqualTo(before);
    }

    private static Account customer() {
        return new Account("Claire@Demo.local", "hash", Role.CUSTOMER, "DEMO", "m-claire");
    }
}
