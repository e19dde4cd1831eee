package org.loyaltyengine.engine.domain.programme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import org.loyaltyengine.engine.domain.DomainException;

/**
 * Points spent for money pay whole amounts of the currency and no more than the purchase they pay for: a customer
 * is never charged points for a value rounded away, nor paid out more than the basket.
 */
class PointsForMoneyTest {

    @Test
    void pointsPayInStepsOfTheCurrencysSmallestUnit() {
        assertThat(programme("EUR", "0.01").pointsStep()).isEqualTo(1);
        assertThat(programme("EUR", "0.005").pointsStep()).as("2 points a cent").isEqualTo(2);
        assertThat(programme("EUR", "0.0125").pointsStep()).as("4 points 5 cents").isEqualTo(4);
        assertThat(programme("JPY", "0.01").pointsStep()).as("100 points a yen").isEqualTo(100);
        assertThat(programme("JPY", "1").pointsStep()).isEqualTo(1);
        assertThat(programme("KWD", "0.0005").pointsStep()).as("3 decimals: 2 points a fils").isEqualTo(2);
    }

    @Test
    void pointsThatWouldPayAPartOfTheSmallestUnitAreRefusedWithTheStepsThatPay() {
        Programme yen = programme("JPY", "0.01");

        DomainException refused = catchThrowableOfType(() -> yen.requirePayable(333, null, "points"),
                DomainException.class);

        assertThat(refused.code()).isEqualTo("redemption_not_whole");
        assertThat(refused.field()).isEqualTo("points");
        assertThat(refused.getMessage()).isEqualTo("333 points would pay 3.33 JPY, not a whole amount: in programme"
                + " YEN points pay in steps of 100 (1 JPY), e.g. 300 or 400");
        assertThatCode(() -> yen.requirePayable(300, null, "points")).doesNotThrowAnyException();
        assertThat(yen.valueOf(300)).isEqualByComparingTo("3");
    }

    @Test
    void pointsWorthMoreThanThePurchaseAreRefusedWithTheMostItTakes() {
        Programme euro = programme("EUR", "0.01");

        DomainException refused = catchThrowableOfType(() -> euro.requirePayable(1_000, new BigDecimal("4.50"),
                "redeemPoints"), DomainException.class);

        assertThat(refused.code()).isEqualTo("redemption_exceeds_total");
        assertThat(refused.field()).isEqualTo("redeemPoints");
        assertThat(refused.getMessage()).isEqualTo("1000 points would pay 10.00 EUR, more than the purchase's 4.50"
                + " EUR: at most 450 points on it");
        assertThatCode(() -> euro.requirePayable(450, new BigDecimal("4.50"), "redeemPoints"))
                .as("the whole basket").doesNotThrowAnyException();
        assertThatCode(() -> euro.requirePayable(0, new BigDecimal("4.50"), "redeemPoints")).doesNotThrowAnyException();
        assertThat(catchThrowableOfType(() -> programme("EUR", "0.005").requirePayable(1_000, new BigDecimal("4.51"),
                "redeemPoints"), DomainException.class).getMessage()).as("the most, in whole steps")
                .endsWith("at most 902 points on it");
    }

    private static Programme programme(String currency, String pointValue) {
        return new Programme(new ProgrammeTerms(currency.equals("JPY") ? "YEN" : "P" + currency, "Test", currency, 730,
                0, new BigDecimal(pointValue), 365, ZoneId.of("UTC")), Instant.parse("2026-12-01T00:00:00Z"));
    }
}
