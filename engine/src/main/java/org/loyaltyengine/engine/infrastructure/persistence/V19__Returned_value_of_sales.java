package org.loyaltyengine.engine.infrastructure.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import org.loyaltyengine.engine.domain.sale.SaleLines;

/**
 * Migration 19: each sale keeps the value of the goods brought back ({@code returned_value}, the whole total once
 * every line is back), so that customer knowledge and the rules' purchase history count what customers kept, and
 * a sale whose goods all came back is no purchase. Filled here from the returns recorded so far; whether every
 * line is back is read from the receipt's lines in Java, which Derby cannot read. The index every sale's purchase
 * history is answered from carries the new column too.
 */
public class V19__Returned_value_of_sales extends BaseJavaMigration {

    private static final int BATCH = 1_000;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection connection = context.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE sale ADD COLUMN returned_value DECIMAL(19, 4) DEFAULT 0 NOT NULL");
        }
        Map<Long, BigDecimal> values = new HashMap<>();
        Map<Long, Map<String, Long>> quantities = new HashMap<>();
        try (Statement query = connection.createStatement()) {
            query.setFetchSize(BATCH);
            try (ResultSet rows = query.executeQuery("SELECT sale_id, SUM(returned_value) FROM sale_return"
                    + " GROUP BY sale_id")) {
                while (rows.next()) {
                    values.put(rows.getLong(1), rows.getBigDecimal(2));
                }
            }
            try (ResultSet rows = query.executeQuery("SELECT r.sale_id, l.sku, SUM(l.quantity) FROM sale_return r"
                    + " JOIN sale_return_line l ON l.sale_return_id = r.id GROUP BY r.sale_id, l.sku")) {
                while (rows.next()) {
                    quantities.computeIfAbsent(rows.getLong(1), sale -> new HashMap<>())
                            .put(rows.getString(2), rows.getLong(3));
                }
            }
        }
        if (!values.isEmpty()) {
            try (Statement query = connection.createStatement();
                 PreparedStatement update = connection.prepareStatement(
                         "UPDATE sale SET returned_value = ? WHERE id = ?")) {
                query.setFetchSize(BATCH);
                int pending = 0;
                try (ResultSet rows = query.executeQuery("SELECT id, total, receipt_lines FROM sale"
                        + " WHERE id IN (SELECT sale_id FROM sale_return)")) {
                    while (rows.next()) {
                        long sale = rows.getLong(1);
                        BigDecimal total = rows.getBigDecimal(2);
                        boolean allBack = new SaleLines(SaleLinesColumn.read(rows.getString(3)))
                                .allBack(quantities.getOrDefault(sale, Map.of()));
                        update.setBigDecimal(1, allBack ? total : values.get(sale).min(total));
                        update.setLong(2, sale);
                        update.addBatch();
                        if (++pending == BATCH) {
                            update.executeBatch();
                            pending = 0;
                        }
                    }
                }
                update.executeBatch();
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("DROP INDEX sale_member_spend_ix");
            statement.execute("CREATE INDEX sale_member_spend_ix ON sale (member_id, occurred_at, total,"
                    + " returned_value)");
        }
    }
}
