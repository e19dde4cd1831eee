package org.loyaltyengine.engine.infrastructure.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.loyaltyengine.engine.infrastructure.config.DataFolder;

/**
 * Brings the schema up to date with Flyway before anything uses the database. The same numbered migrations run
 * on Derby and PostgreSQL; the one type they spell differently (large text) is a placeholder, and the few steps
 * only PostgreSQL needs (Derby never builds an index that duplicates another) are in db/postgresql.
 */
@Singleton
@Startup
@DependsOn("DataFolder")
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatabaseMigration {

    private static final Logger LOG = Logger.getLogger(DatabaseMigration.class.getName());

    @Inject
    @ConfigProperty(name = "loyalty.db.kind", defaultValue = "derby")
    String databaseKind;

    @Inject
    @ConfigProperty(name = "loyalty.allow-test-durability", defaultValue = "false")
    boolean allowTestDurability;

    @Inject
    DataFolder dataFolder;

    /** How long a migration waits before it tries again for the locks it could not have. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(5);

    /** How long the migrations keep trying for their locks before the start fails. */
    private static final Duration PATIENCE = Duration.ofMinutes(10);

    private DataSource dataSource;
    private String product;

    @PostConstruct
    void migrate() {
        refuseNonDurableDerby();
        refuseZoneWithClockChanges(ZoneId.systemDefault());
        dataSource = Database.lookup(databaseKind);
        boolean postgresql;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            postgresql = isPostgresql(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database: " + e.getMessage(), e);
        }
        MigrateResult result = postgresql
                ? migrateWaitingForLocks(flyway(getClass().getClassLoader(), true), dataSource, RETRY_PAUSE,
                        PATIENCE)
                : flyway(getClass().getClassLoader(), false).dataSource(dataSource).load().migrate();
        // Flyway gives no target version when it had nothing to apply: the schema is at the version it found.
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : result.initialSchemaVersion;
        LOG.info(() -> "Database " + product + ": schema at version " + version
                + " (" + result.migrationsExecuted + " migration(s) applied now)");
    }

    /**
     * Migrates a PostgreSQL database that other instances of the engine may be using meanwhile (a rolling upgrade,
     * a cluster restarted one instance at a time), on the pool's connections:
     * <ul>
     *   <li>without the pool's read limit, which is a till's ({@link UnboundedReads});</li>
     *   <li>with the pool's lock wait of 2 s. A statement that changes a table waits for every transaction using it,
     *       and while it waits, every till's statement on that table queues behind it: the wait is kept short, so
     *       that a migration stuck behind a long report does not stop the other instances' tills. The migration
     *       that gave up waiting was rolled back whole (PostgreSQL's changes of schema are transactional, and Flyway
     *       runs each migration in a transaction of its own), so it is simply tried again after a pause, as the
     *       ones before it stay applied, for as long as {@code patience}; after that the start fails, saying which
     *       migration could not have its lock, and the schema is as the last migration that could left it;</li>
     *   <li>an instance that starts while another migrates waits for it as long as it takes (Flyway's advisory lock,
     *       which it would otherwise give up after 50 s), then finds the schema up to date.</li>
     * </ul>
     */
    static MigrateResult migrateWaitingForLocks(FluentConfiguration flyway, DataSource pool, Duration pause,
            Duration patience) {
        Flyway configured = flyway.dataSource(new UnboundedReads(pool)).lockRetryCount(-1).load();
        long deadline = System.nanoTime() + patience.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return configured.migrate();
            } catch (FlywayException e) {
                if (!lockNotHad(e)) {
                    throw e;
                }
                String what = firstLine(e) + " (" + rootMessage(e) + ")";
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException(what + ", " + attempt + " times in " + patience.toSeconds()
                            + " s: a table it changes stayed in use by other sessions (see pg_stat_activity"
                            + " and pg_locks); start again when they are done", e);
                }
                int attempts = attempt;
                LOG.warning(() -> what + ": a table it changes is in use by other sessions (attempt " + attempts
                        + "); trying again in " + pause.toMillis() + " ms");
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Whether the statement gave up waiting for a lock (the lock wait's limit) or lost a deadlock to a till. */
    private static boolean lockNotHad(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().equals("55P03") || sql.getSQLState().equals("40P01"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return firstLine(root);
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage()).strip();
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    /**
     * Flyway as the engine runs it (the generator of benchmark data runs it the same way): the shared migrations,
     * the few steps only PostgreSQL needs (db/postgresql, numbered between the shared ones), the ones in Java,
     * large text spelled as each database spells it.
     */
    public static FluentConfiguration flyway(ClassLoader classLoader, boolean postgresql) {
        String[] locations = postgresql ? new String[] {"classpath:db/migration", "classpath:db/postgresql"}
                : new String[] {"classpath:db/migration"};
        return Flyway.configure(classLoader)
                .locations(locations)
                .javaMigrations(new V12__Id_blocks_for_the_sale_path(), new V13__Lists_in_one_column(),
                        new V16_1__Database_identity(), new V19__Returned_value_of_sales(),
                        new V34__Folded_names_of_members(), new V37__Duplicates_name_the_account_kept())
                .placeholders(Map.of("text", postgresql ? "TEXT" : "CLOB"));
    }

    /**
     * Shuts embedded Derby down on a clean stop, so that the next start finds a closed database: no recovery, no
     * identity values lost to preallocation (STACK.md, T3).
     */
    @PreDestroy
    void shutDownEmbeddedDerby() {
        if (product == null || !product.contains("derby")) {
            return;
        }
        try {
            DriverManager.getConnection("jdbc:derby:" + dataFolder.resolve("database") + ";shutdown=true").close();
        } catch (SQLException e) {
            // Derby reports a successful shutdown of one database as SQLState 08006.
            if (!"08006".equals(e.getSQLState())) {
                LOG.log(Level.WARNING, "Embedded Derby did not shut down cleanly", e);
            } else {
                LOG.info("Embedded Derby shut down cleanly");
            }
        }
    }

    /** Derby's test durability skips the disk sync of commits: acknowledged points could be lost in a crash. */
    private void refuseNonDurableDerby() {
        if ("test".equalsIgnoreCase(System.getProperty("derby.system.durability")) && !allowTestDurability) {
            throw new IllegalStateException("derby.system.durability=test loses committed points in a crash: the"
                    + " engine refuses to start with it (set loyalty.allow-test-durability=true only for tests)");
        }
    }

    /**
     * Instants are stored as UTC wall-clock timestamps ({@link InstantConverter}), which the JDBC drivers bind
     * through the JVM's own time zone: in a zone whose clocks change, the UTC hour that zone skips in spring does not
     * exist, and every sale, ledger entry and job period in it was stored an hour late. The JVM must run in a zone
     * of a fixed offset, UTC best ({@code -Duser.timezone=UTC}, as {@code run-engine.sh} starts it); the
     * programmes' own time zones are unaffected.
     */
    static void refuseZoneWithClockChanges(ZoneId zone) {
        ZoneRules rules = zone.getRules();
        boolean changesFromNowOn = !rules.getTransitionRules().isEmpty()
                || rules.nextTransition(Instant.now().minus(Duration.ofDays(3_650))) != null;
        if (!rules.isFixedOffset() && changesFromNowOn) {
            throw new IllegalStateException("The JVM runs in time zone " + zone.getId() + ", whose clocks change:"
                    + " times in the hour it skips would be stored an hour off. Start it with -Duser.timezone=UTC"
                    + " (run-engine.sh does); each programme keeps its own time zone");
        }
    }

    /** Whether the connection is to PostgreSQL; the engine runs on Derby otherwise. */
    public static boolean isPostgresql(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
}
