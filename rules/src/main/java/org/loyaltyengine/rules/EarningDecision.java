package org.loyaltyengine.rules;

import java.util.List;
import java.util.Optional;

import org.loyaltyengine.rules.decision.PointsAward;
import org.loyaltyengine.rules.decision.TierStanding;

/**
 * What a rule set decided for one purchase: the awards in the order the rules made them, and the tier the
 * member's qualifying points reach once these awards count.
 *
 * @param ruleSet      the label of the rule set that decided, recorded on the ledger
 * @param awards       each rule's award
 * @param tierStanding the tier reached, empty when the rule set has no tier rules
 */
public record EarningDecision(String ruleSet, List<PointsAward> awards, Optional<TierStanding> tierStanding) {

    public EarningDecision {
        awards = List.copyOf(awards);
    }

    /** The points the purchase earns: the sum of the awards, never below zero. */
    public long totalPoints() {
        return Math.max(0, awards.stream().mapToLong(PointsAward::points).sum());
    }
}
