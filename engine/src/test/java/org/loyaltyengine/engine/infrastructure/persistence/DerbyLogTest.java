package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Derby's transaction log put on another disk (LOYALTY_DB_LOG_DIR), for a new database and an existing one. */
class DerbyLogTest {

    @TempDir
    Path folder;

    @Test
    void aNewDatabaseIsCreatedWithItsLogInTheGivenFolder() throws Exception {
        Path database = folder.resolve("data/database");
        Path logs = folder.resolve("other-disk");

        assertThat(DerbyLog.place(database, logs)).contains("a new database");
        DerbyFiles derby = new DerbyFiles(database).create();
        derby.record(1, 5);
        derby.shutDown();

        assertThat(logs.resolve("log")).isDirectory();
        assertThat(database.resolve("log")).doesNotExist();
        assertThat(DerbyLog.of(database)).isEqualTo(logs.toAbsolutePath().resolve("log"));
        assertThat(derby.entries()).isEqualTo(5);
        derby.shutDown();
        assertThat(DerbyLog.place(database, logs)).isEqualTo("Derby's transaction log: "
                + logs.toAbsolutePath().resolve("log"));
    }

    @Test
    void theLogOfAnExistingDatabaseIsMovedAndTheDatabaseBootsFromItAfterwards() throws Exception {
        Path database = folder.resolve("data/database");
        DerbyFiles derby = new DerbyFiles(database).create();
        derby.record(1, 5);
        derby.shutDown();

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
        derby.shutDown();
    }

    @Test
    void aMoveCutShortBeforeTheDatabaseWasToldIsDoneAgainFromTheLogItStillHas() throws Exception {
        Path database = folder.resolve("data/database");
        DerbyFiles derby = new DerbyFiles(database).create();
        derby.record(1, 5);
        derby.shutDown();
        // What a move killed after its copy was renamed, before service.properties was written, leaves: a log
        // that is not yet the database's (here an older copy of it), and the database's own still in place.
        Path logs = folder.resolve("other-disk");
        Files.createDirectories(logs);
        org.loyaltyengine.engine.infrastructure.config.Folders.copy(database.resolve("log"), logs.resolve("log"));
        derby.record(6, 9);
        derby.shutDown();

        DerbyLog.place(database, logs);

        assertThat(derby.entries()).as("the entries the stale copy did not have").isEqualTo(9);
        derby.shutDown();
    }

    @Test
    void aMoveCutShortAfterTheDatabaseWasToldLeavesNoSecondLog() throws Exception {
        Path database = folder.resolve("data/database");
        DerbyFiles derby = new DerbyFiles(database).create();
        derby.record(1, 3);
        derby.shutDown();
        Path logs = folder.resolve("other-disk");
        DerbyLog.place(database, logs);
        // ...as if the old log's deletion had not happened.
        org.loyaltyengine.engine.infrastructure.config.Folders.copy(logs.resolve("log"), database.resolve("log"));

        DerbyLog.place(database, logs);

        assertThat(database.resolve("log")).doesNotExist();
        assertThat(derby.entries()).isEqualTo(3);
        derby.shutDown();
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
