package org.loyaltyengine.engine.infrastructure.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.logging.Logger;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Brings the schema up to date with Flyway before anything uses the database. The same numbered migrations run
 * on Derby and PostgreSQL; the one type they spell differently (large text) is a placeholder.
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

    private DataSource dataSource;

    @PostConstruct
    void migrate() {
        dataSource = Database.lookup(databaseKind);
        String product = productName();
        String text = product.contains("postgres") ? "TEXT" : "CLOB";
        MigrateResult result = Flyway.configure(getClass().getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("text", text))
                .load()
                .migrate();
        LOG.info(() -> "Database " + product + ": schema at version " + result.targetSchemaVersion
                + " (" + result.migrationsExecuted + " migration(s) applied now)");
    }

    private String productName() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot reach the database: " + e.getMessage(), e);
        }
    }
}
