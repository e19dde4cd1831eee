package org.loyaltyengine.engine.application;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The members a run over many (an expiry, a tier review, an offer grant) could not handle: each is logged, counted
 * and left to the next run, so that one member a rule fails on, or whose row stays locked, does not keep the run
 * from the members after it, or from the programmes after theirs.
 */
final class MemberFailures {

    private static final Logger LOG = Logger.getLogger(MemberFailures.class.getName());

    private final String run;
    private int count;
    private String first;

    /** @param run what the run is, for the log ("Expiry of DEMO as of 2026-12-06") */
    MemberFailures(String run) {
        this.run = run;
    }

    /** Records that the member (its database id, for the log only) failed. */
    void add(long memberId, RuntimeException e) {
        add(1, "member #" + memberId, e);
    }

    /** Records that several members failed together (a transaction of many). */
    void add(int members, String which, RuntimeException e) {
        count += members;
        if (first == null) {
            first = String.valueOf(e.getMessage() == null ? e : e.getMessage());
        }
        LOG.log(Level.WARNING, run + ": " + which + " failed and is left to the next run", e);
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
