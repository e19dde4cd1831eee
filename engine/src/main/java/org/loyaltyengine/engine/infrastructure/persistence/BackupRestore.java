package org.loyaltyengine.engine.infrastructure.persistence;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Stream;

import org.loyaltyengine.engine.infrastructure.config.Folders;
import org.loyaltyengine.engine.infrastructure.config.OwnerFile;

/**
 * Restores an engine's embedded Derby database from one of its backups (application.Backups), with the engine
 * stopped: {@code admin-war/src/main/sh/restore-engine.sh}, which runs this with the WAR's Derby.
 *
 * <p>Where the damaged database still has its transaction log, and the backup was taken in log archive mode (every
 * backup since the engine takes them so), Derby's roll-forward recovery copies the backup into place and replays
 * the log written since: the database comes back as of its last commit, nothing recorded after the backup is lost.
 * Without the log (the folder or its disk lost), the copy of it the engine ships to the backup folder every minute
 * ({@link DerbyLog#ship}) is replayed instead: the database comes back as of the newest copy. Without either, or
 * when asked to ({@code --to-backup}), the database is the backup as it is, and what was recorded after it is gone.
 * Either way the database found in the data folder is kept first, as {@code database.before-restore-<time>}, and the
 * token signing key is put back if it is missing. The ledger's newest entry is printed, so that the operator sees
 * which moment the engine will start from.
 */
public final class BackupRestore {

    /** The file a failed restore leaves in the data folder; the launcher does not start the engine past it. */
    public static final String FAILED = "RESTORE-FAILED";

    private final Path data;
    private final Path backup;
    private final Path backups;
    private final Path signingKey;
    private final Path logDevice;
    private final PrintStream out;

    /** How the database was brought back. */
    public enum Outcome {
        /** Brought forward by the database's own log, to its last commit. */
        ROLLED_FORWARD,
        /** Brought forward by the copy of the log shipped to the backup folder, to the moment of its newest copy. */
        ROLLED_FORWARD_FROM_COPY,
        /** The backup as it was taken. */
        AS_AT_BACKUP
    }

    /**
     * @param data       the engine's data folder ({@code LOYALTY_DATA_DIR})
     * @param backup     a backup's folder (holding {@code database/}, and {@code keys/})
     * @param backups    the engine's folder of backups ({@code LOYALTY_BACKUP_DIR}, by default {@code
     *                   <data>/backups}), the backup's or another
     * @param signingKey the token signing key's file the engine uses
     * @param logDevice  the folder the engine keeps Derby's log in ({@code LOYALTY_DB_LOG_DIR}); null: the
     *                   database's own, or where the database says
     */
    public BackupRestore(Path data, Path backup, Path backups, Path signingKey, Path logDevice, PrintStream out) {
        this.data = OwnerFile.canonical(data);
        this.backup = backup.toAbsolutePath().normalize();
        this.backups = backups.toAbsolutePath().normalize();
        this.signingKey = signingKey.toAbsolutePath();
        this.logDevice = logDevice;
        this.out = out;
    }

