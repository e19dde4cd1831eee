package org.loyaltyengine.engine.application;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.infrastructure.config.DataFolder;
import org.loyaltyengine.engine.infrastructure.config.Folders;
import org.loyaltyengine.engine.infrastructure.config.OwnerFile;
import org.loyaltyengine.engine.infrastructure.persistence.BackupName;
import org.loyaltyengine.engine.infrastructure.persistence.DerbyLog;
import org.loyaltyengine.engine.infrastructure.persistence.Jdbc;
import org.loyaltyengine.engine.infrastructure.security.SigningKey;

/**
 * Backups of an engine on embedded Derby, taken while it serves: Derby's online backup
 * ({@code SYSCS_UTIL.SYSCS_BACKUP_DATABASE}) copies the database as of one moment while the tills go on selling,
 * and the token signing key goes with it, into {@code <data>/backups/<time>/} (or {@code loyalty.backup.dir}). A
 * backup is written under a name of its own first ({@code .partial}) and takes its final name only once complete, so
 * a folder with a time for a name is always a whole backup. The newest {@code loyalty.backup.keep} backups are kept
 * (7 by default), older ones are deleted after each new one. One is taken every night by the scheduled jobs
 * ({@code loyalty.jobs.backup.every} and {@code .at}: 03:00 UTC by default), and whenever an administrator asks. An
 * engine on PostgreSQL is backed up with PostgreSQL's own tools (README, "Backups").
 *
 * <p>A backup folder is one engine's: a file in it ({@value #OWNER}) names the data folder whose backups it holds,
 * and an engine given another's folder is refused a backup ({@code backup_folder_taken}) rather than deleting that
 * engine's backups as older than its own newest, or its backup being written as one cut short.
 *
 * <p>Each backup also puts the database in Derby's log archive mode: the transaction log written since the newest
 * backup is kept in the database's {@code log} folder (the log before it is deleted once the backup is complete).
 * A database whose files were damaged is then restored from the newest backup and brought forward to its last
 * commit by replaying that log ({@code restore-engine.sh}, {@link
 * org.loyaltyengine.engine.infrastructure.persistence.BackupRestore}), instead of losing what was recorded after
 * the backup. That log is copied into the newest backup's folder every minute besides ({@link #shipLog}), so that
 * losing the log's disk too loses only the last minute.
 */
@ApplicationScoped
public class Backups {

    private static final Logger LOG = Logger.getLogger(Backups.class.getName());

    private static final String PARTIAL = ".partial";

    /** How long an administrator's backup waits for a copy of the log: an HTTP request's answer cannot take minutes. */
    private static final Duration LOG_COPY_WAIT_ASKED = Duration.ofSeconds(30);

    /** The file in the backup folder that names the data folder whose backups it holds. */
    static final String OWNER = "backups.owner";

    /** One backup at a time: a second asked for meanwhile is refused rather than queued. */
    private final ReentrantLock running = new ReentrantLock();

    /** Held while the log is copied: a backup waits for the copy (a moment), a copy is skipped during a backup. */
    private final ReentrantLock shipping = new ReentrantLock();

    @Inject
    Jdbc jdbc;

