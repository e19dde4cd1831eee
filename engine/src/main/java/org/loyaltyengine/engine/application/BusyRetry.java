package org.loyaltyengine.engine.application;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.loyaltyengine.engine.domain.DomainException;

/**
 * Runs a transaction again when the database gave it up to let others go on (a deadlock, a lock wait that timed
 * out; {@link ConstraintViolations#transientConflict}): nothing of it was written, so the caller need not see it.
 * On Derby, rows whose id is an identity column meet this when many transactions insert at once and the column's
 * block of values runs out: renewing the block then fails fast with a lock time-out (40XL1; a named sequence's
 * says X0Y84). An enrolment, a sign-up, a claim or a new card is then simply tried again instead of answering
 * 503, and the expiry, tier review and offer runs go on with the member (or chunk of members) instead of stopping
 * for all the rest. A sale that met Derby's race of a statement compiled again while it ran
 * ({@link ConstraintViolations#derbyPlanReplacedUnderIt}) runs again the same way, on another connection, and so
 * does a transaction that never had a working connection ({@link ConstraintViolations#noConnection}). One that
 * lost its connection on the way runs again only through {@link #callIdempotent}. A till's call through
 * {@link #callIdempotent} that waited out PostgreSQL's lock time-out ({@link ConstraintViolations#lockWaitTimedOut}:
 * the row's holder does not go on, such as an instance that froze) is answered 503 {@code engine_busy} at once: the
 * till has long given up waiting (it sends the sale again later), and the connection is freed for other tills.
 *
 * <p>The transaction must begin inside the call: a caller already in a transaction would retry inside a
 * transaction the database has rolled back.
 */
public final class BusyRetry {

    private static final Logger LOG = Logger.getLogger(BusyRetry.class.getName());

    /** How many times a transaction the database gave up runs at most. */
    static final int ATTEMPTS = 4;

    /**
     * How many times a transaction that lost its connection (or never had one) runs at most: enough for the pauses
     * between them to pass the pool's check of a connection (at most once a second) twice, so that a pool whose
     * connections all died at once has found it and opened new ones before the last run. With four runs, one sale
     * in about 19,000 still met dead connections every time while PostgreSQL ended them six times in a minute.
     */
    static final int CONNECTION_ATTEMPTS = 5;

    private BusyRetry() {
    }

    /**
     * The transaction's result, after up to {@link #ATTEMPTS} runs ({@link #CONNECTION_ATTEMPTS} when it has no
     * working connection).
     *
     * @throws DomainException {@code engine_busy} (503) when the database gave it up every time, or
     *                         {@code database_unavailable} (503) when no run had a working connection
     */
    public static <T> T call(Supplier<T> transaction) {
        return run(transaction, false);
    }

    /**
     * As {@link #call}, for what is recorded once however often it is sent (a sale, a return, a redemption: by its
     * receipt or key), or writes nothing (a quote, a look-up): it also runs again when the connection was lost
     * under it or the commit could not be completed ({@link ConstraintViolations#outcomeUnknown}), because a run
     * that went through is then found and answered, not done twice. With PostgreSQL restarting or failing over, a
     * till's sale waits for a new connection instead of failing.
     *
     * @throws DomainException {@code database_unavailable} (503) when the connection was lost every time
     */
    public static <T> T callIdempotent(Supplier<T> transaction) {
        return run(transaction, true);
    }

    private static <T> T run(Supplier<T> transaction, boolean idempotent) {
        // Whether an earlier run may have gone through: then the answer may not say that nothing was recorded.
        boolean mayHaveRun = false;
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (DomainException e) {
                throw e;
            } catch (RuntimeException e) {
                // Not only PersistenceException: EclipseLink's find and lazy loads throw its own DatabaseException.
                boolean noConnection = ConstraintViolations.noConnection(e);
                boolean lost = noConnection || ConstraintViolations.outcomeUnknown(e);
                if (!ConstraintViolations.transientConflict(e) && !(idempotent && lost)) {
                    throw e;
                }
                mayHaveRun |= lost && !noConnection;
                int attempts = lost ? CONNECTION_ATTEMPTS : ATTEMPTS;
                if (attempt >= attempts || idempotent && ConstraintViolations.lockWaitTimedOut(e)) {
                    throw lost ? unavailable(e, attempt, !mayHaveRun) : busy(e);
                }
                retrying(attempt, attempts, e, lost);
                pause(attempt, lost);
            }
        }
    }

    /** The answer once every attempt was given up, logged (at INFO: the database is overloaded, not broken). */
    private static DomainException busy(RuntimeException last) {
        LOG.log(Level.INFO, () -> (ConstraintViolations.lockWaitTimedOut(last) ? "A lock wait timed out"
                : "The database gave up all " + ATTEMPTS + " attempts") + ", answered 503 engine_busy: " + last);
        return DomainException.busy();
    }

    /** The answer once every attempt lost its connection: the database is down or unreachable. */
    private static DomainException unavailable(RuntimeException last, int attempts, boolean nothingRan) {
        LOG.log(Level.WARNING, () -> "No working database connection in " + attempts + " attempts, answered 503"
                + " database_unavailable: " + last);
        return DomainException.databaseUnavailable(nothingRan);
    }

    /**
     * Logged at FINE only: the database's way of letting concurrent transactions go on, not a fault. Derby's plan
     * race is a fault of Derby's, rare: logged at WARNING, with its stack, so that how often it happens is seen. A
     * lost connection is logged at INFO, without the stack: it comes with the database restarting, seen in its own
     * log.
     */
    private static void retrying(int attempt, int attempts, RuntimeException e, boolean lost) {
        if (ConstraintViolations.derbyPlanReplacedUnderIt(e)) {
            LOG.log(Level.WARNING, "Derby compiled a statement again while this transaction ran it (DERBY-5406);"
                    + " running the transaction again (attempt " + (attempt + 1) + " of " + attempts + ")", e);
        } else if (lost) {
            LOG.log(Level.INFO, () -> "The database connection was lost (" + rootMessage(e) + "); running the"
                    + " transaction again on another (attempt " + (attempt + 1) + " of " + attempts + ")");
        } else if (LOG.isLoggable(Level.FINE)) {
            LOG.log(Level.FINE, "The database gave attempt " + attempt + " of " + attempts + " up; running it again",
                    e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * A short random pause, longer at each attempt, so that transactions that collided do not collide again. After a
     * lost connection a longer one (0.1, 0.4, 0.9 and 1.6 s: 3 s in all), for the pool to find its dead connections
     * and open new ones, or the database to come back from a restart; with a little randomness, so that the
     * transactions that lost their connections together do not all come back at the same instant.
     */
    private static void pause(int attempt, boolean lost) {
        try {
            Thread.sleep(lost ? 100L * attempt * attempt + ThreadLocalRandom.current().nextLong(50)
                    : ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
