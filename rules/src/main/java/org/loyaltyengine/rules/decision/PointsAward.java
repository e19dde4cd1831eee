package org.loyaltyengine.rules.decision;

/**
 * Points a rule awards on a purchase; the engine credits the sum and lists each award as an applied rule.
 * A negative award is a deduction (a {@link PointsCap} makes one); a purchase never earns below zero.
 *
 * @param rule   the stable, readable name of the rule that decided it ("coffee-bonus")
 * @param points how many points; never zero
 */
public record PointsAward(String rule, long points) {

    public PointsAward {
        if (points == 0) {
            throw new IllegalArgumentException("A points award of zero points says nothing, for " + rule);
        }
    }
}
