package org.loyaltyengine.engine.domain.access;

/** What an account may do. */
public enum Role {
    /** A member, on their own data only ({@code /me}). */
    CUSTOMER,
    /** Runs programmes: {@code /admin}. */
    MANAGER,
    /** Reads {@code /admin}, changes nothing. */
    AUDITOR,
    /** Everything a manager may, across programmes. */
    ADMIN
}
