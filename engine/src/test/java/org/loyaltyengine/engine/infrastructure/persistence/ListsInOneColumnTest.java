package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.loyaltyengine.engine.domain.knowledge.PurchaseTable;
import org.loyaltyengine.engine.domain.ledger.AppliedRule;
import org.loyaltyengine.engine.domain.sale.SaleLine;

/**
 * Migration 13 on a real database of each kind (embedded Derby on disk, the machine's PostgreSQL): the lines and
 * rule shares recorded before it, a row each, are the same lists afterwards in their owners' one column, and the
 * favourite categories of customer knowledge are summed from that column as they were from the rows.
 */
class ListsInOneColumnTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);

    /** More sales than the migration writes in one batch, so that its batches meet their owners. */
    private static final int MANY = 2_345;

    private ScratchDatabase database;

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void linesAndRuleSharesRecordedBeforeAreTheSameListsAfterwards(String kind) throws Exception {
        try (Connection connection = recordedByVersion12ThenMigrated(kind)) {

            assertThat(lines(connection, 1)).containsExactly(
                    new SaleLine("COF-250", "coffee", 2, new BigDecimal("4.5000")),
                    new SaleLine("TEA-100", "tea", 1, new BigDecimal("3.0000")));
            assertThat(lines(connection, 3)).containsExactly(
                    new SaleLine("CRO-1 \"beurre\"\t\\", "café", 1, new BigDecimal("5.0000")),
                    new SaleLine("BAG-1", "bakery", 1, new BigDecimal("5.0000")));
            for (long sale = 100; sale < 100 + MANY; sale++) {
                assertThat(lines(connection, sale)).as("sale %d", sale)
                        .containsExactly(new SaleLine("S-" + sale, "misc", 1, new BigDecimal("0.0100")));
            }
            assertThat(rules(connection, 1)).containsExactly(new AppliedRule("base-earn", 9),
                    new AppliedRule("coffee-bonus", 4));
            assertThat(rules(connection, 2)).as("a redemption has no shares").isNull();
            for (String dropped : List.of("sale_line", "ledger_applied_rule")) {
                assertThatThrownBy(() -> count(connection, dropped)).isInstanceOf(SQLException.class);
                connection.rollback();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void favouriteCategoriesAreSummedOverTheYearsSalesFromTheirLines(String kind) throws Exception {
        try (Connection connection = recordedByVersion12ThenMigrated(kind)) {

            PurchaseTable table = KnowledgeStore.purchases(connection, 1, ZoneOffset.UTC, DAY);
            // Member 1: coffee 9.00 on one sale; tea 3.00 on it and 9.00 on another, 12.00 in all.
            assertThat(table.get(table.indexOf(1)).favouriteCategory()).isEqualTo("tea");
            // Member 2: bakery and café 5.00 each (the first by name wins); the wine is over a year old.
            assertThat(table.get(table.indexOf(2)).favouriteCategory()).isEqualTo("bakery");
            assertThat(table.get(table.indexOf(3)).favouriteCategory()).isEqualTo("misc");
            assertThat(table.get(table.indexOf(3)).yearCount()).isEqualTo(MANY);
            connection.rollback();
        }
    }

    /** A new database of that kind at version 12, what that version wrote in it, then the migrations since. */
    private Connection recordedByVersion12ThenMigrated(String kind) throws Exception {
        database = new ScratchDatabase(kind, "lists");
        Connection connection = database.connection();
        database.migrate("12");
        recordTheOldWay(connection);
        database.migrate(null);
        return connection;
    }

    /** What version 12 of the engine wrote: a row per line and per rule share, children in any order. */
    private void recordTheOldWay(Connection connection) throws SQLException {
        Timestamp created = Timestamp.valueOf(DAY.minusYears(3).atStartOfDay());
        try (Statement statement = connection.createStatement()) {
            database.addProgramme("LIST", "Lists", created.toString());
            for (int member = 1; member <= 3; member++) {
                statement.executeUpdate("INSERT INTO member (id, public_id, programme_id, joined_on, tier_code,"
                        + " tier_since, version) VALUES (" + member + ", 'm-" + member + "', 1, '" + DAY.minusYears(2)
                        + "', 'BASE', '" + created + "', 1)");
            }
        }
        sale(connection, 1, 1, 10, new Object[][] {{2, "TEA-100", "tea", 1, "3.00"}, {1, "COF-250", "coffee", 2, "4.50"}});
        sale(connection, 2, 1, 5, new Object[][] {{1, "TEA-100", "tea", 3, "3.00"}});
        sale(connection, 3, 2, 20, new Object[][] {{1, "CRO-1 \"beurre\"\t\\", "café", 1, "5.00"},
            {2, "BAG-1", "bakery", 1, "5.00"}});
        sale(connection, 4, 2, 400, new Object[][] {{1, "WINE-12", "wine", 12, "30.00"}});
        for (int sale = 100; sale < 100 + MANY; sale++) {
            sale(connection, sale, 3, 1 + sale % 300, new Object[][] {{1, "S-" + sale, "misc", 1, "0.01"}});
        }
        Timestamp at = Timestamp.valueOf(DAY.minusDays(10).atTime(12, 0));
        try (PreparedStatement entry = connection.prepareStatement("INSERT INTO ledger_entry (id, member_id, kind,"
                + " points, qualifying_points, occurred_at, recorded_at, channel, actor, sale_id) VALUES"
                + " (?, 1, ?, ?, ?, ?, ?, 'STORE', 'S1/T1', 1)");
             PreparedStatement share = connection.prepareStatement("INSERT INTO ledger_applied_rule (entry_id, seq,"
                     + " rule_name, points) VALUES (1, ?, ?, ?)")) {
            Object[][] entries = {{1, "EARN", 13, 13}, {2, "REDEEM", -5, 0}};
            for (Object[] values : entries) {
                for (int i = 0; i < values.length; i++) {
                    entry.setObject(i + 1, values[i]);
                }
                entry.setTimestamp(5, at);
                entry.setTimestamp(6, at);
                entry.executeUpdate();
            }
            Object[][] shares = {{1, "coffee-bonus", 4}, {0, "base-earn", 9}};
            for (Object[] values : shares) {
                for (int i = 0; i < values.length; i++) {
                    share.setObject(i + 1, values[i]);
                }
                share.executeUpdate();
            }
        }
        connection.commit();
    }

    /** A sale of a member some days before {@link #DAY}, with its lines as {line_no, sku, category, quantity, price}. */
    private static void sale(Connection connection, long id, long member, int daysBefore, Object[][] lines)
            throws SQLException {
        Timestamp at = Timestamp.valueOf(DAY.minusDays(daysBefore).atTime(12, 0));
        BigDecimal total = BigDecimal.ZERO;
        try (PreparedStatement line = connection.prepareStatement("INSERT INTO sale_line (sale_id, line_no, sku,"
                + " category, quantity, unit_price) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Object[] values : lines) {
                total = total.add(new BigDecimal((String) values[4]).multiply(BigDecimal.valueOf((int) values[3])));
            }
            try (PreparedStatement sale = connection.prepareStatement("INSERT INTO sale (id, public_id, programme_id,"
                    + " store_id, terminal_id, receipt_id, member_id, card_number, occurred_at, currency, total,"
                    + " request_hash, response, recorded_at) VALUES (?, ?, 1, 'S1', 'T1', ?, ?, '2000000000008', ?,"
                    + " 'EUR', ?, ?, '{}', ?)")) {
                sale.setLong(1, id);
                sale.setString(2, "t-" + id);
                sale.setString(3, "R" + id);
                sale.setLong(4, member);
                sale.setTimestamp(5, at);
                sale.setBigDecimal(6, total);
                sale.setString(7, "0".repeat(64));
                sale.setTimestamp(8, at);
                sale.executeUpdate();
            }
            for (Object[] values : lines) {
                line.setLong(1, id);
                for (int i = 0; i < values.length; i++) {
                    line.setObject(i + 2, values[i] instanceof String price && i == 4 ? new BigDecimal(price)
                            : values[i]);
                }
                line.executeUpdate();
            }
        }
    }

    private static List<SaleLine> lines(Connection connection, long sale) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT receipt_lines FROM sale WHERE id = ?")) {
            query.setLong(1, sale);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return new SaleLinesColumn().convertToEntityAttribute(row.getString(1)).lines();
            }
        }
    }

    private static List<AppliedRule> rules(Connection connection, long entry) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT applied_rules FROM ledger_entry"
                + " WHERE id = ?")) {
            query.setLong(1, entry);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                String json = row.getString(1);
                return json == null ? null : new AppliedRulesColumn().convertToEntityAttribute(json).shares();
            }
        }
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            row.next();
            return row.getLong(1);
        }
    }

    @AfterEach
    void dropTheDatabase() throws SQLException {
        if (database != null) {
            database.close();
        }
    }
}
