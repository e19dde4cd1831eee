package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.DomainException;

/**
 * A run over many members goes on past a member that fails, but not past a fault of them all: the database gone,
 * or members failing in a row (a rule that fails for everyone).
 */
class MemberFailuresTest {

    @Test
    void membersThatFailHereAndThereAreCountedAndTheRunGoesOn() {
        MemberFailures failures = new MemberFailures("Tier review of DEMO");
        for (int member = 1; member <= 100; member++) {
            if (member % 2 == 0) {
                failures.add(member, new IllegalStateException("rule tier-x failed for member " + member));
            } else {
                failures.succeeded();
            }
        }

        assertThat(failures.count()).isEqualTo(50);
        assertThat(failures.first()).isEqualTo("rule tier-x failed for member 2");
    }

    @Test
    void membersFailingInARowStopTheRun() {
        MemberFailures failures = new MemberFailures("Expiry of DEMO");
        for (int member = 1; member < MemberFailures.IN_A_ROW; member++) {
            failures.add(member, new IllegalStateException("locked"));
        }

        assertThatThrownBy(() -> failures.add(99, new IllegalStateException("locked")))
                .isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("members_failing"))
                .hasMessageContaining("20 members failed in a row");
    }

    @Test
    void theDatabaseGoneStopsTheRunAtOnce() {
        MemberFailures failures = new MemberFailures("Offer grants of DEMO");
        DomainException gone = DomainException.databaseUnavailable(true);

        assertThatThrownBy(() -> failures.add(1, gone)).isSameAs(gone);
        assertThat(failures.count()).isZero();
    }
}
