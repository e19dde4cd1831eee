package org.loyaltyengine.engine.infrastructure.persistence;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The engine's database in plain JDBC, for the work that reads or writes a whole programme (customer knowledge,
 * the back office's duplicate search): connections of the engine's JTA data source, which join the caller's
 * transaction.
 */
@ApplicationScoped
public class Jdbc {

    @Inject
    @ConfigProperty(name = "loyalty.db.kind", defaultValue = "derby")
    String databaseKind;

    private DataSource dataSource;

    @PostConstruct
    void lookUp() {
        dataSource = Database.lookup(databaseKind);
    }

    /** A connection in the caller's transaction; close it when done (the transaction goes on). */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /** Whether the engine runs on PostgreSQL (else embedded Derby). */
    public boolean postgresql() {
        return "postgresql".equals(databaseKind);
    }
}
