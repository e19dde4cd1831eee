package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.engine.infrastructure.config.Folders;

/** Derby's transaction log put on another disk (LOYALTY_DB_LOG_DIR), for a new database and an existing one. */
class DerbyLogTest {

    @TempDir
    Path folder;

    @Test
    void aNewDatabaseIsCreatedWithItsLogInTheGivenFolder() throws Exception {
        Path database = folder.resolve("data/database");
        Path logs = folder.resolve("other-disk");

        assertThat(DerbyLog.place(database, logs)).contains("a new database");
        DerbyFiles derby = DerbyFiles.withEntries(database, 5);

        assertThat(logs.resolve("log")).isDirectory();
        assertThat(database.resolve("log")).doesNotExist();
        assertThat(DerbyLog.of(database)).isEqualTo(logs.toAbsolutePath().resolve("log"));
        assertThat(derby.entries()).isEqualTo(5);
        assertThat(DerbyLog.place(database, logs)).isEqualTo("Derby's transaction log: "
                + logs.toAbsolutePath().resolve("log"));
    }

    @Test
    void theLogOfAnExistingDatabaseIsMovedAndTheDatabaseBootsFromItAfterwards() throws Exception {
        Path database = folder.resolve("data/database");
        DerbyFiles derby = DerbyFiles.withEntries(database, 5);

        Path logs = folder.resolve("other-disk");
        assertThat(DerbyLog.place(database, logs)).contains("moved from " + database.resolve("log"));
        assertThat(database.resolve("log")).doesNotExist();
        assertThat(derby.entries()).isEqualTo(5);
        derby.record(6, 8);
        derby.shutDown();

        Path third = folder.resolve("third-disk");
        assertThat(DerbyLog.place(database, third)).contains("moved from " + logs.toAbsolutePath().resolve("log"));
        assertThat(logs.resolve("log")).doesNotExist();
        assertThat(derby.entries()).isEqualTo(8);
    }

    @Test
    void aMoveCutShortBeforeTheDatabaseWasToldIsDoneAgainAndWhatItLeftIsSetAsideNotDeleted() throws Exception {
        Path database = folder.resolve("data/database");
        DerbyFiles derby = DerbyFiles.withEntries(database, 5);
        // What a move killed after its copy was renamed, before service.properties was written, leaves: a log
        // that is not yet the database's (here an older copy of it), and the database's own still in place.
        Path logs = folder.resolve("other-disk");
        Files.createDirectories(logs);
        Folders.copy(database.resolve("log"), logs.resolve("log"));
        derby.record(6, 9);
        derby.shutDown();

        assertThat(DerbyLog.place(database, logs)).contains("was set aside as " + logs.resolve("log.orphaned-"));

        assertThat(derby.entries()).as("the entries the stale copy did not have").isEqualTo(9);
        try (Stream<Path> kept = Files.list(logs)) {
            assertThat(kept.map(path -> path.getFileName().toString())).anyMatch(n -> n.startsWith("log.orphaned-"));
        }
    }

    @Test
    void aMoveCutShortAfterTheDatabaseWasToldNamesTheLogItNoLongerUses() throws Exception {
        Path database = folder.resolve("data/database");
        DerbyFiles derby = DerbyFiles.withEntries(database, 3);
        Path logs = folder.resolve("other-disk");
        DerbyLog.place(database, logs);
        // ...as if the old log's deletion had not happened.
        Folders.copy(logs.resolve("log"), database.resolve("log"));

        assertThat(DerbyLog.place(database, logs)).contains("no longer uses " + database.resolve("log"));

        assertThat(derby.entries()).isEqualTo(3);
        derby.record(4, 4);
        derby.shutDown();
        assertThat(DerbyLog.of(database)).isEqualTo(logs.resolve("log"));
    }

