package org.loyaltyengine.engine.application;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.loyaltyengine.engine.domain.DomainException;

/**
 * The members a run over many (an expiry, a tier review, an offer grant) could not handle: each is counted and left
 * to the next run, so that one member a rule fails on, or whose row stays locked, does not keep the run from the
 * members after it, or from the programmes after theirs. Bounded, so that a fault of every member is not met once
 * per member: the database gone ({@code engine_busy} or {@code database_unavailable} once {@link BusyRetry} gave
 * up) stops the run at once, and so do {@link #IN_A_ROW} failures in a row (a rule that fails for everyone); only
 * the first failure is logged with its stack, then one line at each power of ten.
 */
final class MemberFailures {

    /** How many members in a row may fail before the run stops: past that, the fault is not the members'. */
    static final int IN_A_ROW = 20;

    private static final Logger LOG = Logger.getLogger(MemberFailures.class.getName());

    private final String run;
    private int count;
    private int inARow;
    private String first;

    /** @param run what the run is, for the log ("Expiry of DEMO as of 2026-12-06") */
    MemberFailures(String run) {
        this.run = run;
    }

    /** Records that a member was handled: the failures before it were the members' own. */
    void succeeded() {
        inARow = 0;
    }

    /**
     * Records that the member (its database id, for the log only) failed.
     *
     * @throws DomainException the failure itself when the database is gone, or {@code members_failing} (422) when
     *                         {@link #IN_A_ROW} members failed in a row: the run stops
     */
    void add(long memberId, RuntimeException e) {
        add(1, "member #" + memberId, e);
    }

    /** Records that several members failed together (a transaction of many); as {@link #add(long, RuntimeException)}. */
    void add(int members, String which, RuntimeException e) {
        if (e instanceof DomainException domain && domain.kind() == DomainException.Kind.BUSY) {
            throw e;
        }
        count += members;
        inARow += members;
        if (first == null) {
            first = String.valueOf(e.getMessage() == null ? e : e.getMessage());
            LOG.log(Level.WARNING, run + ": " + which + " failed and is left to the next run", e);
        } else if (Long.toString(count).matches("10*")) {
            LOG.warning(() -> run + ": " + count + " member(s) failed so far, left to the next run (the last: "
                    + which + ", " + e + ")");
        }
        if (inARow >= IN_A_ROW) {
            throw DomainException.unprocessable("members_failing", null, run + " stopped: " + inARow + " members"
                    + " failed in a row, " + count + " in all (the first: " + first + ")");
        }
    }

    /** Counts the members another part of the run already logged as failed (a transaction's own count). */
    void addDecided(int members, String why) {
        count += members;
        if (first == null && why != null) {
            first = why;
        }
    }

    int count() {
        return count;
    }

    /** Why the first failure happened, {@code null} when none did. */
    String first() {
        return first;
    }
}
