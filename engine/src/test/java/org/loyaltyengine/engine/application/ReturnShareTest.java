package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class ReturnShareTest {

    private static final BigDecimal ZERO = BigDecimal.ZERO;

    @Test
    void halfOfTheBasketTakesBackHalfOfThePointsRoundedDown() {
        // 2 coffees at 4.50 earned 22 points; one comes back.
        assertThat(ReturnShare.pointsToReverse(22, new BigDecimal("9.00"), ZERO, new BigDecimal("4.50"), 0, false))
                .isEqualTo(11);
        // 3 items at 1.00 earned 10 points; one comes back: 3.33 rounds down to 3.
        assertThat(ReturnShare.pointsToReverse(10, new BigDecimal("3.00"), ZERO, new BigDecimal("1.00"), 0, false))
                .isEqualTo(3);
    }

    @Test
    void returnsInStepsAddUpToWhatTheSaleEarned() {
        BigDecimal total = new BigDecimal("3.00");
        long first = ReturnShare.pointsToReverse(10, total, ZERO, BigDecimal.ONE, 0, false);
        long second = ReturnShare.pointsToReverse(10, total, BigDecimal.ONE, BigDecimal.ONE, first, false);
        long last = ReturnShare.pointsToReverse(10, total, new BigDecimal("2"), BigDecimal.ONE, first + second, true);
        assertThat(new long[] {first, second, last}).containsExactly(3, 3, 4);
        assertThat(first + second + last).isEqualTo(10);
    }

    @Test
    void anOfferBonusWhoseMinimumSpendIsNoLongerKeptGoesBackWhole() {
        // 2 x 7.50 with a 200-point bonus for 10 EUR: 222 points (22 of them the basket's); one item comes back.
        assertThat(ReturnShare.pointsToReverse(222, new BigDecimal("15.00"), ZERO, new BigDecimal("7.50"), 0, false,
                200)).as("the bonus and half the basket's points").isEqualTo(211);
        assertThat(ReturnShare.pointsToReverse(222, new BigDecimal("15.00"), ZERO, new BigDecimal("7.50"), 0, false,
                0)).as("a bonus still earned goes back in proportion, as before").isEqualTo(111);
        assertThat(ReturnShare.pointsToReverse(222, new BigDecimal("15.00"), new BigDecimal("7.50"),
                new BigDecimal("7.50"), 211, true, 200)).as("the rest with the last item").isEqualTo(11);
    }

    /**
     * Grocery 100 and electronics 100 with a double-points offer on grocery: 300 points, 100 of them the offer's.
     * The offer's points go back with the grocery, the others with the value.
     */
    @Test
    void aCategoryMultipliersPointsGoBackWithTheLinesOfItsCategory() {
        assertThat(ReturnShare.pointsToReverse(300, new BigDecimal("200.00"), ZERO, new BigDecimal("100.00"), 0,
                false, 0, 100, 100)).as("the grocery back: its 100 and its offer's 100").isEqualTo(200);
        assertThat(ReturnShare.pointsToReverse(300, new BigDecimal("200.00"), ZERO, new BigDecimal("100.00"), 0,
                false, 0, 100, 0)).as("the electronics back: the offer stays with the grocery kept").isEqualTo(100);
        assertThat(ReturnShare.pointsToReverse(300, new BigDecimal("200.00"), new BigDecimal("100.00"),
                new BigDecimal("100.00"), 100, true, 0, 100, 100)).as("then the rest").isEqualTo(200);
        assertThat(ReturnShare.pointsToReverse(300, new BigDecimal("200.00"), ZERO, new BigDecimal("50.00"), 0,
                false, 0, 100, 50)).as("half the grocery: half of both").isEqualTo(100);
    }

    @Test
    void aSaleThatEarnedNothingOrCostNothingTakesNothingBack() {
        assertThat(ReturnShare.pointsToReverse(0, new BigDecimal("9.00"), ZERO, new BigDecimal("4.50"), 0, false))
                .isZero();
        assertThat(ReturnShare.pointsToReverse(5, ZERO, ZERO, ZERO, 0, false)).isZero();
        assertThat(ReturnShare.pointsToReverse(5, ZERO, ZERO, ZERO, 0, true)).isEqualTo(5);
    }
}
