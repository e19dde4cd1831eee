package org.loyaltyengine.rules.fact;

/**
 * One tier of the programme and the qualifying points from which a member reaches it.
 *
 * @param tier    the tier's code
 * @param rank    0 for the entry tier, higher for better tiers
 * @param minimum qualifying points needed to reach the tier
 */
public record TierThreshold(String tier, int rank, long minimum) {
}
