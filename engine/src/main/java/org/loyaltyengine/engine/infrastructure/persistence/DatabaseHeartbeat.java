package org.loyaltyengine.engine.infrastructure.persistence;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;

import org.loyaltyengine.engine.infrastructure.config.Folders;

/**
 * How an instance of the engine notices by itself that its database went back in time: restored from a backup with
 * PostgreSQL's own tools, or an embedded Derby folder copied back by hand. At a beat (a second apart) the instance
 * writes a number one higher than the last into its row of the database ({@code instance_heartbeat}), then into a
 * file of its own data folder ({@value #FILE}), with the database's identity ({@code database_identity}, made once,
 * kept by every backup and restore of the database, new in a new one). An instance that finds its row lower than its
 * file, or gone, in the database its file names, knows that the database lost what was written after the row's
 * beat: it writes the time in which what the tills sent may be lost ({@code restore_gap}: from the newest beat or
 * ledger entry the database still holds, of any instance, to the moment it noticed), and every instance tells the
 * tills ({@link RestoreGap}), which send again what the engine recorded for them in it; with the gap, every session
 * signed in before ends ({@link RestoredSessions}). A new database, a data
 * folder without the file, or a file of another database notice nothing.
 * <p>
 * The beat is written only while the instance writes to the database ({@link DataWrites}), and for
 * {@link #SETTLING} after, once at least on a later look: a restore can lose only what was written after its backup,
 * and each such write is followed by a beat. An idle instance reads the beats every second and writes nothing, so
 * that a database nobody uses stays idle (a beat a second kept PostgreSQL's WAL moving for ever); its file keeps the
 * beats of the other instances it saw, so that it notices the loss of theirs as well as of its own (the instance that
 * wrote after the backup may be gone).
 * <p>
 * Each statement commits on its own: a beat written but not kept in the file (a crash between the two) only makes
 * the file lag, which notices nothing; a gap written but not followed by the beat is not written again (a gap
 * noticed after the kept beat is that loss's). A beat is written over the one read only, and a database whose
 * identity or beats are not there yet (being loaded by a restore) is waited for, so that a restore under running
 * instances is neither written over nor hindered.
 */
public final class DatabaseHeartbeat {

    /** The file of the data folder that keeps the instance's last beat. */
    public static final String FILE = "heartbeat";

    /**
     * What the file keeps: the database's identity, the instance's, its last beat, when it was written, and the
     * latest time any beat of the instance was written at ({@code newest}: the same, unless the clock went back since),
     * the other instances' beats it read ({@code seen}), and the latest time one of those was written at, as far as it
     * was not later than this instance's clock when it read it ({@code othersNewest}; null before any).
     */
    record Kept(String database, String instance, long beat, Instant at, Instant newest, Map<String, Long> seen,
                Instant othersNewest) {
    }

    /** The beats the database holds: each instance's, and the latest time any was written at. */
    private record Beats(Map<String, Long> of, Instant newest) {
    }

    /**
     * How long an instance waits for the beats of a database restored under it, whose table of beats is there but
     * empty, before it takes it for a database restored to a moment before any beat.
     */
    static final Duration PATIENCE_WITH_NO_BEATS = Duration.ofMinutes(1);

    /**
     * How long the beats go on after the instance's last write seen: writes are counted when their statement runs,
     * and a beat must follow their commit.
     */
    static final Duration SETTLING = Duration.ofSeconds(10);

    private final Path file;
    private final Clock clock;
    private final LongSupplier writes;
    private Instant noBeatsSince;
    /** The count of writes at the last look; null before the first. */
    private Long writesSeen;
    /** Until when beats are written since the last write seen. */
    private Instant settlingUntil = Instant.MIN;
    /**
     * Whether a beat is owed on a later look than the one that saw the last write (whatever the period, and until
     * one is written: a beat that failed, the database away, is owed still).
     */
    private boolean owed;
    private volatile boolean quiet;

