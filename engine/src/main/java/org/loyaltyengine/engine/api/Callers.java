package org.loyaltyengine.engine.api;

/** Who may call a resource method ({@link CalledBy}); {@link AccessFilter} checks the caller against it. */
enum Callers {

    /** Anyone, signed in or not: signing in, registering, asking for a password reset. */
    ANYONE,

    /** Anyone who holds a bearer token, customer or staff: signing out. */
    SIGNED_IN,

    /** A till, by its store's POS key. */
    TILLS,

    /** A customer, for their own account. */
    CUSTOMERS,

    /** Every staff member, auditors included: their own staff account. */
    STAFF,

    /** Programme managers and administrators; auditors for reads (GET, HEAD) only. */
    MANAGERS,

    /** Managers and administrators who are not bound to one programme: creating a programme. */
    MANAGERS_OF_EVERY_PROGRAMME
}
