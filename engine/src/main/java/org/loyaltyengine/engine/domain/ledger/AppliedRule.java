package org.loyaltyengine.engine.domain.ledger;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** One rule's share of an earn entry, as the contract's {@code appliedRules} lists it. */
@Embeddable
public class AppliedRule {

    @Column(name = "rule_name", nullable = false, length = 100)
    private String rule;

    @Column(nullable = false)
    private long points;

    protected AppliedRule() {
    }

    public AppliedRule(String rule, long points) {
        this.rule = rule;
        this.points = points;
    }

    public String rule() {
        return rule;
    }

    public long points() {
        return points;
    }
}
