package org.loyaltyengine.engine.domain.member;

/** Whether a member record is in use. */
public enum MemberStatus {
    /** The member's own account. */
    ACTIVE,
    /** A duplicate merged into another member, which now holds its cards and points. */
    MERGED,
    /** Closed at the member's request: personal data erased, the ledger kept as it was. */
    CLOSED
}
