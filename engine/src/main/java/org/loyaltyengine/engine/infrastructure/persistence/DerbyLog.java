package org.loyaltyengine.engine.infrastructure.persistence;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.loyaltyengine.engine.infrastructure.config.Folders;

/**
 * Where embedded Derby writes its transaction log, and putting it on another disk ({@code LOYALTY_DB_LOG_DIR}):
 * with the log apart from the database, a lost database disk loses nothing recorded, since the newest backup
 * brought forward by the log is the database as of its last commit (BackupRestore). Run by {@code run-engine.sh}
 * before the engine starts, the data folder locked:
 * <ul>
 *   <li>no database yet: it is created with its log in the given folder (Derby's {@code logDevice});</li>
 *   <li>a database whose log is elsewhere (its own folder, or an earlier log folder): the log is moved, then the
 *       database told where it is ({@code logDevice} in its {@code service.properties}, which Derby reads at boot),
 *       then the old log deleted. A move cut short is done again at the next start: the old log stays the
 *       database's until the new one is complete and recorded;</li>
 *   <li>a database whose log is already there: nothing.</li>
 * </ul>
 */
public final class DerbyLog {

    private static final String DEVICE = "logDevice";

    private DerbyLog() {
    }

    /** {@code DerbyLog <database folder> <log folder>}: exits 1, with the reason, when the log cannot be placed. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("Usage: DerbyLog <database folder> <log folder>");
            System.exit(2);
        }
        try {
            System.out.println(place(Path.of(args[0]), Path.of(args[1])));
        } catch (IllegalStateException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The folder Derby keeps the database's log in ({@code <device>/log}, by default the database's own). */
    public static Path of(Path database) {
        String device = serviceProperties(database).getProperty(DEVICE);
        return (device == null || device.isBlank() ? database : Path.of(device)).resolve("log");
    }

    /**
     * Puts the database's log into {@code <device>/log}.
     *
     * @return what was done, for the engine's start-up output
     * @throws IllegalStateException a log is already in that folder for no database, or the log cannot be moved
     */
    public static String place(Path database, Path device) {
        Path target = device.toAbsolutePath().normalize();
        Path log = target.resolve("log");
        if (!Files.isRegularFile(database.resolve("service.properties"))) {
            if (Files.exists(log)) {
                throw new IllegalStateException(log + " holds a transaction log but " + database + " holds no"
                        + " database: restore the database from a backup (restore-engine.sh), or move that log away");
            }
            create(database, target);
            return "Derby's transaction log: " + log + " (a new database)";
        }
        Path current = of(database).toAbsolutePath().normalize();
        if (current.equals(log)) {
            // A move cut short after the database was told: the log it left in the database's folder is no one's.
            Path own = database.toAbsolutePath().normalize().resolve("log");
            if (!own.equals(log)) {
                delete(own);
            }
            return "Derby's transaction log: " + log;
        }
        if (!Files.isDirectory(current)) {
            throw new IllegalStateException("The transaction log of " + database + " is not in " + current
                    + ": it cannot be moved to " + log);
        }
        // A log left in the target by a move cut short is not yet the database's: the current one is, whole.
        delete(log);
        Path partial = target.resolve("log.partial");
        delete(partial);
        copy(current, partial);
        try {
            Files.move(partial, log, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("Could not move the transaction log to " + log + ": " + e.getMessage(),
                    e);
        }
        record(database, target);
        delete(current);
        return "Derby's transaction log moved from " + current + " to " + log;
    }

    private static void create(Path database, Path device) {
        try {
            Files.createDirectories(device);
            DriverManager.getConnection("jdbc:derby:" + database.toAbsolutePath() + ";create=true;" + DEVICE + "="
                    + device).close();
            DriverManager.getConnection("jdbc:derby:" + database.toAbsolutePath() + ";shutdown=true").close();
        } catch (SQLException e) {
            if (!"08006".equals(e.getSQLState())) {
                throw new IllegalStateException("Could not create the database " + database + " with its log in "
                        + device + ": " + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not create " + device + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code logDevice} into the database's properties (a whole new file, then renamed over the old one). */
    private static void record(Path database, Path device) {
        Path file = database.resolve("service.properties");
        try {
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                if (!line.startsWith(DEVICE + "=")) {
                    lines.add(line);
                }
            }
            Properties entry = new Properties();
            entry.setProperty(DEVICE, device.toString());
            StringWriter text = new StringWriter();
            entry.store(text, null);
            text.toString().lines().filter(line -> !line.startsWith("#")).forEach(lines::add);
            Path written = database.resolve("service.properties.new");
            Files.write(written, lines, java.nio.charset.StandardCharsets.ISO_8859_1);
            Files.move(written, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("Could not record the log's folder in " + file + ": " + e.getMessage(),
                    e);
        }
    }

    private static Properties serviceProperties(Path database) {
        Properties service = new Properties();
        Path file = database.resolve("service.properties");
        if (Files.isRegularFile(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                service.load(in);
            } catch (IOException e) {
                throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return service;
    }

    private static void copy(Path from, Path to) {
        try {
            Folders.copy(from, to);
        } catch (IOException e) {
            throw new IllegalStateException("Could not copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path folder) {
        try {
            Folders.delete(folder);
        } catch (IOException e) {
            throw new IllegalStateException("Could not delete " + folder + ": " + e.getMessage(), e);
        }
    }
}
