package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransactionRollbackException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.transaction.xa.XAException;

import jakarta.persistence.PersistenceException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionalException;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.DomainException;

class BusyRetryTest {

    /** What Derby throws when an identity column's next block of values cannot be had at once. */
    private static PersistenceException sequenceContention() {
        return new PersistenceException("Exception [EclipseLink-4002]", new SQLTransactionRollbackException(
                "A lock could not be obtained within the time requested", "40XL1", 30000));
    }

    @Test
    void aTransactionTheDatabaseGaveUpRunsAgainAndItsResultIsAnswered() {
        AtomicInteger runs = new AtomicInteger();

        String enrolled = BusyRetry.call(() -> {
            if (runs.incrementAndGet() < 3) {
                throw sequenceContention();
            }
            return "member m-1";
        });

        assertThat(enrolled).isEqualTo("member m-1");
        assertThat(runs).hasValue(3);
    }

    @Test
    void aDeadlockFoundAtCommitIsRetriedToo() {
        // As Payara chains it: the interceptor's TransactionalException, the JTA RollbackException, then PostgreSQL's
        // driver exception, a plain SQLException known by its SQL state only.
        RollbackException rolledBack = new RollbackException("Transaction marked for rollback.");
        rolledBack.initCause(new SQLException("ERROR: deadlock detected", "40P01"));
        AtomicInteger runs = new AtomicInteger();

        int result = BusyRetry.call(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new TransactionalException("Managed bean with Transactional annotation encountered exception"
                        + " during commit", rolledBack);
            }
            return 7;
        });

        assertThat(result).isEqualTo(7);
        assertThat(runs).hasValue(2);
    }

    @Test
    void derbysContentionOnANamedSequenceIsRetried() {
        AtomicInteger runs = new AtomicInteger();

        long points = BusyRetry.call(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("EclipseLink's own DatabaseException is no PersistenceException",
                        new SQLException("Too much contention on sequence LEDGER_ENTRY_IDS", "X0Y84"));
            }
            return 120L;
        });

        assertThat(points).isEqualTo(120L);
        assertThat(runs).hasValue(2);
    }

    /**
     * What Derby threw (as EclipseLink wraps it) when another connection compiled the balance query again while
     * this one ran it, with {@code thrownIn} the class the index went out of bounds in.
     */
    private static PersistenceException javaExceptionInDerby(String thrownIn) {
        ArrayIndexOutOfBoundsException outOfBounds = new ArrayIndexOutOfBoundsException(
                "Index 15 out of bounds for length 13");
        outOfBounds.setStackTrace(new StackTraceElement[] {
                new StackTraceElement(thrownIn, "getSavedObject", "GenericPreparedStatement.java", 749)});
        Exception standard = new Exception("ERROR XJ001: Java exception: 'Index 15 out of bounds for length 13'",
                outOfBounds);
        return new PersistenceException("Exception [EclipseLink-4002]", new SQLException(
                "Java exception: 'Index 15 out of bounds for length 13: java.lang.ArrayIndexOutOfBoundsException'.",
                "XJ001", 0, standard));
    }

    @Test
    void aStatementWhosePlanDerbyReplacedWhileItRanIsRunAgainOnAnotherConnection() {
        AtomicInteger runs = new AtomicInteger();

        String answer = BusyRetry.call(() -> {
            if (runs.incrementAndGet() == 1) {
                throw javaExceptionInDerby("org.apache.derby.impl.sql.GenericPreparedStatement");
            }
            return "sale t-1 recorded";
        });

        assertThat(answer).isEqualTo("sale t-1 recorded");
        assertThat(runs).hasValue(2);
    }

    @Test
    void theRaceIsRecognisedWhenTheJitDroppedTheExceptionsStack() {
        // -XX:+OmitStackTraceInFastThrow (HotSpot's default) throws a preallocated exception without a stack once
        // the throwing method is compiled.
        PersistenceException withoutStack = javaExceptionInDerby("org.apache.derby.impl.sql.GenericPreparedStatement");
        Throwable outOfBounds = withoutStack;
        while (outOfBounds.getCause() != null) {
            outOfBounds = outOfBounds.getCause();
        }
        outOfBounds.setStackTrace(new StackTraceElement[0]);
        AtomicInteger runs = new AtomicInteger();

        int points = BusyRetry.call(() -> {
            if (runs.incrementAndGet() == 1) {
                throw withoutStack;
            }
            return 42;
        });

        assertThat(points).isEqualTo(42);
        assertThat(runs).hasValue(2);
    }

    @Test
    void aClosedConnectionIsNotRunAgainItMayHaveCommitted() {
        // Payara's local transaction sets auto-commit back after the commit: a connection closed then says 08003
        // although the transaction went through. The pool replaces closed connections before handing them out.
        AtomicInteger runs = new AtomicInteger();
        PersistenceException closed = new PersistenceException("Exception [EclipseLink-4002]",
                new java.sql.SQLNonTransientConnectionException("No current connection.", "08003"));

        assertThatThrownBy(() -> BusyRetry.call(() -> {
            runs.incrementAndGet();
            throw closed;
        })).isSameAs(closed);
        assertThat(runs).hasValue(1);
    }

    /** What PostgreSQL's driver throws, as EclipseLink wraps it, when the server ended the connection mid-sale. */
    private static PersistenceException connectionBroken() {
        return new PersistenceException("Exception [EclipseLink-4002]", new SQLException(
                "An I/O error occurred while sending to the backend.", "08006",
                new java.net.SocketException("Broken pipe")));
    }

    @Test
    void aSaleWhoseConnectionWasLostRunsAgainOnAnotherConnection() {
        // PostgreSQL restarted under the sale: whether or not its commit went through, running it again answers
        // it once (a recorded receipt is answered as a replay).
        AtomicInteger runs = new AtomicInteger();

        String answer = BusyRetry.callIdempotent(() -> {
            if (runs.incrementAndGet() < 3) {
                throw connectionBroken();
            }
            return "sale t-7 recorded";
        });

        assertThat(answer).isEqualTo("sale t-7 recorded");
        assertThat(runs).hasValue(3);
    }

    @Test
    void aCommitTheTransactionManagerCouldNotCompleteRunsAgainOnlyWhenSendingItTwiceIsHarmless() {
        // Payara's answer when the connection died under the commit: a SystemException, with nothing under it.
        TransactionalException commitFailed = new TransactionalException("Managed bean with Transactional annotation"
                + " and TxType of REQUIRES_NEW encountered exception during commit",
                new jakarta.transaction.SystemException());
        AtomicInteger runs = new AtomicInteger();

        int points = BusyRetry.callIdempotent(() -> {
            if (runs.incrementAndGet() == 1) {
                throw commitFailed;
            }
            return 22;
        });
        assertThatThrownBy(() -> BusyRetry.call(() -> {
            runs.incrementAndGet();
            throw commitFailed;
        })).isSameAs(commitFailed);

        assertThat(points).isEqualTo(22);
        assertThat(runs).hasValue(3);
    }

    /**
     * The pool handed out a connection PostgreSQL had closed; enlisting it in the transaction failed, before any
     * statement ran. As Payara chains it (its PoolingException left out: not on the engine's class path).
     */
    private static PersistenceException neverHadAConnection() {
        XAException enlist = new XAException("jakarta.resource.spi.LocalTransactionException: This connection has"
                + " been closed.");
        enlist.initCause(new jakarta.resource.spi.LocalTransactionException("This connection has been closed.",
                "08003"));
        return new PersistenceException("Exception [EclipseLink-4002]",
                new SQLException("Error in allocating a connection. Cause: java.lang.RuntimeException: Got exception"
                        + " during XAResource.start:", new jakarta.resource.spi.ResourceAllocationException(
                        "Error in allocating a connection", new RuntimeException("Got exception during"
                        + " XAResource.start:", enlist))));
    }

    @Test
    void aTransactionThatNeverHadAWorkingConnectionRunsAgainWhateverItDoes() {
        AtomicInteger runs = new AtomicInteger();

        String member = BusyRetry.call(() -> {
            if (runs.incrementAndGet() == 1) {
                throw neverHadAConnection();
            }
            return "member m-2";
        });

        assertThat(member).isEqualTo("member m-2");
        assertThat(runs).hasValue(2);
    }

    @Test
    void aSaleThatMayHaveGoneThroughIsNeverAnsweredNothingWasRecorded() {
        // PostgreSQL going down: the first run loses its connection at the commit, the next ones find no database.
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> BusyRetry.callIdempotent(() -> {
            throw runs.incrementAndGet() == 1 ? connectionBroken() : neverHadAConnection();
        })).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo("database_unavailable");
            assertThat(e.getMessage()).contains("cannot tell whether").doesNotContain("nothing was recorded");
        });
        assertThatThrownBy(() -> BusyRetry.call(() -> {
            throw neverHadAConnection();
        })).isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.getMessage())
                .contains("nothing was recorded"));
        assertThat(runs).hasValue(BusyRetry.CONNECTION_ATTEMPTS);
    }

    @Test
    void aPoolWithEveryConnectionInUseIsOverloadNotALostConnection() {
        PersistenceException full = new PersistenceException("Exception [EclipseLink-4002]", new SQLException(
                "Error in allocating a connection", new jakarta.resource.spi.ResourceAllocationException(
                "In-use connections equal max-pool-size and expired max-wait-time. Cannot allocate more"
                        + " connections.")));
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> BusyRetry.callIdempotent(() -> {
            runs.incrementAndGet();
            throw full;
        })).isSameAs(full);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aConnectionLostEveryTimeIsAnsweredDatabaseUnavailable() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> BusyRetry.callIdempotent(() -> {
            runs.incrementAndGet();
            throw connectionBroken();
        })).isInstanceOfSatisfying(DomainException.class, e -> {
            assertThat(e.code()).isEqualTo("database_unavailable");
            assertThat(e.kind()).isEqualTo(DomainException.Kind.BUSY);
            assertThat(e.getMessage()).contains("cannot tell whether");
        });
        assertThat(runs).hasValue(BusyRetry.CONNECTION_ATTEMPTS);
    }

    @Test
    void aJavaExceptionThrownOutsideDerbysOwnCodeIsNotRunAgain() {
        // A Java function called from SQL fails the same way; only Derby's own statement machinery is a race.
        AtomicInteger runs = new AtomicInteger();
        PersistenceException fromAFunction = javaExceptionInDerby("org.loyaltyengine.SomeFunction");

        assertThatThrownBy(() -> BusyRetry.call(() -> {
            runs.incrementAndGet();
            throw fromAFunction;
        })).isSameAs(fromAFunction);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aTransactionRefusedEveryTimeIsAnsweredBusyAfterFourRuns() {
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> BusyRetry.call(() -> {
            runs.incrementAndGet();
            throw sequenceContention();
        })).isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("engine_busy"));
        assertThat(runs).hasValue(BusyRetry.ATTEMPTS);
    }

    /** What PostgreSQL answers a statement that waited for a member's row longer than the connection's lock_timeout. */
    private static PersistenceException lockWaitTimedOut() {
        return new PersistenceException("Exception [EclipseLink-4002]", new SQLException(
                "ERROR: canceling statement due to lock timeout", "55P03"));
    }

    @Test
    void aLockWaitPostgresqlGaveUpIsAnsweredBusyAtOnce() {
        // Another instance froze holding the member's row: the wait ends at the lock_timeout and the till is
        // answered 503 engine_busy, instead of waiting as long again in another run.
        AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> BusyRetry.callIdempotent(() -> {
            runs.incrementAndGet();
            throw lockWaitTimedOut();
        })).isInstanceOfSatisfying(DomainException.class, e -> assertThat(e.code()).isEqualTo("engine_busy"));
        assertThat(runs).hasValue(1);
        assertThat(ConstraintViolations.transientConflict(lockWaitTimedOut())).as("nothing of it was written").isTrue();
    }

    @Test
    void aLockWaitPostgresqlGaveUpInTheBackOfficeRunsAgain() {
        // Not a till's call: an expiry run or an administrator's change waits its turn, as with Derby's time-outs.
        AtomicInteger runs = new AtomicInteger();

        String answer = BusyRetry.call(() -> {
            if (runs.incrementAndGet() < 2) {
                throw lockWaitTimedOut();
            }
            return "expired";
        });

        assertThat(answer).isEqualTo("expired");
        assertThat(runs).hasValue(2);
    }

    @Test
    void aSessionPostgresqlEndedForIdlingInATransactionIsALostConnection() {
        // What an instance that froze finds when it wakes up: PostgreSQL ended its sessions and rolled their
        // transactions back. A sale runs again (and is found if it went through); anything else is not sent twice.
        PersistenceException ended = new PersistenceException("Exception [EclipseLink-4002]", new SQLException(
                "FATAL: terminating connection due to idle-in-transaction timeout", "25P03"));
        AtomicInteger runs = new AtomicInteger();

        String answer = BusyRetry.callIdempotent(() -> {
            if (runs.incrementAndGet() < 2) {
                throw ended;
            }
            return "sale t-9 recorded";
        });

        assertThat(answer).isEqualTo("sale t-9 recorded");
        assertThat(ConstraintViolations.outcomeUnknown(ended)).isTrue();
        assertThatThrownBy(() -> BusyRetry.call(() -> {
            throw ended;
        })).isSameAs(ended);
    }

    @Test
    void aNewConnectionThePoolClosedBeforeItsInitSqlRanRunsAgainWhateverItDoes() {
        // Seen when PostgreSQL ended every connection: Payara handed out a connection the pool had just closed, and
        // its init-sql (the lock and idle limits) failed before the transaction's first statement.
        NullPointerException npe = new NullPointerException("Cannot invoke \"java.sql.Connection.prepareStatement"
                + "(String)\" because \"this.actualConnection\" is null");
        npe.setStackTrace(new StackTraceElement[] {new StackTraceElement("com.sun.gjc.spi.ManagedConnectionImpl",
                "executeInitSql", "ManagedConnectionImpl.java", 255)});
        AtomicInteger runs = new AtomicInteger();

        String answer = BusyRetry.call(() -> {
            if (runs.incrementAndGet() < 2) {
                throw new PersistenceException(npe);
            }
            return "member enrolled";
        });

        assertThat(answer).isEqualTo("member enrolled");
        assertThat(runs).hasValue(2);
        NullPointerException ours = new NullPointerException("Cannot invoke \"String.length()\" because \"s\" is null");
        assertThatThrownBy(() -> BusyRetry.call(() -> {
            throw ours;
        })).as("the engine's own NullPointerException is a defect, not run again").isSameAs(ours);
    }

    @Test
    void otherFailuresAreNotRunAgain() {
        AtomicInteger runs = new AtomicInteger();
        PersistenceException duplicate = new PersistenceException("duplicate",
                new SQLIntegrityConstraintViolationException("duplicate key", "23505"));

        assertThatThrownBy(() -> BusyRetry.call(() -> {
            runs.incrementAndGet();
            throw duplicate;
        })).isSameAs(duplicate);
        assertThatThrownBy(() -> BusyRetry.call(() -> {
            runs.incrementAndGet();
            throw DomainException.conflict("member_exists", "already a member");
        })).isInstanceOf(DomainException.class);
        assertThat(runs).hasValue(2);
    }
}
