package org.loyaltyengine.engine.domain.offer;

/** What an offer earns when used, as the offer rules read it. */
public enum OfferKind {
    /** A number of bonus points once the basket reaches the minimum spend. */
    BONUS_POINTS,
    /** A multiplier on the points of one category's spend. */
    CATEGORY_MULTIPLIER
}
