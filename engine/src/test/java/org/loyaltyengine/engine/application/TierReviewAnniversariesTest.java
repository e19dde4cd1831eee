package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

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
}
