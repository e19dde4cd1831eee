package org.loyaltyengine.engine.domain.access;

import java.time.Duration;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The failed attempts to sign in (or to use a reset code) on emails of no account that share one slot, counted as an
 * {@link Account}'s are: the {@code limit}-th in a row locks the slot's emails for a while, then the count starts
 * again. Which slot an email falls in is a keyed hash of it, chosen by the application.
 */
@Entity
@Table(name = "unknown_email_failures")
public class UnknownEmailFailures {

    @Id
    @Column(name = "slot")
    private int slot;

    @Column(name = "failures", nullable = false)
    private int failures;

    @Column(name = "locked_until")
    private Instant lockedUntil;

    protected UnknownEmailFailures() {
    }

    /** A slot no attempt has been counted in yet. */
    public UnknownEmailFailures(int slot) {
        this.slot = slot;
    }

    public int slot() {
        return slot;
    }

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    public Instant lockedUntil() {
        return lockedUntil;
    }

    /**
     * Counts a failed attempt, as {@link Account#attemptSignIn} does; a lock that has ended starts the count again.
     *
     * @return whether this attempt locked the slot
     */
    public boolean attempt(Instant now, int limit, Duration lockFor) {
        if (lockedUntil != null) {
            lockedUntil = null;
            failures = 0;
        }
        failures++;
        if (failures >= limit) {
            lockedUntil = now.plus(lockFor);
            failures = 0;
            return true;
        }
        return false;
    }
}
