package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.concurrent.atomic.LongAdder;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.eclipse.persistence.queries.DatabaseQuery;
import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

/**
 * Counts the statements by which this instance changes its database: EclipseLink's inserts, updates and deletes
 * (registered as its session event listener in {@code persistence.xml}), and the engine's own JDBC writes, which say
 * so ({@link #wrote()}). The heartbeat ({@link DatabaseHeartbeat}) writes a beat only while the count moves, so that
 * a database nobody writes to stays idle: a beat a second kept PostgreSQL writing WAL for ever, one archived segment
 * per {@code archive_timeout} on a server archiving its WAL.
 * <p>
 * A write is counted when its statement runs, and once more when its transaction commits: the beat must follow the
 * commit, which may come long after the statement (a batch executed at the commit, a lock waited for). The first
 * write after the heartbeat went quiet also waits for a beat before it goes on ({@link #beforeWriting}): a restore to
 * a backup taken while the instance was quiet, after a failure that came before the beat following the write, is
 * then noticed all the same, as it was when the instance beat every second.
 */
public class DataWrites extends SessionEventAdapter {

    private static final LongAdder COUNT = new LongAdder();

    /** Counts the commit of a transaction that wrote. */
    private static final Synchronization AT_COMMIT = new Synchronization() {
        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                COUNT.increment();
            }
        }
    };

    private static volatile TransactionSynchronizationRegistry registry;

    /** When the registry was last not found (System.nanoTime), if it was: looked up again a minute later. */
    private static volatile Long notFoundAt;

    /** What writes a beat before the first write after the heartbeat went quiet, and waits for it. */
    private static volatile Runnable beforeWriting;

    private static volatile boolean quiet;

    /** Registered by the heartbeat: run, and waited for, before a write while the heartbeat is quiet. */
    public static void beforeWriting(Runnable beat) {
        beforeWriting = beat;
    }

    /** Told by the heartbeat after each look: whether it is quiet (wrote no beat and owes none). */
    public static void quiet(boolean value) {
        quiet = value;
    }

    /** How many writes this instance ran (and committed) since it started; it only grows. */
    public static long count() {
        return COUNT.sum();
    }

    /** A write of the engine's own, by JDBC: counted when it says so, after its commit or before. */
    public static void wrote() {
        COUNT.increment();
        wake();
        countCommit();
    }

    @Override
    public void postExecuteQuery(SessionEvent event) {
        DatabaseQuery query = event.getQuery();
        if (query != null && query.isModifyQuery()) {
            COUNT.increment();
            wake();
            countCommit();
        }
    }

    /** While the heartbeat is quiet, has it beat before the write goes on (it says once it is not quiet). */
    private static void wake() {
        Runnable beat = beforeWriting;
        if (quiet && beat != null) {
            try {
                beat.run();
            } catch (RuntimeException unwritten) {
                // The write goes on; the heartbeat says why it could not beat.
            }
        }
    }

    /** Has the commit of the current transaction counted, once per transaction. */
    private static void countCommit() {
        try {
            TransactionSynchronizationRegistry transaction = registry();
            if (transaction != null && transaction.getTransactionKey() != null
                    && transaction.getResource(DataWrites.class) == null) {
                transaction.registerInterposedSynchronization(AT_COMMIT);
                transaction.putResource(DataWrites.class, Boolean.TRUE);
            }
        } catch (RuntimeException tooLate) {
            // The transaction is completing and takes no more: counted when the statement ran, and the heartbeat
            // beats once more on a later tick whatever the count does.
        }
    }

    private static TransactionSynchronizationRegistry registry() {
        TransactionSynchronizationRegistry known = registry;
        Long notFound = notFoundAt;
        if (known == null && (notFound == null || System.nanoTime() - notFound > 60_000_000_000L)) {
            try {
                known = InitialContext.doLookup("java:comp/TransactionSynchronizationRegistry");
                registry = known;
            } catch (NamingException | RuntimeException notHere) {
                // Outside an application server (a test), or a thread without the application's names: counted
                // when the write runs only, and looked up again in a minute.
                notFoundAt = System.nanoTime();
            }
        }
        return known;
    }
}
