package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** An embedded Derby database on disk for the tests of its log and its restore: a ledger that only grows. */
final class DerbyFiles {

    private final Path database;

    DerbyFiles(Path database) {
        this.database = database;
    }

    /** Creates the database (unless it is there already) and its ledger. */
    DerbyFiles create() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database + ";create=true");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE ledger_entry (id INT PRIMARY KEY, recorded_at TIMESTAMP NOT NULL)");
        }
        return this;
    }

    /** A new database with entries 1 to {@code count}, shut down. */
    static DerbyFiles withEntries(Path database, int count) throws SQLException {
        DerbyFiles derby = new DerbyFiles(database).create();
        derby.record(1, count);
        derby.shutDown();
        return derby;
    }

    /** A new database with entries 1 to 3 and a backup of it taken as the engine takes them, left running. */
    static DerbyFiles backedUpAfterThree(Path database, Path backup) throws SQLException {
        DerbyFiles derby = new DerbyFiles(database).create();
        derby.record(1, 3);
        derby.backUpInto(backup);
        return derby;
    }

    /**
     * Records entries {@code from} to {@code to}, each committed on its own as the tills' are, at the time of day in
     * UTC, as the engine records them.
     */
    void record(int from, int to) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger_entry VALUES (?, ?)")) {
            for (int id = from; id <= to; id++) {
                insert.setInt(1, id);
                insert.setTimestamp(2, Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC)));
                insert.executeUpdate();
            }
        }
    }

    /** Records entries {@code from} to {@code to} in one transaction: a busy hour's log, in a moment. */
    void recordInOneTransaction(int from, int to) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database);
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO ledger_entry VALUES (?, ?)")) {
            connection.setAutoCommit(false);
            for (int id = from; id <= to; id++) {
                insert.setInt(1, id);
                insert.setTimestamp(2, Timestamp.valueOf(LocalDateTime.now(ZoneOffset.UTC)));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        }
    }

    /** The online backup as the engine takes it (application.Backups): in log archive mode. */
    void backUpInto(Path folder) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database);
             CallableStatement backup = connection.prepareCall(
                     "CALL SYSCS_UTIL.SYSCS_BACKUP_DATABASE_AND_ENABLE_LOG_ARCHIVE_MODE(?, 1)")) {
            backup.setString(1, folder.toString());
            backup.execute();
        }
    }

    /**
     * The number of entries, read by a plain boot of the database (no attributes: as the engine's pool boots it),
     * which is shut down again.
     */
    long entries() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database);
             Statement statement = connection.createStatement();
             ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM ledger_entry")) {
            count.next();
            return count.getLong(1);
        } finally {
            shutDown();
        }
    }

    void shutDown() {
        try {
            DriverManager.getConnection("jdbc:derby:" + database + ";shutdown=true").close();
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as("Derby's answer to a clean shut-down").isEqualTo("08006");
        }
    }
}
