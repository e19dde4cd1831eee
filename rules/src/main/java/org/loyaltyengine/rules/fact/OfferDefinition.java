package org.loyaltyengine.rules.fact;

/**
 * An offer the programme's managers defined and that the incentive rules may give to a member: a rule that
 * matches it inserts an {@link org.loyaltyengine.rules.decision.OfferGrant} with its code. Only offers that are
 * active today are inserted, so a rule never grants a withdrawn offer.
 *
 * @param code     the offer's code in the programme ("WINBACK")
 * @param title    what the member and the cashier read ("200 bonus points on your next visit")
 * @param kind     {@code BONUS_POINTS} or {@code CATEGORY_MULTIPLIER}
 * @param category the category a multiplier applies to, {@code null} when the rule names it (a member's
 *                 favourite category, say)
 */
public record OfferDefinition(String code, String title, String kind, String category) {
}
