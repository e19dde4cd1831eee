package org.loyaltyengine.engine.infrastructure.persistence;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Ends every session after a restore that lost what was written after its backup. Sessions are signed tokens that
 * carry their account's session stamp; the database keeps what ended them (a log-out in {@code ended_session}, a
 * changed password or a closed account as a new stamp). A restore to an earlier moment forgets the endings written
 * after it, so a session logged out of, or a stolen one its owner ended by changing the password, would work again.
 * Every account is given a new stamp instead: each person signs in again, once. A restore that replays the whole
 * transaction log loses nothing, and keeps everyone signed in. The loss itself ({@code restore_gap}) is written in the
 * same transaction, by whoever ends them: {@code restore-engine.sh}, or the instance that noticed the restore.
 * Plain JDBC: {@code restore-engine.sh} runs without JPA.
 */
public final class RestoredSessions {

    /** The audit trail's action. */
    public static final String ACTION = "SESSIONS_ENDED";

    private static final SecureRandom RANDOM = new SecureRandom();

    private RestoredSessions() {
    }

    /**
     * Writes what a restore lost into the database ({@code restore_gap}), in the connection's transaction (the caller
     * commits): every instance tells it to the tills, and a later notice of the same loss finds it covered.
     *
     * @param by who noticed the loss (an instance, or {@code restore-engine.sh})
     */
    public static void writeGap(Connection connection, RestoreGap gap, String by, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO restore_gap (noticed_by,"
                + " noticed_at, gap_from, gap_to) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, by);
            insert.setTimestamp(2, utc(now));
            insert.setTimestamp(3, utc(gap.from()));
            insert.setTimestamp(4, utc(gap.to()));
            insert.executeUpdate();
        }
    }

    /**
     * Gives every account a new session stamp and records why, in the connection's transaction (the caller commits).
     *
     * @param gap what the restore lost: its audit record names it
     * @param by who ends them (the instance that noticed the restore, or {@code restore-engine.sh})
     * @return how many accounts' sessions were ended
     */
    public static int endAll(Connection connection, RestoreGap gap, String by, Instant now) throws SQLException {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        // One stamp for all: a token is signed with its account's stamp, so no token signed before matches it, and
        // one statement renews a million accounts. The next change of a password gives its account one of its own.
        String stamp = Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
        int accounts;
        try (PreparedStatement update = connection.prepareStatement("UPDATE account SET session_stamp = ?")) {
            update.setString(1, stamp);
            accounts = update.executeUpdate();
        }
        try (PreparedStatement audit = connection.prepareStatement("INSERT INTO audit_event (occurred_at, actor,"
                + " action, programme_code, subject, detail) VALUES (?, ?, ?, NULL, ?, ?)")) {
            audit.setTimestamp(1, utc(now));
            audit.setString(2, by.length() > 254 ? by.substring(0, 254) : by);
            audit.setString(3, ACTION);
            audit.setString(4, "restore");
            audit.setString(5, "The database was restored to an earlier moment; what was recorded from " + gap.from()
                    + " to " + gap.to() + " may be lost, log-outs and password changes with it: every session signed"
                    + " in before " + gap.to() + " is ended (" + accounts + (accounts == 1 ? " account" : " accounts")
                    + "), and each person signs in again");
            audit.executeUpdate();
        }
        return accounts;
    }

    /** As InstantConverter stores an instant (UTC wall-clock time), without JPA: restore-engine.sh runs without it. */
    private static Timestamp utc(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
