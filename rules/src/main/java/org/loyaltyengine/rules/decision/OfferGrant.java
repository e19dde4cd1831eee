package org.loyaltyengine.rules.decision;

import java.util.Objects;

/**
 * An incentive rule's choice of an offer for the member being decided. The engine gives it unless the member
 * already holds the offer or received it within its validity, or holds as many open offers as the programme
 * allows; grants beyond that cap are taken in the order the rules made them.
 *
 * @param offer    the offer's code
 * @param rule     the rule that chose it, recorded with the grant
 * @param category the category the offer applies to for this member (their favourite category, say), or
 *                 {@code null} for the offer's own
 */
public record OfferGrant(String offer, String rule, String category) {

    public OfferGrant {
        Objects.requireNonNull(offer, "offer");
        Objects.requireNonNull(rule, "rule");
    }

    public OfferGrant(String offer, String rule) {
        this(offer, rule, null);
    }
}
