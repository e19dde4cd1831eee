package org.loyaltyengine.engine.infrastructure.persistence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Migration 16.1: the database's identity ({@link DatabaseHeartbeat}), made once with the schema, so that every
 * backup of the database holds it and a restore brings it back with the data. Made at a beat instead, an instance
 * beating while {@code pg_restore} loads the tables would make a second one.
 */
public class V16_1__Database_identity extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        try (PreparedStatement select = context.getConnection().prepareStatement(
                "SELECT COUNT(*) FROM database_identity");
             ResultSet rows = select.executeQuery()) {
            rows.next();
            if (rows.getLong(1) > 0) {
                // Made already (by an engine built before this migration, which made it at its first beat).
                return;
            }
        }
        try (PreparedStatement insert = context.getConnection().prepareStatement("INSERT INTO database_identity"
                + " (singleton, id, created_at) VALUES (1, ?, ?)")) {
            insert.setString(1, UUID.randomUUID().toString());
            insert.setTimestamp(2, InstantConverter.timestamp(Instant.now()));
            insert.executeUpdate();
        }
    }
}
