package org.loyaltyengine.engine.infrastructure.persistence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.loyaltyengine.engine.infrastructure.config.Folders;
import org.loyaltyengine.engine.infrastructure.config.OwnerFile;

/**
 * Where embedded Derby writes its transaction log, and putting it on another disk ({@code LOYALTY_DB_LOG_DIR}):
 * with the log apart from the database, a lost database disk loses nothing recorded, since the newest backup
 * brought forward by the log is the database as of its last commit (BackupRestore). Run by {@code run-engine.sh}
 * before the engine starts, the data folder locked:
 * <ul>
 *   <li>no database yet: it is created with its log in the given folder (Derby's {@code logDevice});</li>
 *   <li>a database whose log is elsewhere (its own folder, or an earlier log folder): the log is copied (each file
 *       forced to the disk), the database told where it is ({@code logDevice} in its {@code service.properties},
 *       which Derby reads at boot), booted once on it, and only then the old log deleted. Until the database boots
 *       on the new log, the old one stays the database's: a move cut short is done again at the next start;</li>
 *   <li>a database whose log is already there: nothing.</li>
 * </ul>
 * A log folder holds a file naming the data folder whose database it is ({@value #OWNER}): a restore never replays
 * another engine's log. Nothing found in the way is deleted: it is set aside under a name with the time.
 */
public final class DerbyLog {

    /** The file beside the {@code log} folder that names the data folder whose database the log is. */
    static final String OWNER = "log.owner";

    /** The folder in a backup's that holds the copy of the log written since it ({@link #ship}). */
    public static final String SHIPPED = "log-since";

    private static final String DEVICE = "logDevice";

    /** The line Derby ends its {@code service.properties} with; it reads anything after it as a damaged file. */
    private static final String LAST_LINE = "#--- last line";

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

    /** The time now, UTC, as the names of what is set aside end with ({@code log.orphaned-20261205T030000Z}). */
    static String stamp() {
        return BackupName.of(Instant.now());
    }

    /** The numbers of the log's files ({@code log<n>.dat}), in order; none for a folder that is not there. */
    public static List<Long> files(Path log) {
        if (!Files.isDirectory(log)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(log)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches("log\\d+\\.dat"))
                    .map(name -> Long.parseLong(name.substring(3, name.length() - 4)))
                    .sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Whether the log written since a backup can be replayed on it: the live log goes on from the last file of the
     * backup's own log (or from the next one, when Derby checkpointed past it and deleted it right after the
     * backup) without a hole. Derby replays up to the first missing file and stops there without a word.
     */
    public static boolean continuesFrom(Path backupLog, Path log) {
        long last = files(backupLog).stream().mapToLong(Long::longValue).max().orElse(-1);
        List<Long> live = files(log);
        long first = live.contains(last) ? last : last + 1;
        boolean continuous = last >= 0 && live.contains(first);
        for (long number = first; continuous && number <= live.get(live.size() - 1); number++) {
            continuous = live.contains(number);
        }
        return continuous;
    }

