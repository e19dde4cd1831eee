package org.loyaltyengine.engine.infrastructure.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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

    private DataSource dataSource;
    private String product;

    @PostConstruct
    void migrate() {
        refuseNonDurableDerby();
        dataSource = Database.lookup(databaseKind);
        boolean postgresql;
        try (Connection connection = dataSource.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
            postgresql = isPostgresql(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database: " + e.getMessage(), e);
        }
        MigrateResult result = flyway(getClass().getClassLoader(), postgresql)
                .dataSource(dataSource)
                .load()
                .migrate();
        // Flyway gives no target version when it had nothing to apply: the schema is at the version it found.
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion
                : result.initialSchemaVersion;
        LOG.info(() -> "Database " + product + ": schema at version " + version
                + " (" + result.migrationsExecuted + " migration(s) applied now)");
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
                .javaMigrations(new V12__Id_blocks_for_the_sale_path(), new V13__Lists_in_one_column())
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

    /** Whether the connection is to PostgreSQL; the engine runs on Derby otherwise. */
    public static boolean isPostgresql(Connection connection) throws SQLException {
        return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    }
}
