package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances notice by themselves that the machine's PostgreSQL database they share went back in time, restored with
 * PostgreSQL's own tools ({@code pg_dump}, {@code pg_restore}), and write the time in which the tills' calls may
 * be lost, for every instance to tell.
 */
class DatabaseHeartbeatTest {

    @TempDir
    Path folders;

    /** The instances' clock, moved by the test: a second a beat. */
    private Instant now = Instant.parse("2026-12-05T09:00:00Z");

    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void aDatabaseRestoredWithPostgresqlsToolsIsNoticedOnceWhicheverInstanceBeatsFirst() throws Exception {
        try (ScratchDatabase database = new ScratchDatabase("postgresql", "heartbeat");
             Connection connection = migrated(database)) {
            DatabaseHeartbeat first = new DatabaseHeartbeat(Files.createDirectories(folders.resolve("node-1")), clock, busy());
            DatabaseHeartbeat second = new DatabaseHeartbeat(Files.createDirectories(folders.resolve("node-2")), clock, busy());
            DatabaseHeartbeat third = new DatabaseHeartbeat(Files.createDirectories(folders.resolve("node-3")), clock, busy());
            for (int beat = 0; beat < 3; beat++) {
                assertThat(first.beat(connection)).isEmpty();
                assertThat(second.beat(connection)).isEmpty();
                assertThat(third.beat(connection)).isEmpty();
                tick();
            }
            Instant dumped = now;
            ana(connection);
            Path dump = folders.resolve("backup.dump");
            run("pg_dump", "-h", "127.0.0.1", "-U", "postgres", "-Fc", "-f", dump.toString(), name(database));

            // The day goes on: beats (and sales) written after the backup; the third instance is stopped.
            for (int beat = 0; beat < 5; beat++) {
                tick();
                assertThat(first.beat(connection)).isEmpty();
                assertThat(second.beat(connection)).isEmpty();
                if (beat < 2) {
                    assertThat(third.beat(connection)).isEmpty();
                }
            }
            assertThat(DatabaseHeartbeat.newestGap(connection)).isEmpty();

            // The database is lost and restored from the backup, by PostgreSQL's tools.
            run("pg_restore", "-h", "127.0.0.1", "-U", "postgres", "--clean", "-d", name(database), dump.toString());
            tick();
            Instant restoredAt = now;

            Optional<RestoreGap> noticed = first.beat(connection);
            assertThat(noticed).as("the first instance to beat notices").isPresent();
            assertThat(noticed.get().from()).as("the newest beat the backup holds").isEqualTo(dumped.minusSeconds(1));
            assertThat(noticed.get().to()).isEqualTo(restoredAt);
            String renewed = sessionStampAndEndings(connection);
            assertThat(renewed).as("every session signed in before the restore ends with the gap")
                    .doesNotStartWith("before-backup").endsWith(" 1");

            // The second finds its beats lost too, and the loss told already: the gap stays as it is.
            tick();
            assertThat(second.beat(connection)).isEmpty();
            assertThat(DatabaseHeartbeat.newestGap(connection)).contains(noticed.get());

            // The third, started a day later, lost beats as well; it does not stretch the gap over the day.
            now = now.plus(Duration.ofDays(1));
            assertThat(third.beat(connection)).isEmpty();
            assertThat(third.kept().beat()).as("on from its own beats, the database's lower").isEqualTo(6);
            assertThat(DatabaseHeartbeat.newestGap(connection)).contains(noticed.get());

            // Noticed once: the beats go on from where the instances were.
            for (int beat = 0; beat < 3; beat++) {
                tick();
                assertThat(first.beat(connection)).isEmpty();
                assertThat(second.beat(connection)).isEmpty();
                assertThat(third.beat(connection)).isEmpty();
            }
            assertThat(first.kept().beat()).isEqualTo(12);
            assertThat(sessionStampAndEndings(connection)).as("ended once, not at each instance's notice")
                    .isEqualTo(renewed);
            assertThat(third.kept().beat()).isEqualTo(9);
        }
    }