    /**
     * @param writes how many writes the instance ran so far ({@link DataWrites#count()}): beats are written while it
     *        moves
     */
    public DatabaseHeartbeat(Path dataFolder, Clock clock, LongSupplier writes) {
        this.file = dataFolder.resolve(FILE);
        this.clock = clock;
        this.writes = writes;
    }

    /**
     * One beat: notices whether the database lost beats of this instance, then writes the next if the instance wrote
     * since the last beat (or within {@link #SETTLING} of it), or its row is not the one its file keeps.
     *
     * @param connection in auto-commit, or committed here after each write
     * @return the gap noticed now; empty when the database lost nothing, or another instance noticed it first
     */
    public Optional<RestoreGap> beat(Connection connection) throws SQLException, IOException {
        // Read before the database: a write counted after it is seen at the next look.
        long written = writes.getAsLong();
        boolean wrote = writesSeen == null || writesSeen != written;
        writesSeen = written;
        if (wrote) {
            owed = true;
            settlingUntil = clock.instant().plus(SETTLING);
        }
        // Made by migration 16.1; null while a restore has not loaded it yet.
        String database = selectIdentity(connection);
        if (database == null) {
            // The table is there but not its row: a restore loading the tables (pg_restore), or the schema being
            // made. Nothing is known until it is.
            return Optional.empty();
        }
        Kept kept = kept();
        boolean ours = kept != null && kept.database().equals(database);
        String instance = kept != null ? kept.instance() : UUID.randomUUID().toString();
        Beats beats = beats(connection);
        Long found = beats.of().get(instance);
        if (ours && found == null && beats.of().isEmpty()) {
            // A restore that created the tables and has not loaded this one yet (pg_restore loads one table after
            // another): a row written now would stand in the way of the rows it loads.
            Instant at = clock.instant();
            if (noBeatsSince == null || noBeatsSince.isAfter(at)) {
                noBeatsSince = at;
            }
            if (Duration.between(noBeatsSince, at).compareTo(PATIENCE_WITH_NO_BEATS) < 0) {
                return Optional.empty();
            }
        }
        noBeatsSince = null;
        Instant now = clock.instant();
        Optional<RestoreGap> noticed = Optional.empty();
        long last = found == null ? 0 : found;
        if (ours) {
            if (found == null || found < kept.beat() || anyLost(kept.seen(), beats.of())) {
                noticed = lost(connection, instance, kept, now);
            }
            last = Math.max(last, kept.beat());
        }
        Map<String, Long> seen = new TreeMap<>(beats.of());
        seen.remove(instance);
        // The latest time this instance wrote a beat at (a clock set back since still counts what it stamped before),
        // and the latest another wrote one at, not later than this instance's time (a clock ahead counts for no more).
        Instant newest = ours ? kept.newest() : now;
        Instant read = beats.newest() != null && beats.newest().isAfter(now) ? now : beats.newest();
        Instant othersNewest = later(ours ? kept.othersNewest() : null, read);
        boolean due = wrote || owed || !now.isAfter(settlingUntil) || !ours || found == null || found != kept.beat();
        if (due) {
            long next = last + 1;
            if (write(connection, instance, found, next, now)) {
                if (!wrote) {
                    owed = false;
                }
                keep(database, instance, next, now, later(newest, now), seen, othersNewest);
                quiet = false;
            }
        } else {
            quiet = true;
            if (!seen.equals(kept.seen()) || !Objects.equals(othersNewest, kept.othersNewest())) {
                // The other instances' beats moved: kept, so that their loss is noticed here too.
                keep(database, instance, kept.beat(), kept.at(), newest, seen, othersNewest);
            }
        }
        return noticed;
    }

    private static Instant later(Instant one, Instant other) {
        return one == null || (other != null && other.isAfter(one)) ? other : one;
    }

    /** Whether a beat of another instance seen before (never this one's) is lower in the database now, or gone. */
    private static boolean anyLost(Map<String, Long> seen, Map<String, Long> now) {
        return seen.entrySet().stream()
                .anyMatch(beat -> !now.containsKey(beat.getKey()) || now.get(beat.getKey()) < beat.getValue());
    }

