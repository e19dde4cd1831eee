package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/** How long after a redemption a till may still cancel it, and give its points back. */
class RedemptionCancelWindowTest {

    private static final LocalDate REDEEMED = LocalDate.of(2026, 12, 1);

    @Test
    void aTillCancelsARedemptionOnItsDayAndForThirtyDaysAfter() {
        assertThat(RedemptionRecorder.tooOldToCancel(REDEEMED, REDEEMED)).isEmpty();
        assertThat(RedemptionRecorder.tooOldToCancel(REDEEMED, REDEEMED.plusDays(30))).isEmpty();
        assertThat(RedemptionRecorder.tooOldToCancel(REDEEMED, REDEEMED.plusDays(31)))
                .hasValue("a till cancels one for 30 days");
    }
}
