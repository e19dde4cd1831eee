package org.loyaltyengine.rules.decision;

/**
 * The tier a member's qualifying points reach, as the programme's tier rules decide it. The engine upgrades the
 * member at once when this is above the current tier; downgrades wait for the yearly review.
 *
 * @param tier the tier's code
 * @param rank the tier's rank (0 for the entry tier)
 */
public record TierStanding(String tier, int rank) {
}
