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

    /** Derby's "Java exception": a Java exception thrown inside Derby while it ran a statement. */
    private static final String DERBY_JAVA_EXCEPTION = "XJ001";

    /** "No current connection": the connection was closed (on Derby, after an error of session severity). */
    private static final String CONNECTION_CLOSED = "08003";

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
     * Whether the database gave the transaction up and running it again may well succeed; nothing of it was written
     * (the exception rolled it back), so it may simply run again:
     * <ul>
     *   <li>to let others go on: a deadlock, a lock wait that timed out, a serialization failure (SQL states of
     *       class 40), or on Derby a sequence's next block of values it could not have at once ({@code X0Y84}; an
     *       identity column's says {@code 40XL1});</li>
     *   <li>on Derby, a statement whose plan another connection compiled again while it ran (see
     *       {@link #derbyPlanReplacedUnderIt});</li>
     *   <li>the connection was closed under it ({@code 08003}): nothing was sent to commit on it.</li>
     * </ul>
     */
    public static boolean transientConflict(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLTransactionRollbackException
                    || (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("40") || DERBY_SEQUENCE_CONTENTION.equals(sql.getSQLState())
                    || CONNECTION_CLOSED.equals(sql.getSQLState())))) {
                return true;
            }
        }
        return derbyPlanReplacedUnderIt(e);
    }

    /**
     * Derby compiles a statement again when its tables have grown enough that another plan may be better, and all
     * connections share the compiled statement. A connection already running the old plan can then read the new
     * plan's saved objects: Derby's {@code GenericActivationHolder.execute} no longer synchronises on the statement
     * (DERBY-5406), and the statement fails with an {@link IndexOutOfBoundsException} (or a
     * {@link NullPointerException}) inside Derby, reported as {@code XJ001}. Derby then rolls the transaction back
     * and closes the connection; the next run gets another connection and the new plan. Seen under 32 concurrent
     * sales on a database whose tables were still filling up.
     */
    static boolean derbyPlanReplacedUnderIt(Throwable e) {
        boolean javaException = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && DERBY_JAVA_EXCEPTION.equals(sql.getSQLState())) {
                javaException = true;
            }
            if (javaException && (cause instanceof IndexOutOfBoundsException || cause instanceof NullPointerException)
                    && cause.getStackTrace().length > 0
                    && cause.getStackTrace()[0].getClassName().startsWith("org.apache.derby.")) {
                return true;
            }
        }
        return false;
    }
}