    private void keep(String database, String instance, long beat, Instant at, Instant newest, Map<String, Long> seen,
                      Instant othersNewest) throws IOException {
        JsonObjectBuilder others = Json.createObjectBuilder();
        seen.forEach(others::add);
        JsonObjectBuilder kept = Json.createObjectBuilder().add("database", database).add("instance", instance)
                .add("beat", beat).add("at", at.toString()).add("newest", newest.toString()).add("seen", others);
        if (othersNewest != null) {
            kept.add("othersNewest", othersNewest.toString());
        }
        Folders.writeString(file, kept.build() + "\n");
    }

    /**
     * Whether the last look wrote no beat and owed none: the instance had written nothing for {@link #SETTLING}. A
     * write then waits for a beat before it commits ({@link DataWrites}), as it would have found one a second old.
     */
    public boolean quiet() {
        return quiet;
    }

    /**
     * The database lost what was written after this instance's kept beat: writes the gap, from the newest beat the
     * database holds up to then (of any instance: it holds what was written before it) to now, unless a gap written
     * already covers that loss (another instance noticed the same restore first, or this one before a crash).
     */
    private Optional<RestoreGap> lost(Connection connection, String instance, Kept kept, Instant now)
            throws SQLException {
        // Up to the latest time the instance ever wrote a beat at (a clock set back since still counts what it stamped
        // before), or another instance did as far as it saw (one that is gone may have been the one that wrote).
        Instant upTo = later(kept.newest(), kept.othersNewest());
        // Both were written before the backup: the later of the two is the nearer to it.
        Instant from = later(newestBeatUpTo(connection, upTo).orElse(null),
                newestEntryUpTo(connection, upTo).orElse(null));
        if (from == null) {
            from = created(connection);
        }
        Instant to = now.isBefore(upTo) ? upTo : now;
        if (from.isAfter(to)) {
            from = to;
        }
        // One transaction, under the database identity's lock: the instances that notice the same restore at once
        // write one gap between them, and a gap is never written without the sessions it ends (a failure of either
        // writes neither, and the next look tries again).
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            lockIdentity(connection);
            if (covered(connection, from, upTo)) {
                connection.commit();
                return Optional.empty();
            }
            RestoreGap gap = new RestoreGap(from, to);
            RestoredSessions.writeGap(connection, gap, instance, now);
            // The log-outs and password changes written after the backup are lost with the rest: every session ends.
            RestoredSessions.endAll(connection, gap, "engine instance " + instance, now);
            connection.commit();
            return Optional.of(gap);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    /** Locks the database identity's row until the transaction ends: the instances' notices of a loss queue on it. */
    private static void lockIdentity(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM database_identity WHERE singleton = 1 FOR UPDATE");
             ResultSet row = select.executeQuery()) {
            row.next();
        }
    }