    @Test
    void aLogFolderInsideTheDatabaseIsRefusedAndTheLogLeftWhereItIs() throws Exception {
        Path database = folder.resolve("data/database");
        DerbyFiles derby = DerbyFiles.withEntries(database, 4);

        assertThatThrownBy(() -> DerbyLog.place(database, database.resolve("log")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("overlap");
        assertThatThrownBy(() -> DerbyLog.place(database, database.resolve("log/deeper")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("overlap");
        assertThat(DerbyLog.place(database, database)).isEqualTo("Derby's transaction log: "
                + database.resolve("log"));
        assertThat(derby.entries()).isEqualTo(4);
    }

    @Test
    void aLogBehindASymbolicLinkIsRefusedAndLeftWhole() throws Exception {
        Path database = folder.resolve("data/database");
        DerbyFiles derby = DerbyFiles.withEntries(database, 4);
        // The way a log was put on another disk by hand: the folder moved there, a link left in its place.
        Path disk = folder.resolve("mnt/disk2");
        Files.createDirectories(disk);
        Files.move(database.resolve("log"), disk.resolve("log"));
        Files.createSymbolicLink(database.resolve("log"), disk.resolve("log"));

        assertThatThrownBy(() -> DerbyLog.place(database, disk)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> DerbyLog.place(database, folder.resolve("mnt/disk3")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("symbolic link");
        assertThat(derby.entries()).isEqualTo(4);
    }

    @Test
    void aFolderNamedInAnyScriptAndAPropertiesFileDerbyLeftHalfRewrittenAreTakenInTheirStride() throws Exception {
        Path database = folder.resolve("data/database");
        DerbyFiles derby = DerbyFiles.withEntries(database, 4);
        Files.copy(database.resolve("service.properties"), database.resolve("service.propertiesold"));
        Path logs = folder.resolve("journal-日志; ≠ disk");

        assertThat(DerbyLog.place(database, logs)).contains("moved");

        assertThat(derby.entries()).isEqualTo(4);
        assertThat(DerbyLog.of(database)).isEqualTo(logs.resolve("log"));
        List<String> properties = Files.readAllLines(database.resolve("service.properties"),
                StandardCharsets.ISO_8859_1);
        assertThat(properties.get(properties.size() - 1)).as("Derby's last line stays last").startsWith("#--- last line");
    }

    @Test
    void anotherEnginesLogIsNeitherTakenOverNorSetAside() throws Exception {
        Path logs = folder.resolve("shared-disk");
        Path first = folder.resolve("first/database");
        DerbyLog.place(first, logs);
        DerbyFiles one = DerbyFiles.withEntries(first, 5);
        Path second = folder.resolve("second/database");
        DerbyFiles two = DerbyFiles.withEntries(second, 2);

        assertThatThrownBy(() -> DerbyLog.place(second, logs)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is the database's of the data folder " + folder.resolve("first"))
                .hasMessageContaining("delete " + logs.resolve(DerbyLog.OWNER));

        assertThat(one.entries()).isEqualTo(5);
        assertThat(two.entries()).isEqualTo(2);
        assertThat(DerbyLog.of(second)).isEqualTo(second.resolve("log"));
        try (Stream<Path> kept = Files.list(logs)) {
            assertThat(kept.map(path -> path.getFileName().toString())).containsOnly("log", DerbyLog.OWNER);
        }
    }

    @Test
    void theLogSinceABackupIsReplayableOnlyWithoutAHole() throws Exception {
        Path backup = logFiles("backup", 3);
        assertThat(DerbyLog.continuesFrom(backup, logFiles("a", 3, 4, 5))).isTrue();
        assertThat(DerbyLog.continuesFrom(backup, logFiles("b", 3))).as("nothing written since").isTrue();
        assertThat(DerbyLog.continuesFrom(backup, logFiles("c", 4, 5)))
                .as("Derby checkpointed past the backup's last file and deleted it").isTrue();
        assertThat(DerbyLog.continuesFrom(backup, logFiles("d", 5, 6))).as("log4 is missing").isFalse();
        assertThat(DerbyLog.continuesFrom(backup, logFiles("e", 3, 5))).as("log4 is missing").isFalse();
        assertThat(DerbyLog.continuesFrom(logFiles("f", 1, 2), logFiles("g", 4, 5))).isFalse();
        assertThat(DerbyLog.continuesFrom(logFiles("h"), logFiles("i", 1))).isFalse();
    }

    private Path logFiles(String name, int... numbers) throws Exception {
        Path log = Files.createDirectories(folder.resolve(name).resolve("log"));
        Files.writeString(log.resolve("log.ctrl"), "");
        for (int number : numbers) {
            Files.writeString(log.resolve("log" + number + ".dat"), "");
        }
        return log;
    }

    @Test
    void aLogWithoutItsDatabaseIsNeverTakenForANewOne() throws Exception {
        Path logs = folder.resolve("other-disk");
        Files.createDirectories(logs.resolve("log"));
        Files.writeString(logs.resolve("log/log7.dat"), "the lost database's log");

        assertThatThrownBy(() -> DerbyLog.place(folder.resolve("data/database"), logs))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds a transaction log but").hasMessageContaining("restore-engine.sh");
        assertThat(logs.resolve("log/log7.dat")).hasContent("the lost database's log");
    }
}
