package org.loyaltyengine.engine.domain.ledger;

/** Where a change of points came from. */
public enum Channel {
    STORE, WEB, CALL_CENTRE, ADMIN, SYSTEM
}
