package org.loyaltyengine.engine.application;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;

import jakarta.transaction.RollbackException;

/**
 * Recognises the database refusing a duplicate (a unique key) in whatever wrapping JPA and JTA give it: the sign
 * that another request, maybe on another engine instance, recorded the same thing first.
 */
public final class ConstraintViolations {

    /** Derby's "too much contention on sequence": its next block of values could not be had at once. */
    private static final String DERBY_SEQUENCE_CONTENTION = "X0Y84";

    private ConstraintViolations() {
    }

    static boolean causedBy(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLIntegrityConstraintViolationException
                    || cause instanceof RollbackException
                    || (cause instanceof SQLException sql && "23505".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the database gave the transaction up to let others go on: a deadlock, a lock wait that timed out, a
     * serialization failure (SQL states of class 40), or on Derby a sequence's next block of values it could not
     * have at once ({@code X0Y84}; an identity column's says {@code 40XL1}). Nothing of it was written (the
     * exception rolls the transaction back), so it may simply run again.
     */
    public static boolean transientConflict(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLTransactionRollbackException
                    || (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("40") || DERBY_SEQUENCE_CONTENTION.equals(sql.getSQLState())))) {
                return true;
            }
        }
        return false;
    }
}
