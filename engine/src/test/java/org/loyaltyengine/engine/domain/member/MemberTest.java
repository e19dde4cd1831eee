package org.loyaltyengine.engine.domain.member;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeTerms;

class MemberTest {

    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");

    @Test
    void aNewMemberStartsInTheEntryTierAndMovesUpAtOnce() {
        Programme programme = demo();
        Member member = member(programme);

        assertThat(member.tierCode()).isEqualTo("BRONZE");
        assertThat(member.promoteTo(programme.tier("GOLD").orElseThrow(), NOW)).isTrue();
        assertThat(member.tierCode()).isEqualTo("GOLD");
    }

    @Test
    void promotingToALowerTierChangesNothing() {
        Programme programme = demo();
        Member member = member(programme);
        member.promoteTo(programme.tier("GOLD").orElseThrow(), NOW);

        assertThat(member.promoteTo(programme.tier("SILVER").orElseThrow(), NOW)).isFalse();
        assertThat(member.tierCode()).isEqualTo("GOLD");
    }

    @Test
    void theCashierSeesFirstNameAndInitial() {
        assertThat(member(demo()).displayName()).isEqualTo("Claire D.");
    }

    @Test
    void anInitialOutsideTheBasicAlphabetStaysWhole() {
        assertThat(Member.displayName("Ana", "\uD835\uDC9Clvarez")).as("a letter of two UTF-16 units")
                .isEqualTo("Ana \uD835\uDC9C.");
        assertThat(Member.displayName("Zoé", "E\u0301mond")).as("E and its accent as two characters")
                .isEqualTo("Zoé E\u0301.");
        assertThat(Member.displayName("Li", " wang")).isEqualTo("Li w.");
        assertThat(Member.displayName("Kim", null)).isEqualTo("Kim");
    }

    @Test
    void theYearlyReviewFallsOnTheNextAnniversaryOfJoining() {
        Member member = member(demo());

        assertThat(member.nextReviewOn(LocalDate.of(2026, 11, 23))).isEqualTo(LocalDate.of(2027, 3, 10));
        assertThat(member.nextReviewOn(LocalDate.of(2027, 3, 10))).isEqualTo(LocalDate.of(2028, 3, 10));
    }

    /** A run catching a missed anniversary up never reviews a member a second time, nor for a day before the last. */
    @Test
    void theYearlyReviewRunsOncePerDayAndNeverForADayBeforeTheLast() {
        Member member = member(demo());

        assertThat(member.reviewedOn(LocalDate.of(2027, 3, 10))).isTrue();
        assertThat(member.reviewedOn(LocalDate.of(2027, 3, 10))).as("the same day").isFalse();
        assertThat(member.reviewedOn(LocalDate.of(2027, 3, 9))).as("a day before").isFalse();
        assertThat(member.reviewedOn(LocalDate.of(2028, 3, 10))).as("the next year's").isTrue();
    }

    @Test
    void aMergedDuplicateHandsOverToTheMemberItWasMergedIntoAndCannotBeMergedTwice() {
        Programme programme = demo();
        Member keep = member(programme);
        Member duplicate = member(programme);
        duplicate.promoteTo(programme.tier("GOLD").orElseThrow(), NOW);

        assertThat(keep.hasMergedAccounts()).as("before the merge").isFalse();
        duplicate.mergeInto(keep, List.of());
        keep.keepBetterTierOf(duplicate, NOW);

        assertThat(duplicate.status()).isEqualTo(MemberStatus.MERGED);
        assertThat(keep.hasMergedAccounts()).as("its history now counts the duplicate's").isTrue();
        assertThat(duplicate.hasMergedAccounts()).isFalse();
        assertThat(duplicate.current()).isSameAs(keep);
        assertThat(keep.tierCode()).as("the better tier is kept").isEqualTo("GOLD");
        assertThatThrownBy(() -> duplicate.mergeInto(keep, List.of())).isInstanceOf(DomainException.class)
                .hasMessageContaining("was merged into");
        assertThatThrownBy(() -> keep.mergeInto(keep, List.of())).isInstanceOf(DomainException.class)
                .extracting(e -> ((DomainException) e).code()).isEqualTo("merge_invalid");
    }

    @Test
    void aDuplicateMergedInTurnHandsOverItsOwnDuplicatesToo() {
        Programme programme = demo();
        Member first = member(programme);
        Member second = member(programme);
        Member kept = member(programme);
        first.mergeInto(second, List.of());

        second.mergeInto(kept, List.of(first));

        assertThat(first.mergedInto()).as("one link to the account kept").contains(kept);
        assertThat(second.mergedInto()).contains(kept);
        assertThat(second.hasMergedAccounts()).as("it holds no account now").isFalse();
        assertThat(kept.hasMergedAccounts()).isTrue();
        Member other = member(programme);
        Member stranger = member(programme);
        stranger.mergeInto(other, List.of());
        assertThatThrownBy(() -> kept.mergeInto(member(programme), List.of(stranger)))
                .as("a duplicate of another member").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membersOfAnotherProgrammeCannotBeMerged() {
        Member one = member(demo());
        Member other = member(demo());

        assertThatThrownBy(() -> one.mergeInto(other, List.of())).isInstanceOf(DomainException.class)
                .hasMessageContaining("belongs to programme");
    }

    @Test
    void owedPointsAreRepaidFromNewPointsFirst() {
        Member member = member(demo());
        member.owe(250);

        assertThat(member.repay(100)).isEqualTo(100);
        assertThat(member.pointsOwed()).isEqualTo(150);
        assertThat(member.repay(400)).isEqualTo(150);
        assertThat(member.pointsOwed()).isZero();
    }

    private static Member member(Programme programme) {
        return new Member("m-1", programme, new PersonalDetails("claire@demo.local", "Claire", "Dubois", null),
                LocalDate.of(2024, 3, 10), NOW);
    }

    static Programme demo() {
        Programme programme = new Programme(new ProgrammeTerms("DEMO", "Demo", "EUR", 730, 0, new BigDecimal("0.01"),
                365, ZoneId.of("Europe/Paris")), NOW);
        programme.addTier("BRONZE", "Bronze", 0);
        programme.addTier("SILVER", "Silver", 1_000);
        programme.addTier("GOLD", "Gold", 5_000);
        return programme;
    }
}
