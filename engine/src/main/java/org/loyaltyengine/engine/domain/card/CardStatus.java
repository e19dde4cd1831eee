package org.loyaltyengine.engine.domain.card;

/** Where a card is in its life. */
public enum CardStatus {
    /** Issued and usable at the till. */
    ACTIVE,
    /** Reported lost or stolen: refused at the till. */
    BLOCKED,
    /** Replaced by a new card that keeps the account: refused at the till, pointing at the new card. */
    REPLACED
}
