package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Schema migrations on the machine's PostgreSQL while another session uses the table they change, as when one
 * instance of a cluster is upgraded and the others go on serving: the migration of version 15 builds an index on
 * the members, which waits for every transaction writing to them. The migrations run on connections limited as the
 * engine's pool limits a till's ({@code DataSources}), shorter here: a read waits at most 1 s, a lock at most 4 s, a
 * session idle inside a transaction is ended after 2 s (Flyway's lock between instances is held so).
 */
class MigrationBesideLiveInstancesTest {

    private ScratchDatabase database;
    private PGSimpleDataSource limited;

    @BeforeEach
    void atVersion14() throws Exception {
        database = new ScratchDatabase("postgresql", "migration");
        database.migrate("14");
        limited = new PGSimpleDataSource();
        limited.setUrl(database.url());
        limited.setUser("postgres");
        limited.setSocketTimeout(1);
        limited.setOptions("-c lock_timeout=4s -c idle_in_transaction_session_timeout=2s");
    }

    @AfterEach
    void dropDatabase() throws Exception {
        database.close();
    }

    @Test
    void aMigrationThatWaitsLongerThanATillsReadAndIdleLimitsIsWaitedFor() throws Exception {
        CompletableFuture<Void> till = membersWrittenFor(Duration.ofSeconds(3));

        MigrateResult result = migrate(Duration.ofSeconds(30));

        assertThat(till).isDone();
        assertThat(result.migrationsExecuted).isEqualTo(1);
        assertThat(result.targetSchemaVersion).isEqualTo("15");
        assertThat(indexes()).contains("member_programme_joined_ix");
    }

    @Test
    void aMigrationThatCouldNotHaveItsLockIsTriedAgainUntilItHasIt() throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Void> till = membersWrittenFor(Duration.ofSeconds(9));

        MigrateResult result = migrate(Duration.ofSeconds(30));

        assertThat(till).isDone();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofSeconds(9));
        assertThat(result.migrationsExecuted).isEqualTo(1);
        assertThat(indexes()).contains("member_programme_joined_ix");
        assertThat(schemaVersion()).isEqualTo("15");
    }

    @Test
    void aMigrationThatNeverHasItsLockFailsTheStartAndLeavesTheSchemaAsItWas() throws Exception {
        membersWrittenFor(Duration.ofSeconds(12));

        assertThatThrownBy(() -> migrate(Duration.ofSeconds(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("V15__member_anniversaries")
                .hasMessageContaining("lock timeout")
                .hasMessageContaining("in use by other sessions");

        assertThat(indexes()).doesNotContain("member_programme_joined_ix");
        assertThat(schemaVersion()).isEqualTo("14");
    }

    @Test
    void theConnectionsGoBackToThePoolWithATillsLimits() throws Exception {
        try (Connection pooled = limited.getConnection()) {
            // A pool of this one connection: closing what it hands out returns the connection, still open.
            DataSource pool = (DataSource) Proxy.newProxyInstance(
                    getClass().getClassLoader(), new Class<?>[] {DataSource.class},
                    (proxy, method, arguments) -> method.getName().equals("getConnection") ? returnedOnClose(pooled)
                            : null);
            MigrateResult result = DatabaseMigration.migrateWaitingForLocks(
                    DatabaseMigration.flyway(getClass().getClassLoader(), true).target("15"), pool,
                    Duration.ofMillis(500), Duration.ofSeconds(30));

            assertThat(result.targetSchemaVersion).isEqualTo("15");
            assertThat(pooled.isClosed()).isFalse();
            assertThat(pooled.getNetworkTimeout()).isEqualTo(1_000);
            try (Statement statement = pooled.createStatement();
                 ResultSet idle = statement.executeQuery("SHOW idle_in_transaction_session_timeout")) {
                idle.next();
                assertThat(idle.getString(1)).isEqualTo("2s");
            }
        }
    }

    /** The connection, with a close that leaves it open, as a pool's connection handle does. */
    private static Connection returnedOnClose(Connection connection) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    try {
                        return method.invoke(connection, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private MigrateResult migrate(Duration patience) {
        return DatabaseMigration.migrateWaitingForLocks(
                DatabaseMigration.flyway(getClass().getClassLoader(), true).target("15"), limited,
                Duration.ofMillis(500), patience);
    }

    /**
     * A till's transaction that writes to the members (it holds the table in ROW EXCLUSIVE mode, as every sale's
     * update of a member does) and commits after a while, on the test's connection.
     */
    private CompletableFuture<Void> membersWrittenFor(Duration duration) throws SQLException {
        Connection connection = database.connection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE member IN ROW EXCLUSIVE MODE");
        }
        return CompletableFuture.runAsync(() -> {
            try {
                connection.commit();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, CompletableFuture.delayedExecutor(duration.toMillis(), TimeUnit.MILLISECONDS));
    }

    private String indexes() throws SQLException {
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT string_agg(indexname, ',') FROM pg_indexes WHERE tablename = 'member'")) {
            rows.next();
            return rows.getString(1);
        }
    }

    /** The version of the last migration applied. */
    private String schemaVersion() throws SQLException {
        try (Connection connection = database.connect();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT version FROM flyway_schema_history WHERE success"
                     + " ORDER BY installed_rank DESC LIMIT 1")) {
            rows.next();
            return rows.getString(1);
        }
    }
}
