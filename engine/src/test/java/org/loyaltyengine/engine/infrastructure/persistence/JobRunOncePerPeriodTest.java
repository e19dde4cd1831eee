package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.loyaltyengine.engine.application.ConstraintViolations;

/**
 * The jobs' journal on a real database of each kind, written from two connections as two engine instances would:
 * the second to begin a job's period is refused by the database, in a way the engine recognises as "begun
 * already", whatever the order of their transactions; another period or another job is not.
 */
class JobRunOncePerPeriodTest {

    private static final Instant PERIOD = Instant.parse("2026-12-04T14:05:00Z");

    private ScratchDatabase database;

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void theSecondInstanceToBeginAPeriodIsRefusedAndKnowsWhy(String kind) throws Exception {
        try (Connection first = migrated(kind); Connection second = database.connect()) {
            begin(first, "expiry", PERIOD, "node-1");
            first.commit();

            Throwable refused = catchThrowable(() -> begin(second, "expiry", PERIOD, "node-2"));
            second.rollback();

            assertThat(refused).isInstanceOf(SQLException.class);
            assertThat(ConstraintViolations.duplicateKey(refused)).as(refused.toString()).isTrue();
            begin(second, "expiry", PERIOD.plusSeconds(3_600), "node-2");
            begin(second, "tier-review", PERIOD, "node-2");
            second.commit();
            assertThat(runs(first)).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void anInstanceBeginningAPeriodAnotherIsBeginningWaitsForTheOthersOutcome(String kind) throws Exception {
        try (Connection first = migrated(kind); Connection second = database.connect()) {
            begin(first, "expiry", PERIOD, "node-1");
            CompletableFuture<Throwable> waiting = beginElsewhere(second, PERIOD);
            Thread.sleep(300);
            assertThat(waiting).as("the second waits on the first's row").isNotDone();

            first.rollback(); // the first instance died before its begin was written

            assertThat(waiting.get(30, TimeUnit.SECONDS)).as("the period is the second's").isNull();
            second.commit();

            Instant next = PERIOD.plusSeconds(3_600);
            begin(first, "expiry", next, "node-1");
            waiting = beginElsewhere(second, next);
            Thread.sleep(300);
            assertThat(waiting).isNotDone();

            first.commit();

            Throwable refused = waiting.get(30, TimeUnit.SECONDS);
            second.rollback();
            assertThat(ConstraintViolations.duplicateKey(refused)).as(String.valueOf(refused)).isTrue();
            assertThat(runs(first)).isEqualTo(2);
        }
    }

    /** Begins the expiry of the period on another thread, as another instance: what it threw, or null. */
    private static CompletableFuture<Throwable> beginElsewhere(Connection connection, Instant period) {
        return CompletableFuture.supplyAsync(() -> catchThrowable(() -> begin(connection, "expiry", period,
                "node-2")));
    }

    /** A new database of the kind at the latest schema, and a connection to it: the first instance's. */
    private Connection migrated(String kind) throws Exception {
        database = new ScratchDatabase(kind, "jobs");
        database.migrate(null);
        return database.connect();
    }

    private static void begin(Connection connection, String job, Instant period, String instance) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO job_run (job, period_start,"
                + " instance, started_at, outcome) VALUES (?, ?, ?, ?, 'RUNNING')")) {
            insert.setString(1, job);
            insert.setTimestamp(2, InstantConverter.timestamp(period));
            insert.setString(3, instance);
            insert.setTimestamp(4, Timestamp.from(Instant.now()));
            insert.executeUpdate();
        }
    }

    private static long runs(Connection connection) throws SQLException {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM job_run")) {
            rows.next();
            long count = rows.getLong(1);
            connection.rollback();
            return count;
        }
    }

    @AfterEach
    void dropTheDatabase() throws SQLException {
        if (database != null) {
            database.close();
        }
    }
}
