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
 * ({@link ConstraintViolations#derbyPlanReplacedUnderIt}) runs again the same way, on another connection.
 *
 * <p>The transaction must begin inside the call: a caller already in a transaction would retry inside a
 * transaction the database has rolled back.
 */
public final class BusyRetry {

    private static final Logger LOG = Logger.getLogger(BusyRetry.class.getName());

    /** How many times a transaction runs at most. */
    static final int ATTEMPTS = 4;

    private BusyRetry() {
    }

    /**
     * The transaction's result, after up to {@link #ATTEMPTS} runs.
     *
     * @throws DomainException {@code engine_busy} (503) when the database gave it up every time
     */
    public static <T> T call(Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (DomainException e) {
                throw e;
            } catch (RuntimeException e) {
                // Not only PersistenceException: EclipseLink's find and lazy loads throw its own DatabaseException.
                if (!ConstraintViolations.transientConflict(e)) {
                    throw e;
                }
                if (attempt == ATTEMPTS) {
                    throw busy(e);
                }
                retrying(attempt, e);
                pause(attempt);
            }
        }
    }

    /** The answer once every attempt was given up, logged (at INFO: the database is overloaded, not broken). */
    private static DomainException busy(RuntimeException last) {
        LOG.log(Level.INFO, () -> "The database gave up all " + ATTEMPTS + " attempts, answered 503 engine_busy: "
                + last);
        return DomainException.busy();
    }

    /**
     * Logged at FINE only: the database's way of letting concurrent transactions go on, not a fault. Derby's plan
     * race is a fault of Derby's, rare: logged at WARNING, with its stack, so that how often it happens is seen.
     */
    private static void retrying(int attempt, RuntimeException e) {
        if (ConstraintViolations.derbyPlanReplacedUnderIt(e)) {
            LOG.log(Level.WARNING, "Derby compiled a statement again while this transaction ran it (DERBY-5406);"
                    + " running the transaction again (attempt " + (attempt + 1) + " of " + ATTEMPTS + ")", e);
        } else if (LOG.isLoggable(Level.FINE)) {
            LOG.log(Level.FINE, "The database gave attempt " + attempt + " of " + ATTEMPTS + " up; running it again",
                    e);
        }
    }

    /** A short random pause, longer at each attempt, so that transactions that collided do not collide again. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 20L * attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
