package org.loyaltyengine.rules.decision;

/**
 * Points a rule awards on a purchase; the engine credits the sum and lists each award as an applied rule.
 *
 * @param rule   the stable, readable name of the rule that decided it ("coffee-bonus")
 * @param points how many points, positive
 */
public record PointsAward(String rule, long points) {

    public PointsAward {
        if (points <= 0) {
            throw new IllegalArgumentException("A points award must be positive, was " + points + " for " + rule);
        }
    }
}
