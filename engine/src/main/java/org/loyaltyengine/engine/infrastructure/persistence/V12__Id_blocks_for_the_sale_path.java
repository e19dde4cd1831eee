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
 * where its table's ids end, which SQL alone cannot say on Derby (a sequence's start is a literal there). The
 * identity columns stay for rows inserted by hand, which must then give their id from the sequence:
 * {@code NEXT VALUE FOR sale_ids} on Derby, {@code nextval('sale_ids')} on PostgreSQL.
 */
public class V12__Id_blocks_for_the_sale_path extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        for (Map.Entry<String, String> table : IdBlocks.SEQUENCES.entrySet()) {
            createSequence(connection, table.getValue(), lastId(connection, table.getKey()));
        }
    }

    /**
     * Creates the sequence so that its first block follows {@code lastId}; also how the benchmark data generator
     * moves a sequence past the rows it wrote (after dropping it).
     */
    public static void createSequence(Connection connection, String sequence, long lastId) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // The value the sequence returns is the block's last id: the first block is lastId + 1 .. lastId + SIZE.
            statement.execute("CREATE SEQUENCE " + sequence + " AS BIGINT START WITH " + (lastId + IdBlocks.SIZE)
                    + " INCREMENT BY " + IdBlocks.SIZE);
        }
    }

    private static long lastId(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT MAX(id) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }
}
