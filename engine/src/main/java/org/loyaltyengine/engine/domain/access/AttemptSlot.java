package org.loyaltyengine.engine.domain.access;

import java.time.Duration;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The failed attempts on what has no row of its own to count them in (a sign-in on an email of no account, the claim
 * of a card) that share one slot, counted as an {@link Account}'s failed sign-ins are: the {@code limit}-th in a row
 * locks the slot for a while, then the count starts again. Which slot a name falls in is a keyed hash of it, chosen
 * by the application.
 */
@Entity
@Table(name = "attempt_slot")
public class AttemptSlot {

    @Id
    @Column(name = "slot")
    private int slot;

    @Column(name = "failures", nullable = false)
    private int failures;

    @Column(name = "locked_until")
    private Instant lockedUntil;

    protected AttemptSlot() {
    }

    /** A slot no attempt has been counted in yet. */
    public AttemptSlot(int slot) {
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