    /** Ana, a customer signed in before the backup: her session stamp is {@code before-backup}. */
    private static void ana(Connection connection) throws Exception {
        execute(connection, "INSERT INTO account (email, password_hash, role, session_stamp)"
                + " VALUES ('ana@example.com', 'x', 'CUSTOMER', 'before-backup')");
    }

    /** Ana's session stamp, and how many times the audit trail says that every session was ended. */
    private static String sessionStampAndEndings(Connection connection) throws Exception {
        try (java.sql.Statement statement = connection.createStatement();
             java.sql.ResultSet row = statement.executeQuery("SELECT session_stamp, (SELECT COUNT(*) FROM audit_event"
                     + " WHERE action = '" + RestoredSessions.ACTION + "') FROM account WHERE email = 'ana@example.com'")) {
            assertThat(row.next()).isTrue();
            return row.getString(1) + " " + row.getLong(2);
        }
    }

    @Test
    void beatsRestoredUnderARunningInstanceAreWaitedForAndAClockSetBackEndsTheGapAfterTheKeptBeat()
            throws Exception {
        Path node = Files.createDirectories(folders.resolve("node"));
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            DatabaseHeartbeat heartbeat = new DatabaseHeartbeat(node, clock, busy());
            for (int beat = 0; beat < 5; beat++) {
                assertThat(heartbeat.beat(connection)).isEmpty();
                tick();
            }
            Instant keptAt = heartbeat.kept().at();

            // A restore has made the table and not loaded it yet: nothing is written into it meanwhile.
            execute(connection, "DELETE FROM instance_heartbeat");
            for (int beat = 0; beat < 3; beat++) {
                assertThat(heartbeat.beat(connection)).isEmpty();
                tick();
            }
            assertThat(count(connection, "instance_heartbeat")).isZero();
            assertThat(heartbeat.kept().beat()).isEqualTo(5);

            // Its rows loaded (the backup's: the instance's second beat), with the clock set back an hour since.
            execute(connection, "INSERT INTO instance_heartbeat VALUES ('" + heartbeat.kept().instance() + "', 2, '"
                    + InstantConverter.timestamp(keptAt.minusSeconds(3)) + "')");
            now = now.minus(Duration.ofHours(1));
            Optional<RestoreGap> noticed = heartbeat.beat(connection);
            assertThat(noticed).contains(new RestoreGap(keptAt.minusSeconds(3), keptAt));
            assertThat(heartbeat.kept().beat()).isEqualTo(6);
        }
    }

    @Test
    void aClockSetBackBeforeTheLossStillCountsWhatWasStampedBeforeAndALossNoticedOnceIsWrittenOnce()
            throws Exception {
        Path node = Files.createDirectories(folders.resolve("node"));
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            DatabaseHeartbeat heartbeat = new DatabaseHeartbeat(node, clock, busy());
            for (int beat = 0; beat < 5; beat++) {
                heartbeat.beat(connection);
                tick();
            }
            Instant newest = now.minusSeconds(1);
            // The clock set back an hour (a time server correcting it); two more beats.
            now = now.minus(Duration.ofHours(1));
            heartbeat.beat(connection);
            tick();
            heartbeat.beat(connection);
            tick();
            // The database restored to the instance's second beat, stamped before the clock went back.
            String restored = "UPDATE instance_heartbeat SET beat = 2, beat_at = '"
                    + InstantConverter.timestamp(newest.minusSeconds(3)) + "'";
            execute(connection, restored);
            Optional<RestoreGap> noticed = heartbeat.beat(connection);
            assertThat(noticed).contains(new RestoreGap(newest.minusSeconds(3), newest));

            // Its next beat written over by the restore's rows once more: the loss is found again, not written again.
            execute(connection, restored);
            tick();
            assertThat(heartbeat.beat(connection)).isEmpty();
            assertThat(count(connection, "restore_gap")).isEqualTo(1);
        }
    }

    @Test
    void aGapIsNeverWrittenWithoutEndingTheSessionsAndTheNextLookTriesBothAgain() throws Exception {
        Path node = Files.createDirectories(folders.resolve("node"));
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            ana(connection);
            DatabaseHeartbeat heartbeat = new DatabaseHeartbeat(node, clock, busy());
            for (int beat = 0; beat < 3; beat++) {
                heartbeat.beat(connection);
                tick();
            }
            // The database loses the last beat; the accounts cannot be written at the moment the loss is noticed.
            execute(connection, "UPDATE instance_heartbeat SET beat = 2");
            execute(connection, "RENAME TABLE account TO account_away");
            assertThatThrownBy(() -> heartbeat.beat(connection)).isInstanceOf(java.sql.SQLException.class);
            assertThat(count(connection, "restore_gap")).as("no gap without its sessions ended").isZero();
            assertThat(connection.getAutoCommit()).as("the connection as it was given").isTrue();

            execute(connection, "RENAME TABLE account_away TO account");
            tick();
            assertThat(heartbeat.beat(connection)).isPresent();
            assertThat(count(connection, "restore_gap")).isEqualTo(1);
            assertThat(sessionStampAndEndings(connection)).doesNotStartWith("before-backup").endsWith(" 1");
        }
    }

    @Test
    void aRestoreThatRestoreEngineRecordedIsNotNoticedAgainAtTheEnginesStart() throws Exception {
        Path node = Files.createDirectories(folders.resolve("node"));
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            ana(connection);
            DatabaseHeartbeat heartbeat = new DatabaseHeartbeat(node, clock, busy());
            heartbeat.beat(connection);
            // The backup: an entry and the beat after it.
            Instant backedUp = now;
            entry(connection, 1, backedUp);
            tick();
            heartbeat.beat(connection);
            long kept = beatInDatabase(connection);
            Instant keptAt = beatAtInDatabase(connection);
            for (int beat = 0; beat < 30; beat++) {
                tick();
                if (beat == 10) {
                    entry(connection, 2, now);
                }
                heartbeat.beat(connection);
            }
            // The engine stops; restore-engine.sh puts the backup back (entry 2 and the later beats are lost), and
            // records the loss as it does: from the newest entry restored to the restore's moment, every session
            // ended in the same transaction (BackupRestore).
            tick();
            execute(connection, "DELETE FROM ledger_entry WHERE id = 2");
            execute(connection, "UPDATE instance_heartbeat SET beat = " + kept + ", beat_at = '"
                    + InstantConverter.timestamp(keptAt) + "'");
            RestoreGap restored = new RestoreGap(backedUp, now);
            connection.setAutoCommit(false);
            RestoredSessions.writeGap(connection, restored, "restore-engine.sh", now);
            RestoredSessions.endAll(connection, restored, "restore-engine.sh", now);
            connection.commit();
            connection.setAutoCommit(true);
            String ended = sessionStampAndEndings(connection);
            assertThat(ended).doesNotStartWith("before-backup").endsWith(" 1");

            // The engine starts on it, its heartbeat file of the beats lost: the loss is the one recorded.
            tick();
            assertThat(heartbeat.beat(connection)).isEmpty();
            assertThat(count(connection, "restore_gap")).isEqualTo(1);
            assertThat(sessionStampAndEndings(connection)).as("the sessions signed in since are kept").isEqualTo(ended);
            assertThat(DatabaseHeartbeat.newestGap(connection)).contains(restored);
        }
    }

    @Test
    void aDatabaseRestoredToBeforeAnyBeatIsTakenForOneOnceItsBeatsAreWaitedForLongEnough() throws Exception {
        Path node = Files.createDirectories(folders.resolve("node"));
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            Instant created = now;
            DatabaseHeartbeat heartbeat = new DatabaseHeartbeat(node, clock, busy());
            execute(connection, "UPDATE database_identity SET created_at = '"
                    + InstantConverter.timestamp(created) + "'");
            tick();
            heartbeat.beat(connection);
            tick();
            heartbeat.beat(connection);
            execute(connection, "DELETE FROM instance_heartbeat");
            for (int beat = 0; beat < DatabaseHeartbeat.PATIENCE_WITH_NO_BEATS.toSeconds(); beat++) {
                tick();
                assertThat(heartbeat.beat(connection)).isEmpty();
            }
            tick();
            assertThat(heartbeat.beat(connection)).as("no beat, no sale: from the database's making")
                    .contains(new RestoreGap(created, now));
        }
    }

    @Test
    void aNewDatabaseAnotherDatabaseOrAFolderWithoutItsFileNoticeNothing() throws Exception {
        Path node = Files.createDirectories(folders.resolve("node"));
        DatabaseHeartbeat heartbeat = new DatabaseHeartbeat(node, clock, busy());
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            for (int beat = 0; beat < 3; beat++) {
                assertThat(heartbeat.beat(connection)).isEmpty();
                tick();
            }
        }
        // The instance pointed at a new database (its identity is another): its beats start again, nothing lost.
        try (ScratchDatabase other = new ScratchDatabase("derby", "heartbeat-other");
             Connection connection = migrated(other)) {
            assertThat(heartbeat.beat(connection)).isEmpty();
            assertThat(heartbeat.kept().beat()).isEqualTo(1);
            tick();
            assertThat(heartbeat.beat(connection)).isEmpty();

            // The data folder lost, its file with it: nothing is known, nothing noticed.
            Files.delete(node.resolve(DatabaseHeartbeat.FILE));
            assertThat(new DatabaseHeartbeat(node, clock, busy()).beat(connection)).isEmpty();
            assertThat(DatabaseHeartbeat.newestGap(connection)).isEmpty();
        }
    }

    @Test
    void aFileThatLagsTheDatabaseNoticesNothing() throws Exception {
        Path node = Files.createDirectories(folders.resolve("node"));
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            DatabaseHeartbeat heartbeat = new DatabaseHeartbeat(node, clock, busy());
            heartbeat.beat(connection);
            String kept = Files.readString(node.resolve(DatabaseHeartbeat.FILE));
            for (int beat = 0; beat < 3; beat++) {
                tick();
                heartbeat.beat(connection);
            }
            // The file as an earlier beat left it (a crash before it was written): it only lags.
            Files.writeString(node.resolve(DatabaseHeartbeat.FILE), kept);
            tick();
            assertThat(heartbeat.beat(connection)).isEmpty();
            assertThat(heartbeat.kept().beat()).isEqualTo(5);
        }
    }

    @Test
    void anIdleInstanceWritesNoBeatAndALossAfterItIsNoticedFromTheNewestEntryTheBackupHolds() throws Exception {
        Path node = Files.createDirectories(folders.resolve("node"));
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            AtomicLong writes = new AtomicLong();
            DatabaseHeartbeat heartbeat = new DatabaseHeartbeat(node, clock, writes::get);
            assertThat(heartbeat.beat(connection)).isEmpty();
            assertThat(beatInDatabase(connection)).as("the first beat is written").isEqualTo(1);
            for (int beat = 0; beat <= DatabaseHeartbeat.SETTLING.toSeconds(); beat++) {
                tick();
                heartbeat.beat(connection);
            }
            long settled = beatInDatabase(connection);
            Instant settledAt = beatAtInDatabase(connection);
            // Ten minutes with nothing written: the beats look, and write nothing.
            for (int beat = 0; beat < 600; beat++) {
                tick();
                assertThat(heartbeat.beat(connection)).isEmpty();
            }
            assertThat(beatInDatabase(connection)).isEqualTo(settled);
            assertThat(beatAtInDatabase(connection)).isEqualTo(settledAt);
            assertThat(heartbeat.kept().beat()).isEqualTo(settled);
            assertThat(heartbeat.quiet()).as("a write then waits for a beat before it").isTrue();

            // A sale's entry is written, and the backup taken before the next beat: it holds the entry, not a beat.
            Instant backedUp = now;
            writes.incrementAndGet();
            entry(connection, 1, backedUp);
            // The day goes on: the beat follows the write; another sale later, then the database is restored.
            tick();
            assertThat(heartbeat.beat(connection)).isEmpty();
            assertThat(beatInDatabase(connection)).isEqualTo(settled + 1);
            assertThat(heartbeat.quiet()).isFalse();
            for (int beat = 0; beat < 120; beat++) {
                tick();
                if (beat == 60) {
                    writes.incrementAndGet();
                    entry(connection, 2, now);
                }
                heartbeat.beat(connection);
            }
            execute(connection, "DELETE FROM ledger_entry WHERE id = 2");
            execute(connection, "UPDATE instance_heartbeat SET beat = " + settled + ", beat_at = '"
                    + InstantConverter.timestamp(settledAt) + "'");
            tick();
            assertThat(heartbeat.beat(connection)).as("from the entry the backup holds, not the beat ten minutes"
                    + " before it").contains(new RestoreGap(backedUp, now));

            assertThat(count(connection, "restore_gap")).isEqualTo(1);
        }
    }

    @Test
    void anIdleInstanceNoticesTheLossOfWhatAnotherWroteWhenThatOneIsGone() throws Exception {
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            AtomicLong busyWrites = new AtomicLong();
            DatabaseHeartbeat busy = new DatabaseHeartbeat(Files.createDirectories(folders.resolve("busy")), clock,
                    busyWrites::incrementAndGet);
            DatabaseHeartbeat idle = new DatabaseHeartbeat(Files.createDirectories(folders.resolve("idle")), clock,
                    () -> 0);
            for (int beat = 0; beat < 30; beat++) {
                busy.beat(connection);
                assertThat(idle.beat(connection)).isEmpty();
                tick();
            }
            String busyOne = busy.kept().instance();
            long idleBeat = idle.kept().beat();
            assertThat(idleBeat).as("the idle one stopped beating after its first looks").isLessThan(15);
            long backedUpBeat = beatOf(connection, busyOne);
            Instant backedUpAt = beatAtOf(connection, busyOne);

            // The busy one sells on after the backup, then is gone (its machine and data folder with it).
            for (int beat = 0; beat < 30; beat++) {
                tick();
                busy.beat(connection);
                assertThat(idle.beat(connection)).isEmpty();
            }
            assertThat(idle.kept().beat()).isEqualTo(idleBeat);

            // The database is restored: only the idle one is left to notice, by the busy one's beat it saw.
            execute(connection, "UPDATE instance_heartbeat SET beat = " + backedUpBeat + ", beat_at = '"
                    + InstantConverter.timestamp(backedUpAt) + "' WHERE instance_id = '" + busyOne + "'");
            tick();
            assertThat(idle.beat(connection)).as("from the newest beat the backup holds")
                    .contains(new RestoreGap(backedUpAt, now));
            tick();
            assertThat(idle.beat(connection)).as("noticed once").isEmpty();
            assertThat(count(connection, "restore_gap")).isEqualTo(1);
        }
    }

    @Test
    void anotherInstancesClockAheadDoesNotPushTheGapItNoticesIntoTheFuture() throws Exception {
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            Clock anHourAhead = Clock.offset(clock, Duration.ofHours(1));
            DatabaseHeartbeat ahead = new DatabaseHeartbeat(Files.createDirectories(folders.resolve("ahead")),
                    anHourAhead, busy());
            DatabaseHeartbeat idle = new DatabaseHeartbeat(Files.createDirectories(folders.resolve("idle")), clock,
                    () -> 0);
            for (int beat = 0; beat < 30; beat++) {
                ahead.beat(connection);
                idle.beat(connection);
                tick();
            }
            String aheadOne = ahead.kept().instance();
            long backedUpBeat = beatOf(connection, aheadOne);
            Instant backedUpAt = beatAtOf(connection, aheadOne);
            for (int beat = 0; beat < 30; beat++) {
                tick();
                ahead.beat(connection);
                idle.beat(connection);
            }
            execute(connection, "UPDATE instance_heartbeat SET beat = " + backedUpBeat + ", beat_at = '"
                    + InstantConverter.timestamp(backedUpAt) + "' WHERE instance_id = '" + aheadOne + "'");
            tick();
            Optional<RestoreGap> noticed = idle.beat(connection);
            assertThat(noticed).isPresent();
            assertThat(noticed.get().to()).as("up to now by this instance's clock").isEqualTo(now);
            assertThat(noticed.get().from()).as("from a beat it wrote, not one stamped in the future")
                    .isBefore(now.minusSeconds(30));
        }
    }

    @Test
    void aBeatOwedAfterAWriteIsWrittenOnceTheDatabaseIsBackHoweverLongItWasAway() throws Exception {
        Path node = Files.createDirectories(folders.resolve("node"));
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            AtomicLong writes = new AtomicLong();
            DatabaseHeartbeat heartbeat = new DatabaseHeartbeat(node, clock, writes::get);
            for (int beat = 0; beat <= DatabaseHeartbeat.SETTLING.toSeconds() + 2; beat++) {
                heartbeat.beat(connection);
                tick();
            }
            long settled = beatInDatabase(connection);

            // A write commits, and the database goes away before a beat follows it, for longer than the settling.
            writes.incrementAndGet();
            Connection away = database.connect();
            away.close();
            for (int beat = 0; beat <= DatabaseHeartbeat.SETTLING.toSeconds() + 5; beat++) {
                assertThatThrownBy(() -> heartbeat.beat(away)).isInstanceOf(java.sql.SQLException.class);
                tick();
            }
            assertThat(beatInDatabase(connection)).isEqualTo(settled);
            heartbeat.beat(connection);
            assertThat(beatInDatabase(connection)).as("the beat owed to the write").isEqualTo(settled + 1);
            tick();
            heartbeat.beat(connection);
            tick();
            heartbeat.beat(connection);
            assertThat(beatInDatabase(connection)).as("and no more").isEqualTo(settled + 1);
        }
    }

    @Test
    void aWriteIsFollowedByABeatAfterTheOneThatCountedItHoweverLongTheBeatsApart() throws Exception {
        Path node = Files.createDirectories(folders.resolve("node"));
        try (ScratchDatabase database = new ScratchDatabase("derby", "heartbeat");
             Connection connection = migrated(database)) {
            AtomicLong writes = new AtomicLong();
            DatabaseHeartbeat heartbeat = new DatabaseHeartbeat(node, clock, writes::get);
            Duration period = DatabaseHeartbeat.SETTLING.multipliedBy(3);
            heartbeat.beat(connection);
            now = now.plus(period);
            heartbeat.beat(connection);
            now = now.plus(period);
            heartbeat.beat(connection);
            assertThat(beatInDatabase(connection)).as("the first, and one after it").isEqualTo(2);

            // Counted when its statement runs: the beat that counts it may come before its commit, so one follows.
            writes.incrementAndGet();
            now = now.plus(period);
            heartbeat.beat(connection);
            assertThat(beatInDatabase(connection)).isEqualTo(3);
            now = now.plus(period);
            heartbeat.beat(connection);
            assertThat(beatInDatabase(connection)).isEqualTo(4);
            now = now.plus(period);
            heartbeat.beat(connection);
            assertThat(beatInDatabase(connection)).isEqualTo(4);
        }
    }

    @Test
    void gapsThatOverlapAreToldAsOneAndAnOldOneApartIsNot() {
        Instant nine = Instant.parse("2026-12-05T09:00:00Z");
        RestoreGap lastWeek = new RestoreGap(nine.minus(7, ChronoUnit.DAYS), nine.minus(7, ChronoUnit.DAYS)
                .plusSeconds(600));
        RestoreGap first = new RestoreGap(nine, nine.plusSeconds(60));
        RestoreGap second = new RestoreGap(nine.plusSeconds(59), nine.plusSeconds(62));
        RestoreGap restoreScript = new RestoreGap(nine.minusSeconds(30), nine.plusSeconds(61));
        List<RestoreGap> gaps = new ArrayList<>(List.of(lastWeek, second, first, restoreScript));

        assertThat(RestoreGap.newest(gaps)).contains(new RestoreGap(nine.minusSeconds(30), nine.plusSeconds(62)));
        assertThat(RestoreGap.newest(List.of(lastWeek))).contains(lastWeek);
        assertThat(RestoreGap.newest(List.of())).isEmpty();
    }

    /**
     * A connection to the database migrated as the engine migrates it, in auto-commit as the engine's (an open read
     * would hold pg_restore's drops).
     */
    private static Connection migrated(ScratchDatabase database) throws Exception {
        database.migrate(null);
        Connection connection = database.connect();
        connection.setAutoCommit(true);
        return connection;
    }

    private static void execute(Connection connection, String sql) throws Exception {
        try (var statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static long count(Connection connection, String table) throws Exception {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** An instance that writes all the time: every beat is written. */
    private static LongSupplier busy() {
        return new AtomicLong()::incrementAndGet;
    }

    /** A ledger entry recorded at the time given, of a member of a programme made for it. */
    private static void entry(Connection connection, long id, Instant recordedAt) throws Exception {
        String at = "'" + InstantConverter.timestamp(recordedAt) + "'";
        if (count(connection, "programme") == 0) {
            execute(connection, "INSERT INTO programme (id, code, name, currency, points_expire_after_days,"
                    + " pending_days, point_value, tier_window_days, zone_id, created_at) VALUES (1, 'DEMO', 'Demo',"
                    + " 'EUR', 365, 0, 0.01, 365, 'UTC', " + at + ")");
            execute(connection, "INSERT INTO member (id, public_id, programme_id, joined_on, tier_code, tier_since,"
                    + " version) VALUES (1, 'm-1', 1, '2026-01-01', 'BASE', " + at + ", 1)");
        }
        execute(connection, "INSERT INTO ledger_entry (id, member_id, kind, points, qualifying_points, occurred_at,"
                + " recorded_at, channel, actor) VALUES (" + id + ", 1, 'EARN', 10, 10, " + at + ", " + at
                + ", 'STORE', 'S001/T1')");
    }

    /** The one instance's beat in the database. */
    private static long beatInDatabase(Connection connection) throws Exception {
        return ((Number) single(connection, "SELECT beat FROM instance_heartbeat")).longValue();
    }

    private static Instant beatAtInDatabase(Connection connection) throws Exception {
        return ((java.sql.Timestamp) single(connection, "SELECT beat_at FROM instance_heartbeat")).toLocalDateTime()
                .toInstant(ZoneOffset.UTC);
    }

    private static long beatOf(Connection connection, String instance) throws Exception {
        return ((Number) single(connection, "SELECT beat FROM instance_heartbeat WHERE instance_id = '" + instance
                + "'")).longValue();
    }

    private static Instant beatAtOf(Connection connection, String instance) throws Exception {
        return ((java.sql.Timestamp) single(connection, "SELECT beat_at FROM instance_heartbeat WHERE instance_id = '"
                + instance + "'")).toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    private static Object single(Connection connection, String sql) throws Exception {
        try (var statement = connection.createStatement();
             var rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            Object value = rows.getObject(1);
            assertThat(rows.next()).as(sql + ": one row").isFalse();
            return value;
        }
    }

    private void tick() {
        now = now.plusSeconds(1);
    }

    private static String name(ScratchDatabase database) {
        return database.url().substring(database.url().lastIndexOf('/') + 1);
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