    /**
     * {@code BackupRestore <data folder> <backup folder or name> [--to-backup]}; a name is looked up in
     * {@code LOYALTY_BACKUP_DIR}, else in the data folder's {@code backups}. Exits 0 once restored, 2 on wrong
     * arguments, 1 when the restore failed (the database found is kept aside, and the message says what to do).
     */
    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].equals("--to-backup"))) {
            System.err.println("Usage: restore-engine.sh <backup folder or name> [--to-backup]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path backup = Path.of(args[1]);
        String folder = System.getenv("LOYALTY_BACKUP_DIR");
        Path backups = folder == null || folder.isBlank() ? data.resolve("backups") : Path.of(folder);
        if (!Files.isDirectory(backup) && backup.getNameCount() == 1) {
            backup = backups.resolve(backup);
        }
        String keyFile = System.getenv("LOYALTY_SIGNING_KEY_FILE");
        Path key = keyFile == null || keyFile.isBlank() ? data.resolve("keys").resolve("token-signing.key")
                : Path.of(keyFile);
        try {
            String logDir = System.getenv("LOYALTY_DB_LOG_DIR");
            new BackupRestore(data, backup, backups, key, logDir == null || logDir.isBlank() ? null : Path.of(logDir),
                    System.out).restore(args.length == 3);
        } catch (IllegalArgumentException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(2);
        } catch (IllegalStateException e) {
            System.err.println("ERROR: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Restores the database from the backup: brought forward to its last commit when it can be, else as at the
     * backup (always, with {@code toBackup}).
     *
     * @throws IllegalArgumentException the folder is not a backup
     * @throws IllegalStateException    Derby could not restore it (the database found is kept aside)
     */
    public Outcome restore(boolean toBackup) {
        Path saved = backup.resolve("database");
        if (!Files.isRegularFile(saved.resolve("service.properties"))) {
            throw new IllegalArgumentException(backup + " is not a backup of the engine (no database/ in it)");
        }
        Path database = data.resolve("database");
        Path log = logFolder(database, saved);
        Path device = log.getParent();
        try {
            DerbyLog.requireOwnedBy(log, data);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage() + " (or restore with LOYALTY_DATA_DIR set to that"
                    + " folder)", e);
        }
        boolean apart = !device.equals(OwnerFile.canonical(database));
        boolean live = !toBackup && archivesLog(saved) && hasLog(log);
        if (live) {
            requireContinuous(saved.resolve("log"), log);
        }
        Path shipped = backup.resolve(DerbyLog.SHIPPED).resolve("log");
        boolean fromCopy = !live && !toBackup && archivesLog(saved) && replayable(saved, shipped);
        boolean forward = live || fromCopy;
        String stamp = DerbyLog.stamp();
        Path kept = data.resolve("database.before-restore-" + stamp);
        if (Files.exists(database)) {
            // Roll-forward recovery reads the log in place, so the damaged database is copied; otherwise it is moved.
            keep(database, kept, live);
            out.println("The database found was kept as " + kept);
        }
        Path failed = data.resolve(FAILED);
        if (apart && Files.exists(log)) {
            // The log is the damaged database's: replayed in place (a copy kept), or set aside for the backup's own.
            Path keptLog = device.resolve("log.before-restore-" + stamp);
            try {
                keep(log, keptLog, live);
            } catch (IllegalStateException e) {
                refuseToStart(database, failed, stamp, e.getMessage() + (Files.exists(kept)
                        ? "; the database found before is in " + kept : ""));
                throw e;
            }
            out.println("Its transaction log was kept as " + keptLog);
        }
        if (fromCopy) {
            try {
                Folders.copy(shipped, log);
            } catch (IOException e) {
                String reason = "Could not copy the log shipped to the backup folder into " + log + ": "
                        + e.getMessage();
                refuseToStart(database, failed, stamp, reason);
                throw new IllegalStateException(reason, e);
            }
            out.println("The database's transaction log is missing: restoring " + backup.getFileName() + " and"
                    + " replaying the copy of the log shipped to the backup folder (" + shipped + "), up to its"
                    + " newest copy; what was recorded after that is lost.");
        } else if (!forward) {
            out.println(toBackup ? "Restoring the backup as it is (--to-backup)."
                    : "The database's transaction log is missing (or the backup predates log archiving): restoring"
                            + " the backup as it is; what was recorded after it is lost.");
        } else {
            out.println("Restoring " + backup.getFileName() + " and replaying the transaction log written since ("
                    + log + ").");
        }
        Properties attributes = new Properties();
        attributes.setProperty(forward ? "rollForwardRecoveryFrom" : "createFrom", saved.toString());
        if (apart) {
            attributes.setProperty("logDevice", device.toString());
        }
        Instant upTo;
        Instant restoredAt = null;
        try (Connection connection = DriverManager.getConnection("jdbc:derby:" + database, attributes);
             Statement statement = connection.createStatement();
             ResultSet newest = statement.executeQuery("SELECT COUNT(*), MAX(recorded_at) FROM ledger_entry")) {
            newest.next();
            // The engine stores its times as UTC wall-clock times (InstantConverter): read as such, whatever the
            // zone of the machine restoring.
            Timestamp last = newest.getTimestamp(2, Calendar.getInstance(TimeZone.getTimeZone(ZoneOffset.UTC)));
            upTo = last == null ? Instant.EPOCH : last.toInstant();
            out.println("Restored: the ledger holds " + newest.getLong(1) + " entries, the newest recorded at "
                    + (last == null ? "-" : upTo) + ": check that this is the moment you expect before the tills"
                    + " sell again.");
            newest.close();
            if (!live) {
                restoredAt = Instant.now();
                recordLoss(connection, new RestoreGap(upTo.isAfter(restoredAt) ? restoredAt : upTo, restoredAt));
            }
        } catch (SQLException e) {
            DerbyLog.shutDown(database);
            String reason = "Derby could not restore " + saved + ": " + message(e)
                    + (forward ? ". restore-engine.sh " + backup + " --to-backup restores the backup as it is,"
                    + " losing what was recorded after it." : "")
                    + (Files.exists(kept) ? " The database found before is in " + kept + "." : "");
            refuseToStart(database, failed, stamp, reason);
            throw new IllegalStateException(reason, e);
        }
        DerbyLog.shutDown(database);
        if (apart) {
            DerbyLog.writeOwner(log, data);
        }
        RestoreGap gap = new RestoreGap(upTo, restoredAt != null ? restoredAt : Instant.now());
        try {
            RestoreGap.write(data, gap);
            out.println("The tills are told at their next call that what was recorded from " + upTo + " on may be"
                    + " lost (" + data.resolve(RestoreGap.FILE) + "): each sends again what the engine recorded for it"
                    + " up to now, and the engine records what it lost.");
        } catch (IOException e) {
            // The database is restored: the restore goes on, and the operator tells the tills by hand.
            out.println("WARNING: could not write " + data.resolve(RestoreGap.FILE) + " (" + e.getMessage() + "),"
                    + " which tells the tills to send again what the engine recorded for them from " + upTo + ": write"
                    + " " + gap + " into it before the engine starts, or run queue resend --since " + upTo
                    + " on every till");
        }
        try {
            Files.deleteIfExists(failed);
        } catch (IOException e) {
            throw new IllegalStateException("Restored, but could not delete " + failed + ": " + e.getMessage(), e);
        }
        restoreSigningKey();
        setAsideWhatFollowed(stamp, live, failed);
        return live ? Outcome.ROLLED_FORWARD : fromCopy ? Outcome.ROLLED_FORWARD_FROM_COPY : Outcome.AS_AT_BACKUP;
    }

    /**
     * A restore to an earlier moment forgets the log-outs and password changes written after it, which would bring
     * the sessions they ended back: every session ends instead ({@link RestoredSessions}), in the transaction that
     * writes what the restore lost into the database ({@code restore_gap}), as an instance that notices a restore by
     * itself does ({@link DatabaseHeartbeat}). The engine's start then finds the loss its heartbeat file tells of
     * covered, and neither writes it nor ends the sessions a second time; should this transaction fail, the engine
     * notices the restore by that file and does both itself. A backup taken before sessions had stamps (version 22),
     * or before the database kept its gaps (version 16), has none to renew, or no gap to write.
     */
    private void recordLoss(Connection connection, RestoreGap gap) throws SQLException {
        int accounts;
        boolean stamps;
        try {
            stamps = hasColumn(connection, "ACCOUNT", "SESSION_STAMP");
            boolean gaps = hasColumn(connection, "RESTORE_GAP", "GAP_TO");
            if (!stamps && !gaps) {
                return;
            }
            connection.setAutoCommit(false);
            if (gaps) {
                RestoredSessions.writeGap(connection, gap, "restore-engine.sh", gap.to());
            }
            accounts = stamps ? RestoredSessions.endAll(connection, gap, "restore-engine.sh", gap.to()) : 0;
            connection.commit();
        } catch (SQLException e) {
            // The database is restored: the restore goes on; the engine or the operator ends the sessions.
            if (!connection.getAutoCommit()) {
                connection.rollback();
            }
            out.println("WARNING: could not end the sessions signed in before the restore (" + message(e) + "):"
                    + " a token logged out of, or ended by a new password, after " + gap.from() + " may work again"
                    + " until it expires (8 hours at most). The engine ends them at its start when its heartbeat file"
                    + " (" + data.resolve(DatabaseHeartbeat.FILE) + ") is there; otherwise, before it starts, run"
                    + " UPDATE account SET session_stamp = '<any new text>' in Derby's ij on "
                    + data.resolve("database") + ".");
            return;
        }
        if (!stamps) {
            return;
        }
        out.println("Every session signed in before the restore is ended (" + accounts + (accounts == 1 ? " account"
                : " accounts") + "): log-outs and password changes made after " + gap.from() + " may be lost with"
                + " the rest, so customers and staff sign in again. A till's key revoked, or a staff account"
                + " disabled, after then works again: revoke or disable it again.");
    }

    private static boolean hasColumn(Connection connection, String table, String column) throws SQLException {
        try (ResultSet columns = connection.getMetaData().getColumns(null, null, table, column)) {
            return columns.next();
        }
    }

    /**
     * A restore that failed leaves no database the engine would take for its own: what Derby left is set aside, and
     * a file the launcher refuses to start past says why (an engine started on an empty database would sell on
     * it).
     */
    private void refuseToStart(Path database, Path failed, String stamp, String reason) {
        try {
            if (Files.exists(database)) {
                Files.move(database, data.resolve("database.restore-failed-" + stamp));
            }
            Files.writeString(failed, reason + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            out.println("Could not set the failed restore aside: " + e.getMessage());
        }
    }

    /**
     * Refuses a roll-forward the log cannot carry to the end: Derby replays up to the first missing log file and
     * stops there without a word. The log must go on from the last file of the backup's own log, without a hole
     * (a backup older than the newest, whose log the newer backups deleted, or a newest backup that failed after
     * Derby deleted the log before it, cannot be brought forward).
     */
    private void requireContinuous(Path backupLog, Path log) {
        if (!DerbyLog.continuesFrom(backupLog, log)) {
            long last = DerbyLog.files(backupLog).stream().mapToLong(Long::longValue).max().orElse(-1);
            List<Long> live = DerbyLog.files(log);
            throw new IllegalStateException("The transaction log in " + log + " does not go on from backup "
                    + backup.getFileName() + " (its log ends in log" + last + ".dat; the log here holds log"
                    + live.get(0) + ".dat to log" + live.get(live.size() - 1) + ".dat)" + newestBackup()
                    .filter(newest -> !newest.equals(backup.getFileName().toString()))
                    .map(newest -> ": restore the newest backup, " + newest + ",").orElse(":")
                    + " or restore this one as it is with --to-backup. Nothing was changed.");
        }
    }

    private Optional<String> newestBackup() {
        try {
            return engineBackups().stream().max(BackupName.OLDEST_FIRST);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The names of the backups in the engine's folder of backups; none when there is no such folder. */
    private List<String> engineBackups() throws IOException {
        try (Stream<Path> folders = Files.list(backups)) {
            return folders.filter(folder -> Files.isDirectory(folder.resolve("database")))
                    .map(folder -> folder.getFileName().toString())
                    .filter(name -> BackupName.takenAt(name) != null).toList();
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    /**
     * What the database's history from now on is not the history of, set aside. The copies of the log shipped to
     * the restored backup (and to the engine's backup of that name, when the one restored is a copy kept
     * elsewhere), always: the log from now on, copied beside them, would be mixed with a log the database no longer
     * has (a copy longer than the log replayed, or of the history before a restore to an earlier moment); the
     * engine's next copy starts again. After a restore to an earlier moment than the log's last commit (as the
     * backup was, or up to a shipped copy), the engine's backups taken after the one restored too (all of them, when
     * the one restored is not named by its time): the log from now on would be replayed on them, bringing back sales
     * the restore undid. What is set aside is kept, under names the engine neither lists, copies the log to, nor
     * deletes; if something cannot be moved, the engine is not started until it is.
     */
    private void setAsideWhatFollowed(String stamp, boolean toLastCommit, Path failed) {
        String restored = backup.getFileName().toString();
        Set<Path> followed = new LinkedHashSet<>(List.of(backup.resolve(DerbyLog.SHIPPED),
                backups.resolve(restored).resolve(DerbyLog.SHIPPED)));
        try {
            if (!toLastCommit) {
                boolean named = BackupName.takenAt(restored) != null;
                engineBackups().stream()
                        .filter(name -> !named || BackupName.OLDEST_FIRST.compare(name, restored) > 0)
                        .forEach(name -> followed.add(backups.resolve(name)));
            }
            for (Path folder : followed) {
                if (!Files.exists(folder)) {
                    continue;
                }
                Path aside = folder.resolveSibling(folder.getFileName() + ".after-restore-" + stamp);
                Files.move(folder, aside, StandardCopyOption.ATOMIC_MOVE);
                out.println(folder.getFileName().toString().equals(DerbyLog.SHIPPED)
                        ? "The copy of the log shipped to " + folder.getParent() + " was set aside as " + aside
                                + ": the engine's next copy starts again from the log restored."
                        : "Backup " + folder + " is of the history before this restore: kept as " + aside);
            }
        } catch (IOException e) {
            String reason = "Restored, but what is of the history before this restore could not be set aside ("
                    + e + "): move the backups newer than " + restored + " and the folders " + DerbyLog.SHIPPED
                    + " of " + backup + " and of " + backups.resolve(restored) + " out of the way, then delete "
                    + failed + " and start the engine.";
            try {
                Files.writeString(failed, reason + "\n", StandardCharsets.UTF_8);
            } catch (IOException notWritten) {
                e.addSuppressed(notWritten);
            }
            throw new IllegalStateException(reason, e);
        }
    }

    /**
     * Where the database's log is, or is to be: where the database says (if its folder is still there), else the
     * configured log folder ({@code LOYALTY_DB_LOG_DIR}), else where it was when the backup was taken, else the
     * database's own folder.
     */
    private Path logFolder(Path database, Path saved) {
        if (Files.isRegularFile(database.resolve("service.properties"))) {
            return OwnerFile.canonical(DerbyLog.of(database));
        }
        if (logDevice != null) {
            return OwnerFile.canonical(logDevice).resolve("log");
        }
        String before = DerbyLog.serviceProperties(saved).getProperty("derby.storage.logDeviceWhenBackedUp");
        return OwnerFile.canonical(before == null || before.isBlank() ? database : Path.of(before)).resolve("log");
    }

    /** Whether the backup was taken in log archive mode, so that the log written after it can be replayed on it. */
    private static boolean archivesLog(Path saved) {
        return Boolean.parseBoolean(DerbyLog.serviceProperties(saved).getProperty("derby.storage.logArchiveMode"));
    }

    /**
     * Whether the copy of the log shipped to the backup folder can bring the backup forward: it goes on from the
     * backup's own log without a hole (says so when it does not).
     */
    private boolean replayable(Path saved, Path shipped) {
        if (!hasLog(shipped)) {
            return false;
        }
        boolean continuous = DerbyLog.continuesFrom(saved.resolve("log"), shipped);
        if (!continuous) {
            out.println("The copy of the log shipped to the backup folder (" + shipped + ") does not go on from the"
                    + " backup without a hole: it is not replayed.");
        }
        return continuous;
    }

    private static boolean hasLog(Path log) {
        return !DerbyLog.files(log).isEmpty();
    }

    private void restoreSigningKey() {
        Path saved = backup.resolve("keys").resolve("token-signing.key");
        if (Files.exists(signingKey) || !Files.exists(saved)) {
            return;
        }
        try {
            Files.createDirectories(signingKey.getParent());
            Files.copy(saved, signingKey, StandardCopyOption.COPY_ATTRIBUTES);
            out.println("The token signing key was missing: put back from the backup into " + signingKey);
        } catch (IOException e) {
            throw new IllegalStateException("Could not put the signing key back into " + signingKey + ": "
                    + e.getMessage(), e);
        }
    }

    private static void keep(Path from, Path to, boolean copy) {
        try {
            if (copy) {
                Folders.copy(from, to);
            } else {
                Files.move(from, to);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not keep " + from + " as " + to + ": " + e.getMessage(), e);
        }
    }

    static String message(SQLException e) {
        StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
        for (SQLException next = e.getNextException(); next != null; next = next.getNextException()) {
            text.append("; ").append(next.getMessage());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && !text.toString().contains(String.valueOf(root.getMessage()))) {
            text.append("; ").append(root.getMessage());
        }
        return text.toString();
    }
}
