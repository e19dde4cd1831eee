package org.loyaltyengine.rules.decision;

/**
 * The most points one purchase may earn. When several caps are decided the lowest holds; the points above it
 * are taken off the purchase's awards as one line named after the cap's rule (a negative share in
 * {@code appliedRules}), so the member sees why.
 *
 * @param rule    the capping rule's name
 * @param maximum the most points the purchase earns
 */
public record PointsCap(String rule, long maximum) {

    public PointsCap {
        if (maximum < 0) {
            throw new IllegalArgumentException("A cap is zero or more points, was " + maximum);
        }
    }
}
