package org.loyaltyengine.engine.domain.claim;

/** Where a missing-points claim stands. */
public enum ClaimStatus {
    OPEN, APPROVED, REJECTED
}
