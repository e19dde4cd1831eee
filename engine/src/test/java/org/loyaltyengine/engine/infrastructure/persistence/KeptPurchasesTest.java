package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.loyaltyengine.engine.domain.knowledge.PurchaseTable;
import org.loyaltyengine.engine.domain.knowledge.RfmScoring;
import org.loyaltyengine.engine.domain.sale.SaleLine;

/**
 * Customer knowledge counts what customers kept, on a real database of each kind (embedded Derby on disk, the
 * machine's PostgreSQL): returns recorded before migration 19 are carried into each sale's returned value, a sale
 * whose goods all came back is no purchase, spend and the favourite category are net of what came back, a merged
 * account's purchases are the surviving member's, and the year is the 365 days ending with the day.
 */
class KeptPurchasesTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 20);

    private ScratchDatabase database;

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void returnsRecordedBeforeMigration19AreEachSalesReturnedValue(String kind) throws Exception {
        try (Connection connection = recordedByVersion16ThenMigrated(kind)) {
            assertThat(returnedValue(connection, 1)).isEqualByComparingTo("0");
            assertThat(returnedValue(connection, 2)).as("everything back").isEqualByComparingTo("200.00");
            assertThat(returnedValue(connection, 3)).as("one of two").isEqualByComparingTo("50.00");
            // Three of three, in three returns each valued 3.3333: everything is back, the whole total.
            assertThat(returnedValue(connection, 6)).isEqualByComparingTo("10.00");
            connection.rollback();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void purchasesAreWhatTheCustomerKeptTheirMergedAccountsIncluded(String kind) throws Exception {
        try (Connection connection = recordedByVersion16ThenMigrated(kind)) {

            PurchaseTable table = KnowledgeStore.purchases(connection, 1, ZoneOffset.UTC, DAY);

            RfmScoring.Purchases first = table.get(table.indexOf(1));
            // Sales 1 and 3 of their own, sale 4 of the account merged into them; sale 2 all came back.
            assertThat(first.yearCount()).isEqualTo(3);
            assertThat(first.allTimeCount()).isEqualTo(3);
            // 12.00 + 60.00 kept of 110.00 + 40.00 (the merged account's); the 200.00 all came back.
            assertThat(first.yearSpend()).isEqualByComparingTo("112.00");
            assertThat(first.lastPurchase()).as("the merged account's sale").isEqualTo(DAY.minusDays(2));
            // Tea 3.00 + 10.00 + 40.00 (the merged account's) against electronics 50.00 kept of 300.00 bought.
            assertThat(first.favouriteCategory()).isEqualTo("tea");
            assertThat(table.indexOf(4)).as("the merged account is scored as its survivor").isNegative();

            RfmScoring.Purchases returnedAll = table.get(table.indexOf(2));
            assertThat(returnedAll.yearCount()).isZero();
            assertThat(returnedAll.lastPurchase()).isNull();
            assertThat(returnedAll.favouriteCategory()).isNull();

            RfmScoring.Purchases yearAgo = table.get(table.indexOf(3));
            assertThat(yearAgo.allTimeCount()).isEqualTo(2);
            assertThat(yearAgo.yearCount()).as("365 days before the day is outside its year").isEqualTo(1);
            assertThat(yearAgo.favouriteCategory()).isEqualTo("books");
            connection.rollback();
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (database != null) {
            database.close();
        }
    }

    /** A new database of that kind at version 16, sales and returns as that version wrote them, then migrated. */
    private Connection recordedByVersion16ThenMigrated(String kind) throws Exception {
        database = new ScratchDatabase(kind, "kept");
        Connection connection = database.connection();
        database.migrate("16");
        Timestamp created = Timestamp.valueOf(DAY.minusYears(3).atStartOfDay());
        try (Statement statement = connection.createStatement()) {
            database.addProgramme("KEPT", "Kept", created.toString());
            for (int member = 1; member <= 4; member++) {
                statement.executeUpdate("INSERT INTO member (id, public_id, programme_id, joined_on, tier_code,"
                        + " tier_since, version) VALUES (" + member + ", 'm-" + member + "', 1, '" + DAY.minusYears(2)
                        + "', 'BASE', '" + created + "', 1)");
            }
            statement.executeUpdate("UPDATE member SET status = 'MERGED', merged_into = 1 WHERE id = 4");
            statement.executeUpdate("UPDATE member SET merged_accounts = 1 WHERE id = 1");
        }
        sale(connection, 1, 1, 10, List.of(new SaleLine("COF-250", "coffee", 2, new BigDecimal("4.50")),
                new SaleLine("TEA-100", "tea", 1, new BigDecimal("3.00"))));
        sale(connection, 2, 2, 5, List.of(new SaleLine("TV-1", "electronics", 1, new BigDecimal("200.00"))));
        giveBack(connection, 2, 1, new BigDecimal("200.00"), "TV-1", 1);
        sale(connection, 3, 1, 3, List.of(new SaleLine("HEAD-1", "electronics", 2, new BigDecimal("50.00")),
                new SaleLine("TEA-200", "tea", 1, new BigDecimal("10.00"))));
        giveBack(connection, 3, 2, new BigDecimal("50.00"), "HEAD-1", 1);
        sale(connection, 4, 4, 2, List.of(new SaleLine("TEA-300", "tea", 1, new BigDecimal("40.00"))));
        sale(connection, 5, 3, 365, List.of(new SaleLine("BOOK-1", "books", 1, new BigDecimal("20.00"))));
        sale(connection, 7, 3, 364, List.of(new SaleLine("BOOK-2", "books", 1, new BigDecimal("5.00"))));
        sale(connection, 6, 2, 200, List.of(new SaleLine("PEN-1", "books", 3, new BigDecimal("3.3333")),
                new SaleLine("INK-1", "books", 0, new BigDecimal("0.0001"))));
        for (int part = 0; part < 3; part++) {
            giveBack(connection, 6, 10 + part, new BigDecimal("3.3333"), "PEN-1", 1);
        }
        connection.commit();
        database.migrate(null);
        return connection;
    }

    /** A sale of a member some days before {@link #DAY}, as version 16 wrote it (its total is its lines'). */
    private static void sale(Connection connection, long id, long member, int daysBefore, List<SaleLine> lines)
            throws SQLException {
        Timestamp at = Timestamp.valueOf(DAY.minusDays(daysBefore).atTime(12, 0));
        BigDecimal total = BigDecimal.ZERO;
        for (SaleLine line : lines) {
            total = total.add(line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())));
        }
        if (id == 6) {
            total = new BigDecimal("10.00");
        }
        try (PreparedStatement sale = connection.prepareStatement("INSERT INTO sale (id, public_id, programme_id,"
                + " store_id, terminal_id, receipt_id, member_id, card_number, occurred_at, currency, total,"
                + " request_hash, response, recorded_at, receipt_lines) VALUES (?, ?, 1, 'S1', 'T1', ?, ?,"
                + " '2000000000008', ?, 'EUR', ?, ?, '{}', ?, ?)")) {
            sale.setLong(1, id);
            sale.setString(2, "t-" + id);
            sale.setString(3, "R" + id);
            sale.setLong(4, member);
            sale.setTimestamp(5, at);
            sale.setBigDecimal(6, total);
            sale.setString(7, "0".repeat(64));
            sale.setTimestamp(8, at);
            sale.setString(9, SaleLinesColumn.write(lines));
            sale.executeUpdate();
        }
    }

    /** A return of the sale, as version 16 recorded it. */
    private static void giveBack(Connection connection, long sale, long id, BigDecimal value, String sku,
                                 int quantity) throws SQLException {
        Timestamp at = Timestamp.valueOf(DAY.minusDays(1).atTime(9, 0));
        try (PreparedStatement back = connection.prepareStatement("INSERT INTO sale_return (id, sale_id, return_id,"
                + " store_id, returned_value, points_reversed, request_hash, response, recorded_at) VALUES"
                + " (?, ?, ?, 'S1', ?, 0, ?, '{}', ?)");
             PreparedStatement line = connection.prepareStatement("INSERT INTO sale_return_line (sale_return_id,"
                     + " line_no, sku, quantity) VALUES (?, 0, ?, ?)")) {
            back.setLong(1, id);
            back.setLong(2, sale);
            back.setString(3, "RET-" + id);
            back.setBigDecimal(4, value);
            back.setString(5, "0".repeat(64));
            back.setTimestamp(6, at);
            back.executeUpdate();
            line.setLong(1, id);
            line.setString(2, sku);
            line.setInt(3, quantity);
            line.executeUpdate();
        }
    }

    private static BigDecimal returnedValue(Connection connection, long sale) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT returned_value FROM sale WHERE id = ?")) {
            query.setLong(1, sale);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getBigDecimal(1);
            }
        }
    }
}
