package org.loyaltyengine.engine.infrastructure.persistence;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A new, empty database of a kind for one test, real as the engine's: embedded Derby in a folder of its own under
 * {@code target/}, or a database of its own on the machine's PostgreSQL (127.0.0.1:5432, user postgres), dropped
 * when the test closes it.
 */
final class ScratchDatabase implements AutoCloseable {

    private final String url;
    private final String user;
    private final String postgresqlName;
    private final Connection connection;

    /** @param kind {@code derby} or {@code postgresql} */
    ScratchDatabase(String kind, String prefix) throws Exception {
        if (kind.equals("derby")) {
            Path folder = Files.createDirectories(Path.of("target", prefix + "-" + System.nanoTime()));
            System.setProperty("derby.stream.error.file", folder.resolve("derby.log").toString());
            url = "jdbc:derby:" + folder.toAbsolutePath().resolve("database");
            user = "APP";
            postgresqlName = null;
            DriverManager.getConnection(url + ";create=true").close();
        } else {
            postgresqlName = "loyalty_" + prefix + "_" + System.nanoTime();
            try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                    "postgres", "");
                 Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE " + postgresqlName);
            }
            url = "jdbc:postgresql://127.0.0.1:5432/" + postgresqlName;
            user = "postgres";
        }
        connection = connect();
    }

    /** The database's JDBC URL. */
    String url() {
        return url;
    }

    /** The test's connection, not in auto-commit. */
    Connection connection() {
        return connection;
    }

    /** Another connection to the database, not in auto-commit: a second engine instance's. */
    Connection connect() throws SQLException {
        Connection another = DriverManager.getConnection(url, user, "");
        another.setAutoCommit(false);
        return another;
    }

    /**
     * Inserts programme 1 on the test's connection (not committed) as the versions since the first write one: euros,
     * points for 730 days, a year's tier window, UTC.
     *
     * @param createdAt as SQL reads a timestamp, {@code 2026-01-01 00:00:00}
     */
    void addProgramme(String code, String name, String createdAt) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO programme (id, code, name, currency, points_expire_after_days,"
                    + " pending_days, point_value, tier_window_days, zone_id, created_at) VALUES (1, '" + code
                    + "', '" + name + "', 'EUR', 730, 0, 0.01, 365, 'UTC', '" + createdAt + "')");
        }
    }

    /** Migrates the schema as the engine does at start-up, to a version ({@code "12"}) or to the latest (null). */
    void migrate(String version) throws SQLException {
        var flyway = DatabaseMigration.flyway(getClass().getClassLoader(),
                DatabaseMigration.isPostgresql(connection)).dataSource(url, user, "");
        (version == null ? flyway : flyway.target(version)).load().migrate();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
        if (postgresqlName == null) {
            try {
                DriverManager.getConnection(url + ";shutdown=true").close();
            } catch (SQLException expected) {
                // Derby reports a database shut down as 08006.
            }
        } else {
            try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                    "postgres", "");
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE " + postgresqlName + " WITH (FORCE)");
            }
        }
    }
}
