package org.loyaltyengine.rules.decision;

/**
 * The base points of a purchase, derived once so that multipliers (tier bonuses, promotions) build on the same
 * figure. Not credited by itself: the base-earn rule also inserts a {@link PointsAward}.
 *
 * @param points the base points, zero or more
 */
public record BasePoints(long points) {
}
