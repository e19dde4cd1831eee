package org.loyaltyengine.engine.application;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.loyaltyengine.engine.infrastructure.config.DataFolder;
import org.loyaltyengine.engine.infrastructure.persistence.Jdbc;
import org.loyaltyengine.engine.infrastructure.security.SigningKey;

/**
 * An engine's {@link Backups} outside Payara, on a real embedded Derby database in a data folder on disk (its
 * backups in the folder's {@code backups}), for the tests of backups and log copies. The database holds one table
 * the tests fill as the tills would. A thread named {@value #STALLING} stands still in the middle of a log copy
 * while {@link #stallCopies} holds, as a copy does on a share that stopped answering.
 */
public final class BackupsOnDisk {

    /** The name of the thread whose log copies stall while {@link #stallCopies} holds. */
    public static final String STALLING = "stalling-log-copy";

    private final Path database;

    private final Backups backups = new Backups();

    private volatile CountDownLatch stall;

    private volatile CountDownLatch stalled = new CountDownLatch(1);

    private int recorded;

    public BackupsOnDisk(Path data) throws SQLException, IOException {
        database = data.resolve("database");
        Path key = Files.createDirectories(data.resolve("keys")).resolve("token-signing.key");
        Files.writeString(key, "a-key-of-this-engine");
        try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database + ";create=true");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE sale (id INT PRIMARY KEY, receipt VARCHAR(200) NOT NULL)");
        }
        backups.jdbc = new Jdbc() {
            @Override
            public Connection connection() throws SQLException {
                return DriverManager.getConnection("jdbc:derby:" + database);
            }

            @Override
            public boolean postgresql() {
                return false;
            }
        };
        backups.dataFolder = new DataFolder() {
            @Override
            public Path root() {
                return data;
            }

            @Override
            public Path resolve(String name) {
                CountDownLatch holding = stall;
                if (holding != null && "database".equals(name) && STALLING.equals(Thread.currentThread().getName())) {
                    stalled.countDown();
                    await(holding);
                }
                return data.resolve(name);
            }
        };
        backups.signingKey = new SigningKey() {
            @Override
            public Path file() {
                return key;
            }
        };
        backups.clock = Clock.systemUTC();
        backups.keep = 7;
        backups.backupDir = Optional.empty();
    }

    public Backups backups() {
        return backups;
    }

    /** Sets how long a backup waits for a log copy in progress. */
    public void waitForLogCopiesAtMost(Duration wait) {
        backups.logCopyWait = wait;
    }

    /** Log copies on the {@value #STALLING} thread stand still in the middle until the latch given is counted down. */
    public void stallCopies(CountDownLatch until) {
        stalled = new CountDownLatch(1);
        stall = until;
    }

    /** Waits until a copy on the {@value #STALLING} thread stands still. */
    public void awaitStalledCopy() {
        await(stalled);
    }

    /** Records {@code count} sales, each committed on its own. */
    public void record(int count) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO sale VALUES (?, ?)")) {
            for (int sale = 0; sale < count; sale++) {
                insert.setInt(1, ++recorded);
                insert.setString(2, "receipt " + recorded);
                insert.executeUpdate();
            }
        }
    }

    /**
     * Makes the log no longer go on from the backups taken so far, as Derby does when its log archive mode is turned
     * off (by hand, or by a restore from an older backup): the log files since are deleted at the next checkpoints.
     */
    public void dropTheLogSinceTheBackups() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database);
             CallableStatement off = connection.prepareCall("CALL SYSCS_UTIL.SYSCS_DISABLE_LOG_ARCHIVE_MODE(1)")) {
            off.execute();
        }
        for (int round = 0; round < 3; round++) {
            try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database);
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO sale VALUES (?, ?)");
                 CallableStatement checkpoint = connection.prepareCall(
                         "CALL SYSCS_UTIL.SYSCS_CHECKPOINT_DATABASE()")) {
                connection.setAutoCommit(false);
                for (int sale = 0; sale < 8_000; sale++) {
                    insert.setInt(1, ++recorded);
                    insert.setString(2, "a receipt long enough to fill the log file quickly " + "x".repeat(100));
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
                checkpoint.execute();
            }
        }
    }

    public void shutDown() {
        try {
            DriverManager.getConnection("jdbc:derby:" + database + ";shutdown=true").close();
        } catch (SQLException e) {
            if (!"08006".equals(e.getSQLState())) {
                throw new IllegalStateException("Derby did not shut down cleanly", e);
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Not released in 2 minutes: the test is stuck");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
