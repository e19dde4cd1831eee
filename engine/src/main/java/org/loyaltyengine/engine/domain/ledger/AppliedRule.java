package org.loyaltyengine.engine.domain.ledger;

/** One rule's share of an earn entry, as the contract's {@code appliedRules} lists it. */
public record AppliedRule(String rule, long points) {
}
