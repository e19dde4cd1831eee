package org.loyaltyengine.engine.infrastructure.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.loyaltyengine.engine.domain.knowledge.RfmScoring;

/**
 * Reads what customer knowledge needs from the sales and writes the scores back, in plain JDBC: two grouped scans
 * of a programme's sales (one per member, one per member and category) and batched inserts, so that a programme of a
 * million members is recomputed in minutes. Used by the engine and, unchanged, by the synthetic-data benchmark.
 * Timestamps are stored in UTC ({@code InstantConverter}).
 */
public final class KnowledgeStore {

    /** The window of frequency, monetary value and favourite category, in days. */
    public static final int WINDOW_DAYS = 365;

    private static final int BATCH = 1_000;

    private KnowledgeStore() {
    }

    /**
     * Each member's purchases as of the end of a day: every active member of the programme who had joined or bought
     * by then (an imported member's history may start before the day they were enrolled here).
     */
    public static List<RfmScoring.Purchases> purchases(Connection connection, long programmeId, ZoneId zone,
                                                      LocalDate day) throws SQLException {
        Timestamp end = utc(day.plusDays(1), zone);
        Timestamp yearStart = utc(day.minusDays(WINDOW_DAYS), zone);
        Map<Long, Object[]> perMember = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT member_id, MIN(occurred_at),"
                + " MAX(occurred_at), COUNT(*), SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN occurred_at >= ? THEN total ELSE 0 END) FROM sale"
                + " WHERE programme_id = ? AND occurred_at < ? GROUP BY member_id")) {
            query.setTimestamp(1, yearStart);
            query.setTimestamp(2, yearStart);
            query.setLong(3, programmeId);
            query.setTimestamp(4, end);
            query.setFetchSize(10_000);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    perMember.put(rows.getLong(1), new Object[] {localDate(rows.getTimestamp(2), zone),
                            localDate(rows.getTimestamp(3), zone), rows.getLong(4), rows.getLong(5),
                            rows.getBigDecimal(6)});
                }
            }
        }
        Map<Long, String> favourite = new HashMap<>();
        Map<Long, BigDecimal> favouriteSpend = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT s.member_id, l.category,"
                + " SUM(l.unit_price * l.quantity) FROM sale s JOIN sale_line l ON l.sale_id = s.id"
                + " WHERE s.programme_id = ? AND s.occurred_at >= ? AND s.occurred_at < ?"
                + " GROUP BY s.member_id, l.category")) {
            query.setLong(1, programmeId);
            query.setTimestamp(2, yearStart);
            query.setTimestamp(3, end);
            query.setFetchSize(10_000);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long member = rows.getLong(1);
                    String category = rows.getString(2);
                    BigDecimal spent = rows.getBigDecimal(3);
                    BigDecimal best = favouriteSpend.get(member);
                    // The highest spend; between equal spends, the first category in alphabetical order.
                    int compared = best == null ? 1 : spent.compareTo(best);
                    if (compared > 0 || compared == 0 && category.compareTo(favourite.get(member)) < 0) {
                        favouriteSpend.put(member, spent);
                        favourite.put(member, category);
                    }
                }
            }
        }
        List<RfmScoring.Purchases> purchases = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT id, joined_on FROM member"
                + " WHERE programme_id = ? AND status = 'ACTIVE' ORDER BY id")) {
            query.setLong(1, programmeId);
            query.setFetchSize(10_000);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    Object[] all = perMember.get(id);
                    if (all == null && rows.getDate(2).toLocalDate().isAfter(day)) {
                        continue;
                    }
                    purchases.add(all == null
                            ? new RfmScoring.Purchases(id, null, null, 0, 0, BigDecimal.ZERO, null)
                            : new RfmScoring.Purchases(id, (LocalDate) all[0], (LocalDate) all[1], (Long) all[2],
                                    (Long) all[3], (BigDecimal) all[4], favourite.get(id)));
                }
            }
        }
        return purchases;
    }

    /** Replaces the programme's scores with these, in the caller's transaction. */
    public static void save(Connection connection, long programmeId, List<RfmScoring.Score> scores, LocalDate day)
            throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM member_score WHERE member_id IN"
                + " (SELECT id FROM member WHERE programme_id = ?)")) {
            delete.setLong(1, programmeId);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO member_score (member_id,"
                + " computed_on, recency_days, frequency, monetary, recency_score, frequency_score, monetary_score,"
                + " segment, average_basket, attrition_risk, favourite_category, purchases)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int pending = 0;
            Date computedOn = Date.valueOf(day);
            for (RfmScoring.Score score : scores) {
                insert.setLong(1, score.memberId());
                insert.setDate(2, computedOn);
                if (score.recencyDays() == null) {
                    insert.setNull(3, Types.INTEGER);
                } else {
                    insert.setInt(3, score.recencyDays());
                }
                insert.setInt(4, (int) score.frequency());
                insert.setBigDecimal(5, score.monetary());
                insert.setShort(6, (short) score.recencyScore());
                insert.setShort(7, (short) score.frequencyScore());
                insert.setShort(8, (short) score.monetaryScore());
                insert.setString(9, score.segment());
                insert.setBigDecimal(10, score.averageBasket());
                insert.setBigDecimal(11, score.attritionRisk());
                insert.setString(12, score.favouriteCategory());
                insert.setInt(13, (int) Math.min(Integer.MAX_VALUE, score.purchases()));
                insert.addBatch();
                if (++pending == BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    private static Timestamp utc(LocalDate day, ZoneId zone) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(day.atStartOfDay(zone).toInstant(), ZoneOffset.UTC));
    }

    private static LocalDate localDate(Timestamp utc, ZoneId zone) {
        return utc.toLocalDateTime().toInstant(ZoneOffset.UTC).atZone(zone).toLocalDate();
    }
}
