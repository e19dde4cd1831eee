package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The joining days whose anniversary a day is: what the hourly tier review asks the database for. */
class TierReviewAnniversariesTest {

    @Test
    void aDayIsTheAnniversaryOfTheSameDayInEveryPastYearSinceTheFirstMemberJoined() {
        assertThat(TierReviewService.anniversaries(LocalDate.of(2026, 12, 3), 2023)).containsExactly(
                LocalDate.of(2025, 12, 3), LocalDate.of(2024, 12, 3), LocalDate.of(2023, 12, 3));
        assertThat(TierReviewService.anniversaries(LocalDate.of(2026, 12, 3), 2026)).as("nobody joined a year ago")
                .isEmpty();
    }

    @Test
    void membersWhoJoinedOnTheTwentyNinthOfFebruaryHaveTheirsOnTheTwentyEighthInOtherYears() {
        assertThat(TierReviewService.anniversaries(LocalDate.of(2026, 2, 28), 2023)).containsExactly(
                LocalDate.of(2025, 2, 28), LocalDate.of(2024, 2, 28), LocalDate.of(2024, 2, 29),
                LocalDate.of(2023, 2, 28));
        assertThat(TierReviewService.anniversaries(LocalDate.of(2028, 2, 28), 2023)).as("2028 has its own 29th")
                .doesNotContain(LocalDate.of(2024, 2, 29));
        assertThat(TierReviewService.anniversaries(LocalDate.of(2028, 2, 29), 2019)).containsExactly(
                LocalDate.of(2024, 2, 29), LocalDate.of(2020, 2, 29));
    }

    /**
     * The scheduled review looks back for anniversaries no run reviewed (the engine was down that day): each joining
     * day is reviewed as of its anniversary within the days, never one outside them.
     */
    @Test
    void theDaysCaughtUpAreTheJoiningDaysOfEachWithTheirAnniversary() {
        Map<LocalDate, LocalDate> due = TierReviewService.anniversaries(LocalDate.of(2026, 11, 5),
                LocalDate.of(2026, 12, 6), 2024);

        assertThat(due).containsEntry(LocalDate.of(2025, 11, 5), LocalDate.of(2026, 11, 5))
                .containsEntry(LocalDate.of(2024, 11, 20), LocalDate.of(2026, 11, 20))
                .containsEntry(LocalDate.of(2025, 12, 6), LocalDate.of(2026, 12, 6))
                .doesNotContainKeys(LocalDate.of(2025, 11, 4), LocalDate.of(2025, 12, 7), LocalDate.of(2026, 11, 20))
                .hasSize(2 * 32);
        assertThat(TierReviewService.anniversaries(LocalDate.of(2027, 2, 27), LocalDate.of(2027, 3, 1), 2024))
                .as("the 29th of February's anniversary is the 28th in other years")
                .containsEntry(LocalDate.of(2024, 2, 29), LocalDate.of(2027, 2, 28))
                .containsEntry(LocalDate.of(2024, 3, 1), LocalDate.of(2027, 3, 1));
    }
}
