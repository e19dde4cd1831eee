package org.loyaltyengine.rules.fact;

/**
 * A member asking to spend points, at a till or for a reward: the redemption rules may refuse it.
 *
 * @param points          the points to spend
 * @param rewardId        the reward asked for, or {@code null} when points pay for part of a sale
 * @param rewardTier      the lowest tier the reward is meant for, or {@code null}
 * @param availablePoints the member's spendable points before this redemption
 */
public record RedemptionRequest(long points, String rewardId, String rewardTier, long availablePoints) {
}
