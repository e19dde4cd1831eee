package org.loyaltyengine.engine.infrastructure.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.loyaltyengine.engine.domain.ledger.AppliedRule;
import org.loyaltyengine.engine.domain.sale.SaleLine;

/**
 * Migration 13: a sale's lines move from a row each in {@code sale_line} to one column of the sale's row
 * ({@link SaleLinesColumn}), an earn's rule shares from {@code ledger_applied_rule} to one column of the entry's
 * row ({@link AppliedRulesColumn}). A sale of eleven lines and three rules wrote sixteen rows; it now writes three
 * (sale, entry, lot). The values are written in Java: Derby cannot aggregate rows into text.
 */
public class V13__Lists_in_one_column extends BaseJavaMigration {

    private static final int BATCH = 1_000;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        boolean postgresql = DatabaseMigration.isPostgresql(connection);
        String text = postgresql ? "TEXT" : "CLOB";
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE sale ADD COLUMN receipt_lines " + text);
            statement.execute("ALTER TABLE ledger_entry ADD COLUMN applied_rules " + text);
        }
        copy(connection, "SELECT sale_id, sku, category, quantity, unit_price FROM sale_line ORDER BY sale_id, line_no",
                row -> new SaleLine(row.getString(2), row.getString(3), row.getInt(4), row.getBigDecimal(5)),
                SaleLinesColumn::write, "UPDATE sale SET receipt_lines = ? WHERE id = ?");
        copy(connection, "SELECT entry_id, rule_name, points FROM ledger_applied_rule ORDER BY entry_id, seq",
                row -> new AppliedRule(row.getString(2), row.getLong(3)),
                AppliedRulesColumn::write, "UPDATE ledger_entry SET applied_rules = ? WHERE id = ?");
        try (Statement statement = connection.createStatement()) {
            // Every recorded sale has lines (the contract refuses an empty receipt); a row written by hand might not.
            statement.executeUpdate("UPDATE sale SET receipt_lines = '[]' WHERE receipt_lines IS NULL");
            statement.execute("ALTER TABLE sale ALTER COLUMN receipt_lines " + (postgresql ? "SET " : "")
                    + "NOT NULL");
            statement.execute("DROP TABLE sale_line");
            statement.execute("DROP TABLE ledger_applied_rule");
        }
    }

    /** Reads the child rows in their owner's order and writes each owner's list as its one value. */
    private static <T> void copy(Connection connection, String children, Child<T> child,
                                 Function<List<T>, String> value, String update) throws SQLException {
        try (Statement query = connection.createStatement();
             PreparedStatement write = connection.prepareStatement(update)) {
            query.setFetchSize(BATCH);
            try (ResultSet rows = query.executeQuery(children)) {
                List<T> list = new ArrayList<>();
                long owner = 0;
                int pending = 0;
                while (rows.next()) {
                    long next = rows.getLong(1);
                    if (!list.isEmpty() && next != owner) {
                        pending = add(write, owner, value.apply(list), pending);
                        list = new ArrayList<>();
                    }
                    owner = next;
                    list.add(child.read(rows));
                }
                if (!list.isEmpty()) {
                    add(write, owner, value.apply(list), pending);
                }
                write.executeBatch();
            }
        }
    }

    private static int add(PreparedStatement write, long owner, String value, int pending) throws SQLException {
        write.setString(1, value);
        write.setLong(2, owner);
        write.addBatch();
        if (pending + 1 < BATCH) {
            return pending + 1;
        }
        write.executeBatch();
        return 0;
    }

    /** One child row read into its value. */
    @FunctionalInterface
    private interface Child<T> {
        T read(ResultSet row) throws SQLException;
    }
}
