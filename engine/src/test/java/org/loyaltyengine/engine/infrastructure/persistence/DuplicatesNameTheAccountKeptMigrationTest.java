package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Duplicates merged before migration 37 into a member merged in turn name the account kept after it, as merges
 * made since do, so that the reports count their purchases under the one person: on a real database of each kind.
 */
class DuplicatesNameTheAccountKeptMigrationTest {

    private ScratchDatabase database;

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void aChainOfMergesLeadsInOneLinkToTheAccountKept(String kind) throws Exception {
        database = new ScratchDatabase(kind, "chains");
        Connection connection = database.connection();
        database.migrate("36");
        try (Statement statement = connection.createStatement()) {
            database.addProgramme("CHAIN", "Chain", "2026-01-01 00:00:00");
            // 4 into 3, 3 into 2, 2 into 1, and 5 into 1: one person, kept as 1; 6 into 7, another; 8 alone.
            for (int id = 1; id <= 8; id++) {
                statement.executeUpdate("INSERT INTO member (id, public_id, programme_id, joined_on, tier_code,"
                        + " tier_since, version) VALUES (" + id + ", 'm-" + id + "', 1, '2026-01-02', 'BASE',"
                        + " '2026-01-02 00:00:00', 1)");
            }
            int[][] merges = {{4, 3}, {3, 2}, {2, 1}, {5, 1}, {6, 7}};
            for (int[] merge : merges) {
                statement.executeUpdate("UPDATE member SET status = 'MERGED', merged_into = " + merge[1]
                        + " WHERE id = " + merge[0]);
                statement.executeUpdate("UPDATE member SET merged_accounts = merged_accounts + 1 WHERE id = "
                        + merge[1]);
            }
        }
        connection.commit();

        database.migrate(null);

        Map<Integer, String> members = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, merged_into, merged_accounts FROM member"
                     + " ORDER BY id")) {
            while (rows.next()) {
                long into = rows.getLong(2);
                String kept = rows.wasNull() ? "-" : "into " + into;
                members.put(rows.getInt(1), kept + ", " + rows.getInt(3));
            }
        }
        assertThat(members).containsExactly(
                Map.entry(1, "-, 4"),
                Map.entry(2, "into 1, 0"),
                Map.entry(3, "into 1, 0"),
                Map.entry(4, "into 1, 0"),
                Map.entry(5, "into 1, 0"),
                Map.entry(6, "into 7, 0"),
                Map.entry(7, "-, 1"),
                Map.entry(8, "-, 0"));
        connection.rollback();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (database != null) {
            database.close();
        }
    }
}
