package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How many points a return takes back. After returns worth {@code v} of a sale worth {@code V} that earned
 * {@code P} points, {@code floor(P * v / V)} points have been taken back in all, and exactly {@code P} once every
 * line is back; each return takes the difference with what earlier returns took. So a partial return never takes
 * back more than its share, rounding favours the member on partial returns, and the fractions left are taken
 * back with the last item: the points of a sale returned in any number of steps add up to what it earned.
 */
final class ReturnShare {

    private ReturnShare() {
    }

    /**
     * @param earned         points the sale earned
     * @param saleTotal      the sale's value
     * @param valueBefore    value returned by earlier returns of the sale
     * @param value          value returned now
     * @param reversedBefore points taken back by earlier returns
     * @param everythingBack whether every line of the sale is back after this return
     */
    static long pointsToReverse(long earned, BigDecimal saleTotal, BigDecimal valueBefore, BigDecimal value,
                                long reversedBefore, boolean everythingBack) {
        return pointsToReverse(earned, saleTotal, valueBefore, value, reversedBefore, everythingBack, 0);
    }

    /**
     * As above, with {@code bonusLost} points of the sale's offer bonuses whose minimum spend what the customer
     * keeps no longer reaches: those go back whole, the rest of the points in proportion. A bonus earned by a basket
     * of at least 10 EUR is not kept, even in part, by a customer who brings back enough to keep less.
     */
    static long pointsToReverse(long earned, BigDecimal saleTotal, BigDecimal valueBefore, BigDecimal value,
                                long reversedBefore, boolean everythingBack, long bonusLost) {
        return pointsToReverse(earned, saleTotal, valueBefore, value, reversedBefore, everythingBack, bonusLost,
                0, 0);
    }

    /**
     * As above, with {@code apart} points of the sale that go back with certain lines rather than with the sale's
     * value (a category multiplier offer's award: the points it added on the coffee go back with the coffee), of
     * which {@code apartBack} have gone back with the lines returned so far, this return's included. A customer who
     * returns the multiplied goods does not keep their multiplier on what they keep, nor lose it on what they keep.
     */
    static long pointsToReverse(long earned, BigDecimal saleTotal, BigDecimal valueBefore, BigDecimal value,
                                long reversedBefore, boolean everythingBack, long bonusLost, long apart,
                                long apartBack) {
        long target;
        if (everythingBack) {
            target = earned;
        } else if (saleTotal.signum() == 0) {
            target = 0;
        } else {
            long bonus = Math.max(0, Math.min(earned, bonusLost));
            long separate = Math.max(0, Math.min(earned - bonus, apart));
            target = bonus + Math.min(separate, Math.max(0, apartBack))
                    + BigDecimal.valueOf(earned - bonus - separate).multiply(valueBefore.add(value))
                    .divide(saleTotal, 0, RoundingMode.FLOOR).longValueExact();
        }
        return Math.max(0, Math.min(earned, target) - reversedBefore);
    }
}
