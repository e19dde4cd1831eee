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
import java.util.Optional;
import java.util.UUID;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import org.loyaltyengine.engine.infrastructure.config.Folders;

/**
 * How an instance of the engine notices by itself that its database went back in time: restored from a backup with
 * PostgreSQL's own tools, or an embedded Derby folder copied back by hand. Every beat (a second apart) the instance
 * writes a number one higher than the last into its row of the database ({@code instance_heartbeat}), then into a
 * file of its own data folder ({@value #FILE}), with the database's identity ({@code database_identity}, made once,
 * kept by every backup and restore of the database, new in a new one). An instance that finds its row lower than its
 * file, or gone, in the database its file names, knows that the database lost what was written after the row's
 * beat: it writes the time in which what the tills sent may be lost ({@code restore_gap}: from the newest beat the
 * database still holds, of any instance, to the moment it noticed), and every instance tells the tills
 * ({@link RestoreGap}), which send again what the engine recorded for them in it. A new database, a data folder
 * without the file, or a file of another database notice nothing.
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
     * latest time any beat of the instance was written at ({@code newest}: the same, unless the clock went back since).
     */
    record Kept(String database, String instance, long beat, Instant at, Instant newest) {
    }

    /**
     * How long an instance waits for the beats of a database restored under it, whose table of beats is there but
     * empty, before it takes it for a database restored to a moment before any beat.
     */
    static final Duration PATIENCE_WITH_NO_BEATS = Duration.ofMinutes(1);

    private final Path file;
    private final Clock clock;
    private Instant noBeatsSince;

    public DatabaseHeartbeat(Path dataFolder, Clock clock) {
        this.file = dataFolder.resolve(FILE);
        this.clock = clock;
    }

    /**
     * One beat: notices whether the database lost beats of this instance, then writes the next.
     *
     * @param connection in auto-commit, or committed here after each write
     * @return the gap noticed now; empty when the database lost nothing, or another instance noticed it first
     */
    public Optional<RestoreGap> beat(Connection connection) throws SQLException, IOException {
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
        Long found = beatOf(connection, instance);
        if (ours && found == null && noBeats(connection)) {
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
            if (found == null || found < kept.beat()) {
                noticed = lost(connection, instance, kept, now);
            }
            last = Math.max(last, kept.beat());
        }
        long next = last + 1;
        if (write(connection, instance, found, next, now)) {
            Instant newest = ours && kept.newest().isAfter(now) ? kept.newest() : now;
            Folders.writeString(file, Json.createObjectBuilder().add("database", database).add("instance", instance)
                    .add("beat", next).add("at", now.toString()).add("newest", newest.toString()).build() + "\n");
        }
        return noticed;
    }

    /**
     * The database lost what was written after this instance's kept beat: writes the gap, from the newest beat the
     * database holds up to then (of any instance: it holds what was written before it) to now, unless a gap written
     * already covers that loss (another instance noticed the same restore first, or this one before a crash).
     */
    private Optional<RestoreGap> lost(Connection connection, String instance, Kept kept, Instant now)
            throws SQLException {
        // Up to the latest time the instance ever wrote a beat at: a clock set back since still counts what it
        // stamped before.
        Instant upTo = kept.newest();
        Instant from = newestBeatUpTo(connection, upTo)
                .or(() -> newestEntryUpTo(connection, upTo))
                .orElseGet(() -> created(connection));
        Instant to = now.isBefore(upTo) ? upTo : now;
        if (from.isAfter(to)) {
            from = to;
        }
        if (covered(connection, from, upTo)) {
            return Optional.empty();
        }
        RestoreGap gap = new RestoreGap(from, to);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO restore_gap (noticed_by,"
                + " noticed_at, gap_from, gap_to) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, instance);
            insert.setTimestamp(2, InstantConverter.timestamp(now));
            insert.setTimestamp(3, InstantConverter.timestamp(gap.from()));
            insert.setTimestamp(4, InstantConverter.timestamp(gap.to()));
            insert.executeUpdate();
        }
        commit(connection);
        return Optional.of(gap);
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
            return new Kept(json.getString("database"), json.getString("instance"),
                    json.getJsonNumber("beat").longValueExact(), at,
                    json.containsKey("newest") ? Instant.parse(json.getString("newest")) : at);
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

    private static Long beatOf(Connection connection, String instance) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT beat FROM instance_heartbeat WHERE instance_id = ?")) {
            select.setString(1, instance);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
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

    private static boolean noBeats(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM instance_heartbeat");
             ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1) == 0;
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

    /** The newest beat the database holds of any instance, up to {@code upTo}: it holds what was written before. */
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
