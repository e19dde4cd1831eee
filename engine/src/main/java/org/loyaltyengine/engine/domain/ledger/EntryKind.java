package org.loyaltyengine.engine.domain.ledger;

/** What a ledger entry records. */
public enum EntryKind {
    /** Points earned on a purchase, as the rule set decided. */
    EARN,
    /** Points spent on a reward or as payment; a credit when a redemption is cancelled and they come back. */
    REDEEM,
    /** Earned points taken back because goods were returned. */
    RETURN_REVERSAL,
    /** Points that reached their expiry date unspent. */
    EXPIRY,
    /** A manual correction with its reason, positive or negative. */
    ADJUSTMENT,
    /** Points moved in from or out to another member record when duplicates were merged. */
    MERGE_TRANSFER,
    /** A change of tier, with its reason: no points move. */
    TIER_CHANGE
}
