package org.loyaltyengine.engine.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.PersonalDetails;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeTerms;

class LedgerEntryTest {

    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    private static final Provenance TILL = new Provenance(Channel.STORE, "S001", "S001/T3", null, NOW);

    @Test
    void anEarnCreditsTheSumOfTheRulesAndAllOfItQualifies() {
        LedgerEntry earn = LedgerEntry.earn(member(), 1L, List.of(new AppliedRule("base-earn", 9),
                new AppliedRule("coffee-bonus", 9)), "DEMO v1", TILL, NOW);

        assertThat(earn.points()).isEqualTo(18);
        assertThat(earn.qualifyingPoints()).isEqualTo(18);
        assertThat(earn.ruleSet()).isEqualTo("DEMO v1");
        assertThat(earn.appliedRules()).extracting(AppliedRule::rule).containsExactly("base-earn", "coffee-bonus");
    }

    @Test
    void anAdjustmentNeedsAReasonAndADebitNeverQualifies() {
        Provenance noReason = new Provenance(Channel.ADMIN, null, "manager@demo.local", " ", NOW);
        Provenance reason = new Provenance(Channel.ADMIN, null, "manager@demo.local", "Goodwill", NOW);

        assertThatThrownBy(() -> LedgerEntry.adjustment(member(), 100, false, noReason, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LedgerEntry.adjustment(member(), -100, true, reason, NOW).qualifyingPoints()).isZero();
    }

    @Test
    void aRedemptionIsADebitThatDoesNotQualify() {
        LedgerEntry redeem = LedgerEntry.redeem(member(), 1L, 250, TILL, NOW);

        assertThat(redeem.points()).isEqualTo(-250);
        assertThat(redeem.kind()).isEqualTo(EntryKind.REDEEM);
        assertThat(redeem.qualifyingPoints()).isZero();
    }

    @Test
    void aLotGivesNoMoreThanRemainsOfIt() {
        LedgerEntry earn = LedgerEntry.earn(member(), 1L, List.of(new AppliedRule("base-earn", 100)), "DEMO v1", TILL,
                NOW);
        PointsLot lot = earn.openLot(LocalDate.of(2026, 11, 23), LocalDate.of(2028, 11, 22));

        assertThat(lot.consume(60)).isEqualTo(60);
        assertThat(lot.consume(60)).isEqualTo(40);
        assertThat(lot.remaining()).isZero();
    }

    @Test
    void aLotKeepsWhatTheExpiryTookApartFromWhatWasSpent() {
        LedgerEntry earn = LedgerEntry.earn(member(), 1L, List.of(new AppliedRule("base-earn", 100)), "DEMO v1",
                TILL, NOW);
        PointsLot lot = earn.openLot(LocalDate.parse("2026-11-23"), LocalDate.parse("2027-01-10"));
        lot.consume(30);

        assertThat(lot.lostBy(LocalDate.parse("2027-01-09"))).isZero();
        assertThat(lot.lostBy(LocalDate.parse("2027-01-10")))
                .as("due to expire, not yet taken by the hourly run").isEqualTo(70);
        assertThat(lot.expire()).isEqualTo(70);
        assertThat(lot.remaining()).isZero();
        assertThat(lot.lostBy(LocalDate.parse("2027-01-10"))).as("the 30 spent are not lost").isEqualTo(70);
    }

    private static Member member() {
        Programme programme = new Programme(new ProgrammeTerms("DEMO", "Demo", "EUR", 730, 0, new BigDecimal("0.01"),
                365, ZoneId.of("Europe/Paris")), NOW);
        programme.addTier("BRONZE", "Bronze", 0);
        return new Member("m-1", programme, new PersonalDetails("a@b.c", "A", "B", null), LocalDate.of(2026, 1, 1), NOW);
    }
}
