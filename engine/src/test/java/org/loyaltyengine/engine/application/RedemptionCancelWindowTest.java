package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * How long after a redemption a till may still cancel it, and give its points back; and how many of them come back
 * expired when it is cancelled late.
 */
class RedemptionCancelWindowTest {

    private static final LocalDate REDEEMED = LocalDate.of(2026, 12, 1);

    @Test
    void aTillCancelsARedemptionOnItsDayAndForThirtyDaysAfter() {
        assertThat(RedemptionRecorder.tooOldToCancel(REDEEMED, REDEEMED)).isEmpty();
        assertThat(RedemptionRecorder.tooOldToCancel(REDEEMED, REDEEMED.plusDays(30))).isEmpty();
        assertThat(RedemptionRecorder.tooOldToCancel(REDEEMED, REDEEMED.plusDays(31)))
                .hasValue("a till cancels one for 30 days");
    }

    @Test
    void pointsWhoseLotsExpiredSinceTheRedemptionComeBackExpiredAndAreCounted() {
        LocalDate today = REDEEMED.plusDays(60);
        List<PointsPosting.LotShape> lots = List.of(
                new PointsPosting.LotShape(120, REDEEMED.minusDays(300), REDEEMED.plusDays(10), 1L),
                new PointsPosting.LotShape(30, REDEEMED.minusDays(200), today, 2L),
                new PointsPosting.LotShape(50, REDEEMED.minusDays(100), today.plusDays(1), 3L));

        // A lot expires on its day: the first two are gone, the third is spendable until tomorrow.
        assertThat(RedemptionRecorder.expiredBy(lots, today)).isEqualTo(150);
        assertThat(RedemptionRecorder.expiredBy(lots, REDEEMED)).isZero();
    }
}