    @Inject
    DataFolder dataFolder;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "loyalty.backup.keep", defaultValue = "7")
    int keep;

    /** The folder of the backups, if not the data folder's {@code backups}. */
    @Inject
    @ConfigProperty(name = "loyalty.backup.dir")
    Optional<String> backupDir;

    @Inject
    SigningKey signingKey;

    /**
     * How long the nightly backup waits for a copy of the log in progress before it fails: a copy takes a moment,
     * or seconds at a peak, and one that lasts longer is stuck on a disk or share that stopped answering.
     */
    Duration logCopyWait = Duration.ofMinutes(10);

    /**
     * A backup on disk: its name (the time it was taken, UTC), its folder, its size, and how long it took (for the
     * one just taken).
     */
    public record BackupView(String name, String folder, Instant takenAt, long bytes, Long millis) {
    }

    /**
     * What a copy of the log did: the backup it copied into (null: none, nothing to do), and the number of log files
     * it wrote (-1: the log does not go on from that backup, and one has to be taken for the log to be copied again).
     */
    public record LogCopy(String backup, int files) {

        static final LogCopy NONE = new LogCopy(null, 0);
    }

    /**
     * Takes a backup now.
     *
     * @throws DomainException {@code backup_not_here} (409) on PostgreSQL, {@code backup_running} (409) while
     *         another backup is being taken, {@code backup_folder_taken} (409) when the backup folder holds another
     *         engine's backups, {@code backup_folder_not_answering} (409) when a copy of the log into that folder has
     *         not ended in 30 seconds
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BackupView take(String actor) {
        return takeHoldingTheLock(actor, false);
    }

    /**
     * Takes a backup once the one being taken (an administrator's, say) is done: the schedule's, which is not to be
     * skipped because someone asked for one at that moment. It waits up to 10 minutes for a copy of the log in
     * progress ({@code backup_folder_not_answering} after that).
     */
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public BackupView takeAfterAnyRunning(String actor) {
        return takeHoldingTheLock(actor, true);
    }

    private BackupView takeHoldingTheLock(String actor, boolean waitForTheRunningOne) {
        refuseOnPostgresql();
        boolean locked;
        try {
            locked = waitForTheRunningOne ? running.tryLock(30, TimeUnit.MINUTES) : running.tryLock();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the backup being taken", e);
        }
        if (!locked) {
            throw DomainException.conflict("backup_running", "A backup is being taken; ask again once it is done");
        }
        Duration wait = waitForTheRunningOne || logCopyWait.compareTo(LOG_COPY_WAIT_ASKED) < 0 ? logCopyWait
                : LOG_COPY_WAIT_ASKED;
        try {
            if (!shipping.tryLock(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                running.unlock();
                throw DomainException.conflict("backup_folder_not_answering", "The copy of the transaction log into"
                        + " " + backupFolder() + " has not ended in " + wait.toSeconds() + " s: is that folder's disk"
                        + " or share answering? No backup was taken");
            }
        } catch (InterruptedException e) {
            running.unlock();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the copy of the transaction log", e);
        }
        try {
            BackupView taken = takeNow(actor);
            // Derby may delete, right after a backup, log written after it (it checkpointed past it): the log since
            // could not be replayed on that backup (BackupRestore refuses it). Rare (a busy database between two
            // checkpoints); the next backup, taken at once, starts from the newer checkpoint.
            for (int again = 0; again < 2 && !replayable(taken); again++) {
                String name = taken.name();
                LOG.warning(() -> "Derby deleted log written after backup " + name + ": the log since cannot be"
                        + " replayed on it; taking another at once");
                taken = takeNow(actor);
            }
            return taken;
        } finally {
            shipping.unlock();
            running.unlock();
        }
    }

    private boolean replayable(BackupView taken) {
        Path database = dataFolder.resolve("database");
        return DerbyLog.continuesFrom(Path.of(taken.folder()).resolve("database").resolve("log"),
                DerbyLog.of(database));
    }

    private void refuseOnPostgresql() {
        if (jdbc.postgresql()) {
            throw DomainException.conflict("backup_not_here", "This engine keeps its data in PostgreSQL: back it up"
                    + " with PostgreSQL's tools (pg_dump, or pg_basebackup and its archived WAL), and keep the token"
                    + " signing key file with it; see README, \"Backups\"");
        }
    }

    /**
     * Copies the transaction log written since the newest backup into that backup's folder ({@link DerbyLog#ship}),
     * so that losing the log's disk as well as the database's loses only what was recorded after the last copy:
     * {@code restore-engine.sh} replays the copy when the log itself is gone. Nothing on PostgreSQL, before the first
     * backup, while a backup is being taken (the next copy goes to it), or into a backup folder this engine has not
     * claimed (another engine's, or one it has not backed up into since it copies its log).
     *
     * @return the backup copied into and the number of log files copied
     * @throws IOException the copy failed (the one before it is left whole)
     */
    public LogCopy shipLog() throws IOException {
        if (jdbc.postgresql() || !shipping.tryLock()) {
            return LogCopy.NONE;
        }
        try {
            Path root = backupFolder();
            if (running.isLocked() || !OwnerFile.read(root.resolve(OWNER))
                    .map(OwnerFile.canonical(dataFolder.root())::equals).orElse(false)) {
                return LogCopy.NONE;
            }
            List<Path> backups = completeFolders();
            return backups.isEmpty() ? LogCopy.NONE : new LogCopy(backups.get(0).getFileName().toString(),
                    DerbyLog.ship(DerbyLog.of(dataFolder.resolve("database")), backups.get(0)));
        } finally {
            shipping.unlock();
        }
    }

    /** Records in the audit trail who took the backup (a transaction of its own, after the backup). */
    @Transactional
    public void recordTaken(String actor, BackupView taken) {
        audit.record(new AuditEvent(clock.instant(), actor, "BACKUP_TAKEN", null, taken.name(),
                taken.bytes() + " bytes in " + taken.millis() + " ms"));
    }

    /**
     * The complete backups on disk, newest first: the folders named by a time (and a number, for a second backup
     * within one second) that hold a database. Anything else put in the folder is neither listed nor deleted.
     */
    public List<BackupView> list() {
        return completeFolders().stream()
                .map(folder -> {
                    String name = folder.getFileName().toString();
                    return new BackupView(name, folder.toString(), BackupName.takenAt(name), size(folder), null);
                })
                .toList();
    }

    /** The folders of the complete backups, newest first (what {@link #list} lists, without reading their sizes). */
    private List<Path> completeFolders() {
        Path root = backupFolder();
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        List<Path> backups = new ArrayList<>();
        try (Stream<Path> folders = Files.list(root)) {
            for (Path folder : folders.toList()) {
                if (BackupName.takenAt(folder.getFileName().toString()) != null
                        && Files.isDirectory(folder.resolve("database"))) {
                    backups.add(folder);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalStateException("Cannot list the backups in " + root + ": " + e.getMessage(), e);
        }
        backups.sort(Comparator.comparing((Path folder) -> folder.getFileName().toString(),
                BackupName.OLDEST_FIRST).reversed());
        return backups;
    }

    private BackupView takeNow(String actor) {
        Instant start = clock.instant();
        Path root = backupFolder();
        claim(root);
        String name = BackupName.of(start);
        // A second backup within the same second is told apart by a number.
        for (int more = 1; Files.exists(root.resolve(name)) || Files.exists(root.resolve(name + PARTIAL)); more++) {
            name = BackupName.of(start) + "-" + more;
        }
        Path partial = root.resolve(name + PARTIAL);
        Path complete = root.resolve(name);
        // Derby deletes the log from before this backup once it has copied the database: from then on this backup
        // is the only one the log since can be replayed on, so nothing after Derby's part may fail and delete it.
        boolean copied = false;
        try {
            Files.createDirectories(partial.resolve("keys"));
            Files.copy(signingKey.file(), partial.resolve("keys").resolve("token-signing.key"),
                    StandardCopyOption.COPY_ATTRIBUTES);
            try (Connection connection = jdbc.connection();
                 CallableStatement backup = connection.prepareCall(
                         "CALL SYSCS_UTIL.SYSCS_BACKUP_DATABASE_AND_ENABLE_LOG_ARCHIVE_MODE(?, 1)")) {
                backup.setString(1, partial.toString());
                backup.execute();
                copied = true;
            }
            Files.move(partial, complete, StandardCopyOption.ATOMIC_MOVE);
        } catch (SQLException | IOException | UncheckedIOException e) {
            if (!copied) {
                delete(partial);
            }
            throw new IllegalStateException("The backup into " + partial + " failed: " + e.getMessage()
                    + (copied ? " after Derby had copied the database: rename it to " + complete + " by hand" : ""), e);
        }
        // What a backup cut short left (the engine stopped during it), once there is a complete one after it.
        deleteUnfinished(root);
        long millis = Math.max(0, clock.millis() - start.toEpochMilli());
        BackupView taken = new BackupView(name, complete.toString(), BackupName.takenAt(name), size(complete), millis);
        LOG.info(() -> "Backup " + complete + " taken by " + actor + ": " + taken.bytes() + " bytes in "
                + millis + " ms");
        // The one just taken is kept whatever the others' names say (a clock set back names it older), then the
        // newest of the others.
        int kept = 1;
        for (Path backup : completeFolders()) {
            if (backup.equals(complete)) {
                continue;
            }
            if (kept < Math.max(keep, 1)) {
                kept++;
                continue;
            }
            delete(backup);
            LOG.info(() -> "Backup " + backup + " deleted: the newest " + keep + " are kept");
        }
        return taken;
    }

    /**
     * Makes the folder this engine's, or refuses it when another engine's backups are there: keeping only the newest
     * of the backups it finds, this engine would delete that one's, the only ones its transaction log can be replayed
     * on.
     */
    private void claim(Path root) {
        Path owner = root.resolve(OWNER);
        Path data = dataFolder.root();
        OwnerFile.other(owner, data).ifPresent(other -> {
            throw DomainException.conflict("backup_folder_taken", "The backup folder " + root + " holds the backups"
                    + " of the engine whose data folder is " + other + ", not " + OwnerFile.canonical(data) + ": give"
                    + " each engine a backup folder of its own (LOYALTY_BACKUP_DIR). If it is this engine's and only"
                    + " its data folder moved, delete " + owner + " and take the backup again");
        });
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the backup folder " + root + ": " + e.getMessage(), e);
        }
        OwnerFile.write(owner, data);
    }

    /** Where the backups go: {@code loyalty.backup.dir}, best on another disk than the data folder's. */
    private Path backupFolder() {
        return backupDir.filter(name -> !name.isBlank()).map(Path::of).orElseGet(() -> dataFolder.resolve("backups"))
                .toAbsolutePath();
    }

    /** Removes what a backup cut short (the engine stopped or failed during it) left: only ever a partial copy. */
    private static void deleteUnfinished(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> folders = Files.list(root)) {
            folders.filter(folder -> folder.getFileName().toString().endsWith(PARTIAL)).forEach(Backups::delete);
        } catch (IOException | UncheckedIOException e) {
            LOG.warning(() -> "Could not look for unfinished backups in " + root + ": " + e.getMessage());
        }
    }

    /** The bytes of the folder's files; -1 when it could not be read whole (being deleted, say). */
    private static long size(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    private static void delete(Path folder) {
        try {
            Folders.delete(folder);
        } catch (IOException e) {
            LOG.warning(() -> "Could not delete " + folder + ": " + e.getMessage());
        }
    }
}
