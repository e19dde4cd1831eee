package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.engine.infrastructure.config.Folders;

/**
 * Restoring an engine's Derby database from a backup taken as the engine takes them: brought forward by the log
 * written since, whenever the log is still there, to the backup's moment only when it is not.
 */
class BackupRestoreTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @Test
    void damagedDataFilesAreRestoredAndBroughtForwardToTheLastCommit() throws Exception {
        Path data = folder.resolve("data");
        DerbyFiles derby = threeEntriesAroundEachBackup(data, data.resolve("backups/20261205T030000Z"));
        Folders.delete(data.resolve("database/seg0"));

        BackupRestore.Outcome outcome = restorer(data, data.resolve("backups/20261205T030000Z"), null).restore(false);

        assertThat(outcome).isEqualTo(BackupRestore.Outcome.ROLLED_FORWARD);
        assertThat(derby.entries()).as("the entries after the backup too").isEqualTo(6);
        assertThat(said()).contains("replaying the transaction log").contains("the ledger holds 6 entries");
        assertThat(names(data)).anyMatch(name -> name.startsWith("database.before-restore-"));
    }

    @Test
    void aLogOnAnotherDiskBringsTheBackupForwardWhenTheDatabaseDiskIsLostAndTheKeyComesBack() throws Exception {
        Path data = folder.resolve("data");
        Path logs = folder.resolve("log-disk");
        Path backups = folder.resolve("backup-disk");
        DerbyLog.place(data.resolve("database"), logs);
        Path backup = backups.resolve("20261205T030000Z");
        DerbyFiles derby = threeEntriesAroundEachBackup(data, backup);
        Files.createDirectories(backup.resolve("keys"));
        Files.writeString(backup.resolve("keys/token-signing.key"), "the key");
        Folders.delete(data);

        BackupRestore.Outcome outcome = restorer(data, backup, logs).restore(false);

        assertThat(outcome).isEqualTo(BackupRestore.Outcome.ROLLED_FORWARD);
        assertThat(derby.entries()).isEqualTo(6);
        derby.record(7, 7);
        derby.shutDown();
        assertThat(DerbyLog.of(data.resolve("database"))).as("the restored database keeps its log apart")
                .isEqualTo(logs.toAbsolutePath().resolve("log"));
        assertThat(data.resolve("database/log")).doesNotExist();
        assertThat(data.resolve("keys/token-signing.key")).hasContent("the key");
        assertThat(DerbyLog.place(data.resolve("database"), logs)).doesNotContain("moved");
        assertThat(derby.entries()).isEqualTo(7);
    }

    @Test
    void losingTheLogsDiskTooTheBackupIsBroughtForwardByTheLogShippedToItsFolder() throws Exception {
        Path data = folder.resolve("data");
        Path logs = folder.resolve("log-disk");
        Path backup = folder.resolve("backup-disk/20261205T030000Z");
        DerbyLog.place(data.resolve("database"), logs);
        DerbyFiles derby = DerbyFiles.backedUpAfterThree(data.resolve("database"), backup);
        derby.record(4, 6);
        // Copied while the database runs, as the engine copies it every minute.
        assertThat(DerbyLog.ship(logs.resolve("log"), backup)).as("the backup's last log file and the one after")
                .isEqualTo(2);
        derby.record(7, 9);
        assertThat(DerbyLog.ship(logs.resolve("log"), backup)).as("only the file written since").isEqualTo(1);
        derby.record(10, 11);
        derby.shutDown();
        Folders.delete(data);
        Folders.delete(logs);

        BackupRestore.Outcome outcome = restorer(data, backup, logs).restore(false);

        assertThat(outcome).isEqualTo(BackupRestore.Outcome.ROLLED_FORWARD_FROM_COPY);
        assertThat(said()).contains("replaying the copy of the log shipped to the backup folder")
                .contains("the ledger holds 9 entries");
        assertThat(derby.entries()).as("up to the newest copy; the 2 entries after it are lost").isEqualTo(9);
        derby.record(10, 10);
        assertThat(DerbyLog.of(data.resolve("database"))).as("the log back on its own disk")
                .isEqualTo(logs.toAbsolutePath().resolve("log"));
        assertThat(derby.entries()).isEqualTo(10);
    }

    @Test
    void aLogOfSeveralFilesCopiedInRoundsIsReplayedWholeAndAFileEndedAfterItsCopyIsCopiedAgain() throws Exception {
        Path data = folder.resolve("data");
        Path backup = folder.resolve("backup-disk/20261205T030000Z");
        Path log = data.resolve("database/log");
        Path copy = backup.resolve(DerbyLog.SHIPPED).resolve("log");
        DerbyFiles derby = DerbyFiles.backedUpAfterThree(data.resolve("database"), backup);
        derby.recordInOneTransaction(4, 40_000);
        int first = DerbyLog.ship(log, backup);
        assertThat(first).as("every file since the backup's last").isEqualTo(DerbyLog.files(copy).size())
                .isGreaterThanOrEqualTo(3);
        assertThat(DerbyLog.ship(log, backup)).as("nothing written since").isZero();
        // Derby begins a new file before it ends the one before: a copy made between the two misses that end.
        List<Long> copied = DerbyLog.files(copy);
        Path ended = copy.resolve("log" + copied.get(copied.size() - 2) + ".dat");
        byte[] bytes = Files.readAllBytes(ended);
        java.util.Arrays.fill(bytes, bytes.length / 2, bytes.length, (byte) 0);
        Files.write(ended, bytes);
        derby.record(40_001, 40_002);

        assertThat(DerbyLog.ship(log, backup)).as("the newest, and the one before it whose end was missing")
                .isEqualTo(2);
        assertThat(Files.mismatch(ended, log.resolve(ended.getFileName()))).isEqualTo(-1);
        derby.shutDown();
        Folders.delete(data);

        assertThat(restorer(data, backup, null).restore(false))
                .isEqualTo(BackupRestore.Outcome.ROLLED_FORWARD_FROM_COPY);
        assertThat(derby.entries()).isEqualTo(40_002);
    }

    @Test
    void aWholeDataFolderLostIsBroughtForwardByTheLogShippedToTheBackupFolder() throws Exception {
        Path data = folder.resolve("data");
        Path backup = folder.resolve("backup-disk/20261205T030000Z");
        DerbyFiles derby = DerbyFiles.backedUpAfterThree(data.resolve("database"), backup);
        derby.record(4, 8);
        DerbyLog.ship(data.resolve("database/log"), backup);
        derby.shutDown();
        Folders.delete(data);

        assertThat(restorer(data, backup, null).restore(false))
                .isEqualTo(BackupRestore.Outcome.ROLLED_FORWARD_FROM_COPY);
        assertThat(derby.entries()).isEqualTo(8);
        assertThat(names(backup)).as("the copy is started again by the engine's next, from the log replayed")
                .doesNotContain(DerbyLog.SHIPPED)
                .anyMatch(name -> name.startsWith(DerbyLog.SHIPPED + ".after-restore-"));
        assertThat(DerbyLog.of(data.resolve("database"))).isEqualTo(data.resolve("database/log"));
    }

    @Test
    void aShippedLogWithAHoleIsNotReplayedAndTheBackupIsRestoredAsItIs() throws Exception {
        Path data = folder.resolve("data");
        Path backup = data.resolve("backups/20261204T030000Z");
        DerbyFiles derby = DerbyFiles.backedUpAfterThree(data.resolve("database"), backup);
        derby.recordInOneTransaction(4, 40_000);
        DerbyLog.ship(data.resolve("database/log"), backup);
        derby.backUpInto(data.resolve("backups/20261205T030000Z"));
        derby.shutDown();
        List<Long> copied = DerbyLog.files(backup.resolve(DerbyLog.SHIPPED + "/log"));
        assertThat(copied).as("a log of several files").hasSizeGreaterThanOrEqualTo(3);
        Files.delete(backup.resolve(DerbyLog.SHIPPED + "/log/log" + copied.get(1) + ".dat"));
        Folders.delete(data.resolve("database"));

        assertThat(restorer(data, backup, null).restore(false)).isEqualTo(BackupRestore.Outcome.AS_AT_BACKUP);
        assertThat(said()).contains("does not go on from the backup without a hole: it is not replayed");
        assertThat(derby.entries()).isEqualTo(3);
        // The database goes on from the backup's moment: the newer backup and the copy are of the history before.
        theNewerBackupAndTheLogCopyAreSetAside(data, backup);
        assertThat(names(backup)).contains("database");
    }

    @Test
    void aCopyKeptElsewhereRestoredToItsMomentSetsAsideTheEnginesNewerBackupAndItsNamesakesLogCopy()
            throws Exception {
        Path data = folder.resolve("data");
        Path older = data.resolve("backups/20261204T030000Z");
        DerbyFiles derby = DerbyFiles.backedUpAfterThree(data.resolve("database"), older);
        derby.record(4, 5);
        DerbyLog.ship(data.resolve("database/log"), older);
        derby.backUpInto(data.resolve("backups/20261205T030000Z"));
        derby.shutDown();
        Path usb = folder.resolve("usb/20261204T030000Z");
        Folders.copy(older.resolve("database"), usb.resolve("database"));

        assertThat(restorer(data, usb, data.resolve("backups"), null).restore(true))
                .isEqualTo(BackupRestore.Outcome.AS_AT_BACKUP);

        assertThat(derby.entries()).isEqualTo(3);
        theNewerBackupAndTheLogCopyAreSetAside(data, older);
    }

    @Test
    void aBackupNotNamedByItsTimeRestoredToItsMomentSetsAsideEveryBackupOfTheEngine() throws Exception {
        Path data = folder.resolve("data");
        DerbyFiles derby = threeEntriesAroundEachBackup(data, "20261204T030000Z", "20261205T030000Z");
        Path nightly = folder.resolve("usb/nightly");
        Folders.copy(data.resolve("backups/20261204T030000Z/database"), nightly.resolve("database"));

        assertThat(restorer(data, nightly, data.resolve("backups"), null).restore(true))
                .isEqualTo(BackupRestore.Outcome.AS_AT_BACKUP);

        assertThat(derby.entries()).isEqualTo(3);
        assertThat(names(data.resolve("backups"))).hasSize(2).allMatch(name -> name.contains(".after-restore-"));
    }

    @Test
    void withoutItsLogTheDatabaseIsTheBackupAsItIsAndTheTillsAreToldWhatToSendAgain() throws Exception {
        Instant began = Instant.now();
        Path data = folder.resolve("data");
        DerbyFiles derby = threeEntriesAroundEachBackup(data, data.resolve("backups/20261205T030000Z"));
        Folders.delete(data.resolve("database"));
        Instant restoring = Instant.now();

        BackupRestore.Outcome outcome = restorer(data, data.resolve("backups/20261205T030000Z"), null).restore(false);

        assertThat(outcome).isEqualTo(BackupRestore.Outcome.AS_AT_BACKUP);
        assertThat(derby.entries()).isEqualTo(3);
        assertThat(said()).contains("what was recorded after it is lost");
        RestoreGap gap = RestoreGap.read(data).orElseThrow();
        assertThat(gap.from()).as("the third entry, the newest the backup holds").isBetween(
                began.truncatedTo(ChronoUnit.SECONDS), restoring);
        assertThat(gap.to()).isBetween(restoring, Instant.now());
        assertThat(said()).contains("The tills are told at their next call that what was recorded from "
                + gap.from() + " on may be lost");
    }

    @Test
    void aRestoreToTheBackupsMomentEndsEverySessionAndOneBroughtForwardKeepsThem() throws Exception {
        Path data = folder.resolve("data");
        DerbyFiles derby = new DerbyFiles(data.resolve("database")).create();
        derby.withAccount("ana@example.com", "before-backup");
        derby.record(1, 3);
        derby.backUpInto(data.resolve("backups/20261205T030000Z"));
        // After the backup, Ana changes her password because her phone was stolen: the thief's token is refused.
        derby.renewStamp("ana@example.com", "after-backup");
        derby.record(4, 6);
        derby.shutDown();

        // The log is there: the restore loses nothing, the change of password included, and nobody signs in again.
        Folders.delete(data.resolve("database/seg0"));
        assertThat(restorer(data, data.resolve("backups/20261205T030000Z"), null).restore(false))
                .isEqualTo(BackupRestore.Outcome.ROLLED_FORWARD);
        assertThat(derby.stampAndActions("ana@example.com")).isEqualTo("after-backup");
        assertThat(said()).doesNotContain("Every session");
        assertThat(derby.gaps()).as("nothing lost").isEmpty();

        // Without it the database goes back to the backup's moment, when the stolen token's stamp was the account's:
        // every account gets a new one, so no token signed before the restore works.
        Folders.delete(data.resolve("database"));
        assertThat(restorer(data, data.resolve("backups/20261205T030000Z"), null).restore(false))
                .isEqualTo(BackupRestore.Outcome.AS_AT_BACKUP);
        String[] found = derby.stampAndActions("ana@example.com").split(" ");
        assertThat(found[0]).isNotIn("before-backup", "after-backup").hasSize(22);
        assertThat(found).containsExactly(found[0], RestoredSessions.ACTION);
        assertThat(said()).contains("Every session signed in before the restore is ended (1 account)");
        // The loss is written in the same transaction, as the file tells it to the tills: the engine's heartbeat
        // finds it covered at its start, and ends no session a second time (DatabaseHeartbeatTest).
        assertThat(derby.gaps()).containsExactly("restore-engine.sh " + RestoreGap.read(data).orElseThrow());
    }

    @Test
    void sessionsThatCouldNotBeEndedAreNamedToTheOperatorAndTheRestoreGoesOn() throws Exception {
        Path data = folder.resolve("data");
        DerbyFiles derby = new DerbyFiles(data.resolve("database")).create();
        // A database without the audit trail's table: the sessions' ending, which records itself there, fails.
        derby.withAccount("ana@example.com", "before-backup", false);
        derby.record(1, 3);
        derby.backUpInto(data.resolve("backups/20261205T030000Z"));
        derby.shutDown();
        Folders.delete(data.resolve("database"));

        assertThat(restorer(data, data.resolve("backups/20261205T030000Z"), null).restore(false))
                .isEqualTo(BackupRestore.Outcome.AS_AT_BACKUP);

        assertThat(derby.entries()).isEqualTo(3);
        assertThat(derby.stampAndActions("ana@example.com")).as("nothing half-done").isEqualTo("before-backup");
        assertThat(derby.gaps()).as("no gap written without its sessions ended: the engine's start does both")
                .isEmpty();
        assertThat(said()).contains("WARNING: could not end the sessions signed in before the restore")
                .contains("UPDATE account SET session_stamp").doesNotContain("Every session");
        assertThat(RestoreGap.read(data)).as("the tills are told all the same").isPresent();
    }

    @Test
    void askedToTheBackupTheLogIsSetAsideAndNotReplayed() throws Exception {
        Path data = folder.resolve("data");
        Path logs = folder.resolve("log-disk");
        DerbyLog.place(data.resolve("database"), logs);
        DerbyFiles derby = threeEntriesAroundEachBackup(data, data.resolve("backups/20261205T030000Z"));

        BackupRestore.Outcome outcome = restorer(data, data.resolve("backups/20261205T030000Z"), logs).restore(true);

        assertThat(outcome).isEqualTo(BackupRestore.Outcome.AS_AT_BACKUP);
        assertThat(derby.entries()).isEqualTo(3);
        assertThat(names(logs)).anyMatch(name -> name.startsWith("log.before-restore-"));
    }

    @Test
    void aFolderThatIsNoBackupIsRefusedAndNothingIsTouched() throws Exception {
        Path data = folder.resolve("data");
        DerbyFiles derby = DerbyFiles.withEntries(data.resolve("database"), 2);

        assertThatThrownBy(() -> restorer(data, folder.resolve("not-a-backup"), null).restore(false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a backup");
        assertThat(derby.entries()).isEqualTo(2);
    }

    @Test
    void anOlderBackupThanTheNewestIsNotBroughtForwardByAHoledLogAndNothingIsChanged() throws Exception {
        Path data = folder.resolve("data");
        // Each backup ends its log file; the next one deletes the files before its own: the log written after the
        // first is gone once the third is taken.
        DerbyFiles derby = threeEntriesAroundEachBackup(data, "20261203T030000Z", "20261204T030000Z",
                "20261205T030000Z");

        assertThatThrownBy(() -> restorer(data, data.resolve("backups/20261203T030000Z"), null).restore(false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not go on from backup 20261203T030000Z")
                .hasMessageContaining("restore the newest backup, 20261205T030000Z")
                .hasMessageContaining("Nothing was changed");
        assertThat(names(data)).containsOnly("database", "backups");
        assertThat(derby.entries()).isEqualTo(12);

        assertThat(restorer(data, data.resolve("backups/20261203T030000Z"), null).restore(true))
                .as("restored as it is when asked").isEqualTo(BackupRestore.Outcome.AS_AT_BACKUP);
        assertThat(derby.entries()).isEqualTo(3);
        assertThat(names(data.resolve("backups"))).as("the newer backups kept aside, no longer the engine's")
                .hasSize(3).contains("20261203T030000Z")
                .anyMatch(name -> name.startsWith("20261204T030000Z.after-restore-"))
                .anyMatch(name -> name.startsWith("20261205T030000Z.after-restore-"));
    }

    @Test
    void theBackupBeforeTheNewestIsBroughtForwardWholeWhileItsLogIsThere() throws Exception {
        Path data = folder.resolve("data");
        DerbyFiles derby = threeEntriesAroundEachBackup(data, "20261204T030000Z", "20261205T030000Z");
        Folders.delete(data.resolve("database/seg0"));

        BackupRestore.Outcome outcome = restorer(data, data.resolve("backups/20261204T030000Z"), null).restore(false);

        assertThat(outcome).isEqualTo(BackupRestore.Outcome.ROLLED_FORWARD);
        assertThat(derby.entries()).as("the log goes on from its last file: every entry").isEqualTo(9);
        assertThat(names(data.resolve("backups"))).as("the newest is of the same history")
                .containsExactlyInAnyOrder("20261204T030000Z", "20261205T030000Z");
    }

    @Test
    void theLogOfAnotherDataFoldersDatabaseIsNeverReplayed() throws Exception {
        Path data = folder.resolve("data");
        Path logs = folder.resolve("log-disk");
        DerbyLog.place(data.resolve("database"), logs);
        DerbyFiles derby = threeEntriesAroundEachBackup(data, folder.resolve("backups/20261205T030000Z"));

        Path elsewhere = folder.resolve("wrong-folder");
        assertThatThrownBy(() -> restorer(elsewhere, folder.resolve("backups/20261205T030000Z"), logs).restore(false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is the database's of the data folder " + data);
        assertThat(elsewhere.resolve("database")).doesNotExist();
        assertThat(derby.entries()).isEqualTo(6);
    }

    @Test
    void aFailedRestoreLeavesNoDatabaseTheEngineWouldStartOn() throws Exception {
        Path data = folder.resolve("data");
        Path backup = data.resolve("backups/20261205T030000Z");
        threeEntriesAroundEachBackup(data, backup);
        Folders.delete(data.resolve("database"));
        Folders.delete(backup.resolve("database/seg0"));

        assertThatThrownBy(() -> restorer(data, backup, null).restore(false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("Derby could not restore");

        assertThat(data.resolve("database")).doesNotExist();
        assertThat(data.resolve(BackupRestore.FAILED)).content().contains("Derby could not restore");
    }

    /** {@link #threeEntriesAroundEachBackup(Path, Path...)} with backups named in {@code <data>/backups}. */
    private static DerbyFiles threeEntriesAroundEachBackup(Path data, String... backups) throws Exception {
        return threeEntriesAroundEachBackup(data, Stream.of(backups).map(data.resolve("backups")::resolve)
                .toArray(Path[]::new));
    }

    /**
     * The database of {@code <data>/database} with a ledger of three entries before the first backup and after
     * each: 3 × (backups + 1) entries, shut down.
     */
    private static DerbyFiles threeEntriesAroundEachBackup(Path data, Path... backups) throws Exception {
        DerbyFiles derby = new DerbyFiles(data.resolve("database")).create();
        derby.record(1, 3);
        int entries = 3;
        for (Path backup : backups) {
            derby.backUpInto(backup);
            derby.record(entries + 1, entries + 3);
            entries += 3;
        }
        derby.shutDown();
        return derby;
    }

    /**
     * After a restore to the moment of backup 20261204T030000Z: the engine's newer backup (20261205T030000Z) and the
     * log copy in {@code restored}'s folder are set aside, not deleted.
     */
    private static void theNewerBackupAndTheLogCopyAreSetAside(Path data, Path restored) throws Exception {
        assertThat(names(data.resolve("backups"))).hasSize(2).contains("20261204T030000Z")
                .anyMatch(name -> name.startsWith("20261205T030000Z.after-restore-"));
        assertThat(names(restored)).doesNotContain(DerbyLog.SHIPPED)
                .anyMatch(name -> name.startsWith(DerbyLog.SHIPPED + ".after-restore-"));
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> names = Files.list(folder)) {
            return names.map(path -> path.getFileName().toString()).toList();
        }
    }

    private BackupRestore restorer(Path data, Path backup, Path logs) {
        return restorer(data, backup, backup.getParent(), logs);
    }

    private BackupRestore restorer(Path data, Path backup, Path backups, Path logs) {
        return new BackupRestore(data, backup, backups, data.resolve("keys/token-signing.key"), logs,
                new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private String said() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
