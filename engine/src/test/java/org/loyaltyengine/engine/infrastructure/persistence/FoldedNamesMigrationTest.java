package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Members enrolled before migration 34 are found by the desk's search as those enrolled after: their names, as
 * written, are folded into the columns the search reads, on a real database of each kind.
 */
class FoldedNamesMigrationTest {

    private ScratchDatabase database;

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void membersEnrolledBeforeMigration34HaveTheirNamesFolded(String kind) throws Exception {
        database = new ScratchDatabase(kind, "folded");
        Connection connection = database.connection();
        database.migrate("33");
        try (Statement statement = connection.createStatement()) {
            database.addProgramme("FOLD", "Fold", "2026-01-01 00:00:00");
            statement.executeUpdate("INSERT INTO member (id, public_id, programme_id, joined_on, tier_code,"
                    + " tier_since, version, first_name, last_name) VALUES (1, 'm-1', 1, '" + LocalDate.of(2026, 1, 2)
                    + "', 'BASE', '2026-01-02 00:00:00', 1, 'Ána María', 'López-Ñúñez')");
            statement.executeUpdate("INSERT INTO member (id, public_id, programme_id, joined_on, tier_code,"
                    + " tier_since, version) VALUES (2, 'm-2', 1, '" + LocalDate.of(2026, 1, 2)
                    + "', 'BASE', '2026-01-02 00:00:00', 1)");
        }
        connection.commit();

        database.migrate(null);

        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT id, first_folded, last_folded FROM member ORDER BY id")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(2)).isEqualTo("ana maria");
            assertThat(rows.getString(3)).isEqualTo("lopez nunez");
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(2)).as("no name, none folded").isNull();
            assertThat(rows.getString(3)).isNull();
        }
        connection.rollback();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (database != null) {
            database.close();
        }
    }
}
