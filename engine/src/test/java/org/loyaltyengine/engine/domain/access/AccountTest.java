package org.loyaltyengine.engine.domain.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
            account.attemptSignIn(NOW, 5, Duration.ofMinutes(15));
        }

        account.changePassword("new-hash");
        account.attemptSignIn(NOW, 5, Duration.ofMinutes(15));

        assertThat(account.lockedAt(NOW)).as("one failure since, not five").isFalse();
    }

    @Test
    void theFifthAttemptInARowLocksTheAccountUntilItsRightPasswordLiftsTheLock() {
        Account account = customer();
        for (int i = 0; i < 4; i++) {
            account.attemptSignIn(NOW, 5, Duration.ofMinutes(15));
        }
        assertThat(account.lockedAt(NOW)).as("four attempts counted").isFalse();

        account.attemptSignIn(NOW, 5, Duration.ofMinutes(15));

        assertThat(account.lockedAt(NOW)).as("while the fifth is checked, no other is").isTrue();
        assertThat(account.lockedAt(NOW.plus(Duration.ofMinutes(15)))).isFalse();
        account.succeededLogin();
        assertThat(account.lockedAt(NOW)).as("the fifth was the right password").isFalse();
        for (int i = 0; i < 4; i++) {
            account.attemptSignIn(NOW, 5, Duration.ofMinutes(15));
        }
        assertThat(account.lockedAt(NOW)).as("the count started again").isFalse();
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

    @Test
    void aDisabledAccountKeepsTheMomentItWasFirstDisabledUntilEnabled() {
        Account account = new Account("Ops@Example.org ", "hash", Role.MANAGER, "SHOP", null);

        account.disable(NOW);
        account.disable(NOW.plusSeconds(60));

        assertThat(account.email()).isEqualTo("ops@example.org");
        assertThat(account.isDisabled()).isTrue();
        assertThat(account.disabledAt()).isEqualTo(NOW);
        account.enable();
        assertThat(account.isDisabled()).isFalse();
        assertThat(account.disabledAt()).isNull();
    }

    @Test
    void aPasswordSetByAnAdministratorEndsALock() {
        Account account = new Account("ops@example.org", "old", Role.AUDITOR, null, null);
        for (int i = 0; i < 5; i++) {
            account.attemptSignIn(NOW, 5, Duration.ofMinutes(15));
        }
        assertThat(account.lockedAt(NOW)).isTrue();

        account.passwordSetByAdministrator("new");

        assertThat(account.passwordHash()).isEqualTo("new");
        assertThat(account.lockedAt(NOW)).isFalse();
    }

    @Test
    void aStaffMemberIsAppointedToAnotherRoleButACustomerIsNoStaff() {
        Account manager = new Account("m@example.org", "hash", Role.MANAGER, "SHOP", null);
        manager.appoint(Role.AUDITOR, null);
        assertThat(manager.role()).isEqualTo(Role.AUDITOR);
        assertThat(manager.programmeCode()).isNull();
        assertThat(manager.isStaff()).isTrue();

        Account customer = new Account("c@example.org", "hash", Role.CUSTOMER, "SHOP", "m-1");
        assertThat(customer.isStaff()).isFalse();
        assertThatThrownBy(() -> customer.appoint(Role.ADMIN, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> manager.appoint(Role.CUSTOMER, "SHOP")).isInstanceOf(IllegalArgumentException.class);
    }
}