    /**
     * The gap the instances noticed last, together with those that overlap it (each instance of a cluster notices the
     * same restore on its own, at a slightly different moment); empty when none was ever noticed.
     */
    public static Optional<RestoreGap> newestGap(Connection connection) throws SQLException {
        List<RestoreGap> gaps = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT gap_from, gap_to FROM restore_gap");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                gaps.add(new RestoreGap(instant(rows.getTimestamp(1)), instant(rows.getTimestamp(2))));
            }
        }
        return RestoreGap.newest(gaps);
    }

    /** What the file keeps; null when there is no file, or one that cannot be read (it is written anew). */
    Kept kept() throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        try (JsonReader reader = Json.createReader(new StringReader(Files.readString(file, StandardCharsets.UTF_8)))) {
            JsonObject json = reader.readObject();
            Instant at = Instant.parse(json.getString("at"));
            Map<String, Long> seen = new TreeMap<>();
            if (json.containsKey("seen")) {
                json.getJsonObject("seen").forEach((other, beat) -> seen.put(other,
                        ((JsonNumber) beat).longValueExact()));
            }
            return new Kept(json.getString("database"), json.getString("instance"),
                    json.getJsonNumber("beat").longValueExact(), at,
                    json.containsKey("newest") ? Instant.parse(json.getString("newest")) : at, seen,
                    json.containsKey("othersNewest") ? Instant.parse(json.getString("othersNewest")) : null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String selectIdentity(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id FROM database_identity WHERE singleton = 1");
             ResultSet row = select.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        }
    }

    /** Every instance's beat in the database, and the latest time one was written at. */
    private static Beats beats(Connection connection) throws SQLException {
        Map<String, Long> of = new TreeMap<>();
        Instant newest = null;
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT instance_id, beat, beat_at FROM instance_heartbeat");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                of.put(rows.getString(1), rows.getLong(2));
                Instant at = instant(rows.getTimestamp(3));
                if (newest == null || at.isAfter(newest)) {
                    newest = at;
                }
            }
        }
        return new Beats(of, newest);
    }

    /**
     * Writes the beat over the one read ({@code found}; null: none, the row is made), so that a row changed meanwhile
     * (restored under the beat, or written by another process of the same folder) is left as it is and looked at
     * again at the next beat.
     *
     * @return whether it was written
     */
    private static boolean write(Connection connection, String instance, Long found, long beat, Instant at)
            throws SQLException {
        if (found == null) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO instance_heartbeat"
                    + " (instance_id, beat, beat_at) VALUES (?, ?, ?)")) {
                insert.setString(1, instance);
                insert.setLong(2, beat);
                insert.setTimestamp(3, InstantConverter.timestamp(at));
                insert.executeUpdate();
                commit(connection);
                return true;
            } catch (SQLException e) {
                rollback(connection);
                return false;
            }
        }
        try (PreparedStatement update = connection.prepareStatement("UPDATE instance_heartbeat SET beat = ?,"
                + " beat_at = ? WHERE instance_id = ? AND beat = ?")) {
            update.setLong(1, beat);
            update.setTimestamp(2, InstantConverter.timestamp(at));
            update.setString(3, instance);
            update.setLong(4, found);
            boolean written = update.executeUpdate() == 1;
            commit(connection);
            return written;
        }
    }

    /**
     * Whether a gap written already covers what was lost from {@code from} to {@code upTo}: the same restore,
     * noticed by another instance first (or by this one before a crash), which is told already. A later restore
     * ends after what that gap covers, and is written.
     */
    private static boolean covered(Connection connection, Instant from, Instant upTo) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT COUNT(*) FROM restore_gap WHERE gap_from <= ? AND gap_to >= ?")) {
            select.setTimestamp(1, InstantConverter.timestamp(from));
            select.setTimestamp(2, InstantConverter.timestamp(upTo));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        }
    }

    /**
     * The newest beat the database holds of any instance, up to {@code upTo}: it holds what was written before. An
     * instance idle before the backup beat long before it.
     */
    private static Optional<Instant> newestBeatUpTo(Connection connection, Instant upTo) throws SQLException {
        return newest(connection, "SELECT MAX(beat_at) FROM instance_heartbeat WHERE beat_at <= ?", upTo);
    }

    private static Optional<Instant> newestEntryUpTo(Connection connection, Instant upTo) {
        try {
            return newest(connection, "SELECT MAX(recorded_at) FROM ledger_entry WHERE recorded_at <= ?", upTo);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Instant> newest(Connection connection, String sql, Instant upTo) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setTimestamp(1, InstantConverter.timestamp(upTo));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                Timestamp newest = row.getTimestamp(1);
                return newest == null ? Optional.empty() : Optional.of(instant(newest));
            }
        }
    }

    private static Instant created(Connection connection) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT created_at FROM database_identity WHERE singleton = 1");
             ResultSet row = select.executeQuery()) {
            row.next();
            return instant(row.getTimestamp(1));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant instant(Timestamp utc) {
        return utc.toLocalDateTime().toInstant(ZoneOffset.UTC);
    }

    private static void commit(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
    }

    private static void rollback(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.rollback();
        }
    }
}
