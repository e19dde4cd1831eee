package org.loyaltyengine.engine.infrastructure.persistence;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.loyaltyengine.engine.domain.IdBlocks;

/**
 * Migration 12: the sale, ledger entry and points lot ids come from sequences in blocks ({@link IdBlocks}), no
 * longer from the identity columns read back after every insert (three reads per sale). Each sequence starts
 * where its table's ids end, which SQL alone cannot say on Derby (a sequence's start is a literal there).
 *
 * <p>On PostgreSQL the sequence also becomes the column's default in place of its identity: a row inserted
 * without an id (by hand, or by an instance of the previous version still running in the cluster during an
 * upgrade, which reads its id back) takes a whole block's last id, which no instance hands out. Derby can neither
 * drop an identity nor default to a sequence; there a row inserted by hand must give its id as
 * {@code NEXT VALUE FOR sale_ids} (and the engine is one process, upgraded when stopped).
 */
public class V12__Id_blocks_for_the_sale_path extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        boolean postgresql = DatabaseMigration.isPostgresql(connection);
        for (Map.Entry<String, String> table : IdBlocks.SEQUENCES.entrySet()) {
            String name = table.getKey();
            String sequence = table.getValue();
            createSequence(connection, sequence, lastId(connection, name));
            if (postgresql) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ALTER TABLE " + name + " ALTER COLUMN id DROP IDENTITY");
                    statement.execute("ALTER TABLE " + name + " ALTER COLUMN id SET DEFAULT nextval('" + sequence
                            + "')");
                    statement.execute("ALTER SEQUENCE " + sequence + " OWNED BY " + name + ".id");
                }
            }
        }
    }

    /** Creates the sequence so that its first block follows {@code lastId}. */
    static void createSequence(Connection connection, String sequence, long lastId) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SEQUENCE " + sequence + " AS BIGINT START WITH " + firstValue(lastId)
                    + " INCREMENT BY " + IdBlocks.SIZE);
        }
    }

    /**
     * Moves the sequence past rows written with their own ids (the benchmark data generator): its next block
     * follows {@code lastId}.
     */
    public static void restartSequence(Connection connection, String sequence, long lastId) throws SQLException {
        if (DatabaseMigration.isPostgresql(connection)) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER SEQUENCE " + sequence + " RESTART WITH " + firstValue(lastId));
            }
        } else {
            // Derby has no ALTER SEQUENCE; nothing depends on the sequence there.
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP SEQUENCE " + sequence + " RESTRICT");
            }
            createSequence(connection, sequence, lastId);
        }
    }

    /** The value the sequence returns is its block's last id: the first block is lastId + 1 .. lastId + SIZE. */
    private static long firstValue(long lastId) {
        return lastId + IdBlocks.SIZE;
    }

    private static long lastId(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT MAX(id) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }
}