    /**
     * Copies the log written since a backup into the backup's folder ({@value #SHIPPED}{@code /log}), so that a
     * restore can bring the backup forward when the log's own disk is lost too: to the moment of the newest copy.
     * Called while the database runs. Each file is written under another name, forced to the disk and renamed, so a
     * copy cut short leaves the one before it whole; the control files (which name the last checkpoint) are read
     * before the log files and put in place after them, so that they never name a checkpoint the copy lacks.
     * Derby's log files are of a fixed size (1 MB), so their size does not tell whether they grew: the files from
     * the one before the newest copied on are compared with the log's and copied again if they differ (Derby begins
     * a new file before it ends the one before, and the end of a file missing from the copy would end the replay
     * there), older ones only copied when missing. A copy every minute of a till's day writes one or two files.
     *
     * @return the number of log files copied; -1 when the log does not go on from the backup (a newer backup is
     *         to be copied to), and nothing was copied
     */
    public static int ship(Path log, Path backup) throws IOException {
        Path backupLog = backup.resolve("database").resolve("log");
        if (!continuesFrom(backupLog, log)) {
            return -1;
        }
        List<Long> saved = files(backupLog);
        long first = saved.get(saved.size() - 1);
        Path copy = backup.resolve(SHIPPED).resolve("log");
        Files.createDirectories(copy);
        List<Long> copied = files(copy);
        long growing = copied.isEmpty() ? first : copied.get(copied.size() - 1) - 1;
        List<String> controls = List.of("log.ctrl", "logmirror.ctrl");
        for (String control : controls) {
            Folders.replace(log.resolve(control), copy.resolve(control + ".next"));
        }
        int files = 0;
        for (long number : files(log)) {
            Path from = log.resolve("log" + number + ".dat");
            Path to = copy.resolve(from.getFileName());
            if (number >= first && (!Files.exists(to) || number >= growing && Files.mismatch(from, to) != -1)) {
                Folders.replace(from, to);
                files++;
            }
        }
        for (String control : controls) {
            Files.move(copy.resolve(control + ".next"), copy.resolve(control), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        }
        Folders.force(copy);
        return files;
    }

    /**
     * Puts the database's log into {@code <device>/log}.
     *
     * @return what was done, for the engine's start-up output
     * @throws IllegalStateException a log is already in that folder for no database, the folders overlap, the log
     *         is behind a symbolic link, or it cannot be moved (the database is then left on its old log)
     */
    public static String place(Path database, Path device) {
        Path db = OwnerFile.canonical(database);
        Path dataFolder = OwnerFile.canonical(database.toAbsolutePath().normalize().getParent());
        Path target = OwnerFile.canonical(device);
        Path log = target.resolve("log");
        requireOwnedBy(log, dataFolder);
        if (!target.equals(db) && (log.startsWith(db) || db.startsWith(log))) {
            throw new IllegalStateException("The log folder " + log + " and the database " + db + " overlap: give"
                    + " LOYALTY_DB_LOG_DIR a folder outside the database's");
        }
        if (!Files.isRegularFile(db.resolve("service.properties"))) {
            if (Files.exists(log)) {
                throw new IllegalStateException(log + " holds a transaction log but " + db + " holds no database:"
                        + " restore the database from a backup (restore-engine.sh), or move that log away");
            }
            create(db, target);
            writeOwner(log, dataFolder);
            return "Derby's transaction log: " + log + " (a new database)";
        }
        Path declared = of(db);
        if (Files.isSymbolicLink(declared)) {
            throw new IllegalStateException("The transaction log of " + db + " is a symbolic link (" + declared
                    + "): replace the link by the folder it points to, or give LOYALTY_DB_LOG_DIR that folder's"
                    + " parent once the link is gone");
        }
        Path current = OwnerFile.canonical(declared);
        if (current.equals(log)) {
            if (!Files.isDirectory(log)) {
                throw new IllegalStateException("The transaction log of " + db + " should be in " + log
                        + ", which is not there: is its disk mounted?");
            }
            writeOwner(log, dataFolder);
            Path own = db.resolve("log");
            return "Derby's transaction log: " + log + (!own.equals(log) && Files.exists(own) ? " (the database no"
                    + " longer uses " + own + ", left by a move cut short: delete it)" : "");
        }
        if (!Files.isDirectory(current)) {
            throw new IllegalStateException("The transaction log of " + db + " is not in " + current
                    + ": it cannot be moved to " + log);
        }
        String stamp = stamp();
        String aside = "";
        if (Files.exists(log, LinkOption.NOFOLLOW_LINKS)) {
            // A copy of a move cut short, or another database's log: either way not this database's, and kept.
            Path orphan = target.resolve("log.orphaned-" + stamp);
            move(log, orphan);
            aside = " (what was in " + log + " was set aside as " + orphan + ")";
        }
        Path partial = target.resolve("log.partial");
        delete(partial);
        try {
            Folders.copy(current, partial);
            Files.move(partial, log, StandardCopyOption.ATOMIC_MOVE);
            Folders.force(target);
        } catch (IOException e) {
            throw new IllegalStateException("Could not copy the transaction log to " + log + ": " + e.getMessage()
                    + "; the database keeps its log in " + current, e);
        }
        Path properties = db.resolve("service.properties");
        Path before = db.resolve("service.properties.before-log-move");
        try {
            Files.copy(properties, before, StandardCopyOption.REPLACE_EXISTING);
            record(db, target);
            boot(db);
        } catch (IllegalStateException | IOException e) {
            try {
                Files.move(before, properties, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Folders.force(db);
                move(log, target.resolve("log.failed-" + stamp));
            } catch (IOException | IllegalStateException undo) {
                e.addSuppressed(undo);
            }
            throw new IllegalStateException("The database did not start on the log copied to " + log + " ("
                    + e.getMessage() + "); it keeps its log in " + current, e);
        }
        writeOwner(log, dataFolder);
        String left = "";
        try {
            Folders.delete(before);
            Folders.delete(current);
        } catch (IOException e) {
            left = " (the old log could not be deleted: " + e.getMessage() + "; the database no longer uses it)";
        }
        return "Derby's transaction log moved from " + current + " to " + log + aside + left;
    }

    private static void create(Path database, Path device) {
        try {
            Files.createDirectories(device);
            Properties attributes = new Properties();
            attributes.setProperty("create", "true");
            attributes.setProperty(DEVICE, device.toString());
            DriverManager.getConnection("jdbc:derby:" + database, attributes).close();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the database " + database + " with its log in "
                    + device + ": " + BackupRestore.message(e), e);
        } catch (IOException e) {
            throw new IllegalStateException("Could not create " + device + ": " + e.getMessage(), e);
        }
        shutDown(database);
    }

    /** Boots the database once and shuts it down: it starts on the log it was told of (and has recovered). */
    private static void boot(Path database) {
        try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database)) {
            connection.getMetaData();
        } catch (SQLException e) {
            throw new IllegalStateException(BackupRestore.message(e), e);
        }
        shutDown(database);
    }

    static void shutDown(Path database) {
        try {
            DriverManager.getConnection("jdbc:derby:" + database + ";shutdown=true").close();
        } catch (SQLException e) {
            // 08006: shut down, as asked; anything else: it did not boot, nothing to shut down.
        }
    }

    /**
     * Writes {@code logDevice} into the database's properties, before Derby's last line (a whole new file, forced
     * to the disk, then renamed over the old one). A file Derby left half rewritten ({@code service.propertiesold}
     * beside it) is first put right by booting the database.
     */
    private static void record(Path database, Path device) throws IOException {
        if (Files.exists(database.resolve("service.propertiesold"))) {
            boot(database);
        }
        Path file = database.resolve("service.properties");
        Properties entry = new Properties();
        entry.setProperty(DEVICE, device.toString());
        ByteArrayOutputStream escaped = new ByteArrayOutputStream();
        entry.store(escaped, null);
        List<String> lines = new ArrayList<>();
        boolean written = false;
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith(DEVICE + "=")) {
                continue;
            }
            if (!written && line.startsWith(LAST_LINE)) {
                escaped.toString(StandardCharsets.ISO_8859_1).lines().filter(text -> !text.startsWith("#"))
                        .forEach(lines::add);
                written = true;
            }
            lines.add(line);
        }
        if (!written) {
            escaped.toString(StandardCharsets.ISO_8859_1).lines().filter(text -> !text.startsWith("#"))
                    .forEach(lines::add);
        }
        Path next = database.resolve("service.properties.new");
        Files.write(next, lines, StandardCharsets.ISO_8859_1);
        Folders.force(next);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Folders.force(database);
    }

    /**
     * Refuses, before anything is changed, a log another data folder's database writes: taking it over, or setting
     * it aside, would hand that engine's sales to this one or lose them.
     */
    static void requireOwnedBy(Path log, Path dataFolder) {
        OwnerFile.other(log.resolveSibling(OWNER), dataFolder).ifPresent(owner -> {
            throw new IllegalStateException("The transaction log in " + log + " is the database's of the data"
                    + " folder " + owner + ", not of " + dataFolder + ". Give this engine a log folder of its own;"
                    + " or, if it is this engine's log and only the data folder's path changed (its disk mounted"
                    + " elsewhere), delete " + log.resolveSibling(OWNER) + " and start again");
        });
    }

    /** Writes the owner file when it is missing (or names another folder once the operator allowed it). */
    static void writeOwner(Path log, Path dataFolder) {
        OwnerFile.write(log.resolveSibling(OWNER), dataFolder);
    }

    /** The database's {@code service.properties} (none when it has none yet). */
    static Properties serviceProperties(Path database) {
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

    private static void move(Path from, Path to) {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new IllegalStateException("Could not move " + from + " to " + to + ": " + e.getMessage(), e);
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
