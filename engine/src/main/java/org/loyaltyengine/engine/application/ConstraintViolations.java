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

    /**
     * PostgreSQL's "lock not available": the statement waited for a lock longer than the connection's
     * {@code lock_timeout} (set by the data source: a transaction elsewhere holds a member's row and does not go
     * on, such as one of an instance that froze).
     */
    private static final String POSTGRESQL_LOCK_WAIT_TIMED_OUT = "55P03";

    /**
     * PostgreSQL's "idle-in-transaction session timeout": the session sat inside a transaction without a statement
     * for longer than the data source allows, and PostgreSQL ended it (and rolled the transaction back).
     */
    private static final String POSTGRESQL_IDLE_SESSION_ENDED = "25P03";

    /** Derby's "Java exception": a Java exception thrown inside Derby while it ran a statement. */
    private static final String DERBY_JAVA_EXCEPTION = "XJ001";

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
     * Whether the database refused a row because its unique key is taken (SQL state 23505 on Derby and
     * PostgreSQL alike), and nothing else: unlike {@link #causedBy}, a transaction rolled back for another reason
     * is not taken for a duplicate.
     */
    public static boolean duplicateKey(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the database refused a row that refers to one deleted at the same moment (SQL state 23503, a foreign
     * key, on Derby and PostgreSQL alike): a tier added to a programme as it was deleted, say.
     */
    public static boolean missingReference(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
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
     *       class 40; on PostgreSQL, whose lock waits are bounded by the data source's {@code lock_timeout},
     *       {@code 55P03}), or on Derby a sequence's next block of values it could not have at once
     *       ({@code X0Y84}; an identity column's says {@code 40XL1});</li>
     *   <li>on Derby, a statement whose plan another connection compiled again while it ran (see
     *       {@link #derbyPlanReplacedUnderIt});</li>
     *   <li>a transaction that never had a working connection ({@link #noConnection}).</li>
     * </ul>
     * A connection lost under a transaction ({@link #connectionLost}) is not among them: the loss may be reported
     * after the commit went through (Payara's local transaction sets auto-commit back after committing), so only
     * what is recorded once however often it is sent runs again ({@link BusyRetry#callIdempotent}). The pool checks
     * each connection it hands out instead ({@code DataSources}).
     */
    public static boolean transientConflict(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLTransactionRollbackException
                    || (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("40") || DERBY_SEQUENCE_CONTENTION.equals(sql.getSQLState())
                    || POSTGRESQL_LOCK_WAIT_TIMED_OUT.equals(sql.getSQLState())))) {
                return true;
            }
        }
        return derbyPlanReplacedUnderIt(e) || noConnection(e);
    }

    /**
     * Whether the statement waited for a lock for the whole of PostgreSQL's {@code lock_timeout} (the data source
     * sets it): whoever holds the row is not going on, so running the transaction again at once would wait as long
     * again.
     */
    public static boolean lockWaitTimedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && POSTGRESQL_LOCK_WAIT_TIMED_OUT.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The database's refusal of a value too long or too large for its column (SQL states {@code 22001}, a text longer
     * than its column, and {@code 22003}, a number out of its column's range, on Derby and PostgreSQL alike): an
     * input no check of the engine's caught. Null when it is not one; the other data exceptions of class {@code 22}
     * (a division by zero, a text that is not a number) are the engine's own faults.
     */
    public static SQLException valueRefused(Throwable e) {
        return withState(e, "22001", "22003");
    }

    /**
     * The database's refusal of a date or time it cannot hold (SQL states {@code 22007}, Derby's "date/time value
     * out of range", and {@code 22008}, a datetime field overflow): a day of the request before the year 1 or after
     * 9999 ({@code "-999999999-01-01"} is a valid ISO date). Null when it is not one.
     */
    public static SQLException dateRefused(Throwable e) {
        return withState(e, "22007", "22008");
    }

    /**
     * A day of the request the engine keeps (years 1 to 9999), checked before the database or the day's arithmetic
     * meets one it cannot hold.
     *
     * @param written the day as the request wrote it, for the message
     * @throws org.loyaltyengine.engine.domain.DomainException {@code invalid_date} (400) naming {@code field}
     */
    public static void requireKeptDay(java.time.LocalDate day, String field, String written) {
        if (day.getYear() < 1 || day.getYear() > 9999) {
            throw org.loyaltyengine.engine.domain.DomainException.invalid("invalid_date", field, written
                    + " is outside the years the engine keeps (1 to 9999)");
        }
    }

    /** The first SQL exception among the causes whose state is one of these; null when none is. */
    private static SQLException withState(Throwable e, String... states) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && java.util.List.of(states).contains(sql.getSQLState())) {
                return sql;
            }
        }
        return null;
    }

    /**
     * Whether the engine lost its connection to the database: a connection exception (SQL states of class
     * {@code 08}: closed, broken, refused) or the server ending the session (PostgreSQL's {@code 57P01} to
     * {@code 57P03}: shut down by an administrator or after a crash, or starting up; {@code 25P03}: ended after
     * sitting idle inside a transaction, as an instance that froze finds its sessions when it wakes up). Seen when
     * PostgreSQL restarts or fails over, or something between ends idle connections: every connection the pool
     * held is dead at once.
     * What the transaction did is unknown when the loss came at its commit.
     */
    public static boolean connectionLost(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLNonTransientConnectionException
                    || cause instanceof java.sql.SQLTransientConnectionException
                    || (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0")
                    || POSTGRESQL_IDLE_SESSION_ENDED.equals(sql.getSQLState())))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the transaction never had a working connection: the pool could not hand one out (Payara's
     * {@code ResourceAllocationException} "Error in allocating a connection") because the one it took was dead
     * (found so when the transaction enlisted it: an {@code XAException}, or the pool's own "physical connection is
     * not usable", a {@code ResourceException}), or no new one could be opened (a connection exception). The
     * transaction's first statement needs the connection, so nothing of it ran, and it may run again whatever it
     * does. So does a new connection whose {@code init-sql} found it closed
     * ({@link #initSqlOnADeadConnection}). A pool with every connection in use for its whole wait is not among them: that is overload.
     */
    public static boolean noConnection(Throwable e) {
        boolean connectionFailed = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof javax.transaction.xa.XAException
                    || (cause instanceof jakarta.resource.ResourceException
                    && !(cause instanceof jakarta.resource.spi.ResourceAllocationException))) {
                connectionFailed = true;
            }
        }
        return notAllocated(e) && (connectionFailed || connectionLost(e)) || initSqlOnADeadConnection(e);
    }

    /**
     * Payara's pool runs the data source's {@code init-sql} when it first hands a new connection out; a connection
     * the pool closed meanwhile (all of them, at the first dead one: PostgreSQL restarting) has no JDBC connection
     * left, and the init statement fails with a {@link NullPointerException} in Payara's
     * {@code ManagedConnectionImpl} ("this.actualConnection is null"), before any statement of the transaction.
     */
    private static boolean initSqlOnADeadConnection(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof NullPointerException npe && (String.valueOf(npe.getMessage())
                    .contains("actualConnection") || java.util.Arrays.stream(npe.getStackTrace()).anyMatch(frame ->
                    frame.getClassName().equals("com.sun.gjc.spi.ManagedConnectionImpl")
                            && frame.getMethodName().equals("executeInitSql")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the pool could not hand the transaction a connection at all (for {@link #noConnection}, or because
     * every connection stayed in use for the pool's whole wait: overload). Nothing of the transaction ran.
     */
    public static boolean notAllocated(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof jakarta.resource.spi.ResourceAllocationException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the transaction may or may not have been committed: its connection was lost
     * ({@link #connectionLost}), or the transaction manager could not complete the commit
     * ({@link jakarta.transaction.SystemException}: Payara's answer when the connection died under the commit).
     */
    public static boolean outcomeUnknown(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof jakarta.transaction.SystemException) {
                return true;
            }
        }
        return connectionLost(e);
    }

    /**
     * Derby compiles a statement again when its tables have grown enough that another plan may be better, and all
     * connections share the compiled statement. A connection already running the old plan can then read the new
     * plan's saved objects: Derby's {@code GenericActivationHolder.execute} no longer synchronises on the statement
     * (DERBY-5406), and the statement fails inside Derby with an {@link IndexOutOfBoundsException} (seen: in
     * {@code GenericPreparedStatement.getSavedObject}), a {@link NullPointerException} or a
     * {@link ClassCastException}, reported as {@code XJ001} "Java exception". Derby then rolls the transaction
     * back and closes the connection; the next run gets another connection and the new plan. Seen under 32
     * concurrent sales on a database whose tables were still filling up.
     *
     * <p>The engine runs no Java code of its own inside Derby (no functions or procedures), so such an exception
     * under {@code XJ001} is Derby's. Its stack is checked when it has one: once the JIT has compiled the
     * throwing method, HotSpot may throw these exceptions without a stack.
     */
    public static boolean derbyPlanReplacedUnderIt(Throwable e) {
        boolean javaException = false;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && DERBY_JAVA_EXCEPTION.equals(sql.getSQLState())) {
                javaException = true;
            }
            if (javaException && (cause instanceof IndexOutOfBoundsException || cause instanceof NullPointerException
                    || cause instanceof ClassCastException)) {
                StackTraceElement[] stack = cause.getStackTrace();
                return stack.length == 0 || stack[0].getClassName().startsWith("org.apache.derby.");
            }
        }
        return false;
    }
}
