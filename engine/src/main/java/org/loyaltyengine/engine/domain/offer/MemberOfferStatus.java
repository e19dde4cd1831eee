package org.loyaltyengine.engine.domain.offer;

/** Where a member's offer stands. */
public enum MemberOfferStatus {
    /** Given and usable until its last day. */
    OPEN,
    /** Used by a sale: never usable again. */
    USED,
    /** Chosen by the rules but withheld, so that the offer's response can be measured against similar members. */
    HELD_OUT
}
