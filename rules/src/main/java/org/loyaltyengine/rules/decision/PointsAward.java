package org.loyaltyengine.rules.decision;

/**
 * Points a rule awards on a purchase; the engine credits the sum and lists each award as an applied rule.
 * A negative award is a deduction (a {@link PointsCap} makes one); a purchase never earns below zero.
 *
 * <p>An award is at most {@link #MOST} points either way, as a manager's adjustment is: a rule that computes
 * more (a slip of a multiplier, a long where an amount was meant) fails as it runs, on the trial at publication
 * or on the sale, which then records nothing, instead of crediting points no balance or report can add up.
 *
 * @param rule   the stable, readable name of the rule that decided it ("coffee-bonus")
 * @param points how many points; never zero, at most {@link #MOST} either way
 */
public record PointsAward(String rule, long points) {

    /** The most points one award, and one purchase, may earn (or take back). */
    public static final long MOST = 10_000_000;

    public PointsAward {
        if (points == 0) {
            throw new IllegalArgumentException("A points award of zero points says nothing, for " + rule);
        }
        if (points > MOST || points < -MOST) {
            throw new IllegalArgumentException("An award of " + points + " points is beyond the " + MOST
                    + " a rule may award, for " + rule);
        }
    }
}
