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
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.loyaltyengine.engine.domain.knowledge.PurchaseTable;
import org.loyaltyengine.engine.domain.knowledge.RfmScoring;
import org.loyaltyengine.engine.domain.knowledge.ScoreTable;
import org.loyaltyengine.engine.domain.sale.SaleLines;

/**
 * Reads what customer knowledge needs from the sales and writes the scores back, in plain JDBC: two scans of a
 * programme's sales (sums per member, spend per member and category) and batched updates and inserts, so that a
 * programme of a million members is recomputed in minutes. Used by the engine and, unchanged, by the
 * synthetic-data benchmark. Timestamps are stored in UTC ({@code InstantConverter}).
 */
public final class KnowledgeStore {

    /** The window of frequency, monetary value and favourite category, in days. */
    public static final int WINDOW_DAYS = RfmScoring.WINDOW_DAYS;

    /** How many members' scores the engine saves per transaction ({@link #save}). */
    public static final int CHUNK = 1_000;

    private static final String INSERT = "INSERT INTO member_score (computed_on, recency_days, frequency, monetary,"
            + " recency_score, frequency_score, monetary_score, segment, average_basket, attrition_risk,"
            + " favourite_category, purchases, member_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private KnowledgeStore() {
    }

    /**
     * Each member's purchases as of the end of a day: every active member of the programme who had joined or bought
     * by then (an imported member's history may start before the day they were enrolled here). The members are read
     * first, in order, into a {@link PurchaseTable}; the sums of their sales are then written into it as the
     * database gives them, so that nothing per member is held twice (a million members in about 100 MB).
     */
    public static PurchaseTable purchases(Connection connection, long programmeId, ZoneId zone, LocalDate day)
            throws SQLException {
        Timestamp end = utc(day.plusDays(1), zone);
        Timestamp yearStart = utc(day.minusDays(WINDOW_DAYS - 1), zone);
        Members members = activeMembers(connection, programmeId, day);
        PurchaseTable table = new PurchaseTable(members.ids());
        for (int member = 0; member < members.ids().length; member++) {
            table.joined(member, members.joined()[member]);
        }
        Map<Long, Long> survivors = survivors(connection, programmeId);
        addSales(connection, programmeId, yearStart, end, zone, table, survivors);
        addFavourites(connection, programmeId, yearStart, end, table, survivors);
        int dayNumber = (int) day.toEpochDay();
        table.retain(member -> table.bought(member) || members.joined()[member] <= dayNumber);
        return table;
    }

    /**
     * The programme's members on the day in increasing order, and the (epoch) day each joined: those active, and
     * those who closed their account after the day (a member until then; gone on the day they closed it).
     */
    private record Members(long[] ids, int[] joined) {
    }

    private static Members activeMembers(Connection connection, long programmeId, LocalDate day)
            throws SQLException {
        long[] ids = new long[1024];
        int[] joined = new int[1024];
        int count = 0;
        try (PreparedStatement query = connection.prepareStatement("SELECT id, joined_on FROM member"
                + " WHERE programme_id = ? AND (status = 'ACTIVE' OR (status = 'CLOSED' AND closed_on > ?))"
                + " ORDER BY id")) {
            query.setLong(1, programmeId);
            query.setDate(2, java.sql.Date.valueOf(day));
            query.setFetchSize(10_000);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (count == ids.length) {
                        ids = Arrays.copyOf(ids, count + count / 2);
                        joined = Arrays.copyOf(joined, ids.length);
                    }
                    ids[count] = rows.getLong(1);
                    joined[count++] = (int) rows.getDate(2).toLocalDate().toEpochDay();
                }
            }
        }
        return new Members(Arrays.copyOf(ids, count), joined);
    }

    /**
     * Each account merged into another, and the member it ended in (through any duplicates merged in turn): their
     * purchases are that member's. Merges are few, and read whole.
     */
    private static Map<Long, Long> survivors(Connection connection, long programmeId) throws SQLException {
        Map<Long, Long> into = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT id, merged_into FROM member"
                + " WHERE programme_id = ? AND merged_into IS NOT NULL")) {
            query.setLong(1, programmeId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    into.put(rows.getLong(1), rows.getLong(2));
                }
            }
        }
        Map<Long, Long> survivors = new HashMap<>();
        for (Long account : into.keySet()) {
            long survivor = into.get(account);
            for (int step = 0; into.containsKey(survivor) && step < into.size(); step++) {
                survivor = into.get(survivor);
            }
            survivors.put(account, survivor);
        }
        return survivors;
    }

    /**
     * Each member's purchases, all time and over the year, summed by the database: what the customer kept of
     * them (a sale whose goods all came back is no purchase, and spend is net of what came back), the sales of the
     * accounts merged into the member added to theirs.
     */
    private static void addSales(Connection connection, long programmeId, Timestamp yearStart, Timestamp end,
                                 ZoneId zone, PurchaseTable table, Map<Long, Long> survivors) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT member_id, MIN(occurred_at),"
                + " MAX(occurred_at), COUNT(*), SUM(CASE WHEN occurred_at >= ? THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN occurred_at >= ? THEN total - returned_value ELSE 0 END) FROM sale"
                + " WHERE programme_id = ? AND occurred_at < ? AND (returned_value < total OR returned_value = 0)"
                + " GROUP BY member_id")) {
            query.setTimestamp(1, yearStart);
            query.setTimestamp(2, yearStart);
            query.setLong(3, programmeId);
            query.setTimestamp(4, end);
            query.setFetchSize(10_000);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long account = rows.getLong(1);
                    int member = table.indexOf(survivors.getOrDefault(account, account));
                    if (member >= 0) {
                        table.addPurchases(member, localDate(rows.getTimestamp(2), zone),
                                localDate(rows.getTimestamp(3), zone), rows.getLong(4), rows.getLong(5),
                                rows.getBigDecimal(6));
                    }
                }
            }
        }
    }

    /**
     * Each member's favourite category over the year: the highest spend kept (less what came back), the first by
     * name between equals. A sale's lines are one JSON value of its row ({@link SaleLinesColumn}): PostgreSQL sums
     * them by member and category itself; on Derby, which cannot read JSON, the sales come in member order and
     * each member's are summed here. The spend of an account merged into another, and of the member it went
     * into, arrives in more than one part: it is summed apart (merges are few) and weighed once whole.
     */
    private static void addFavourites(Connection connection, long programmeId, Timestamp yearStart, Timestamp end,
                                      PurchaseTable table, Map<Long, Long> survivors) throws SQLException {
        Favourites favourites = new Favourites(table.size());
        Set<Long> apart = new HashSet<>(survivors.keySet());
        apart.addAll(survivors.values());
        Map<Integer, Map<String, BigDecimal>> spentApart = new HashMap<>();
        boolean postgresql = DatabaseMigration.isPostgresql(connection);
        Map<Long, Map<String, Long>> returned = postgresql ? Map.of()
                : returnedQuantities(connection, programmeId, yearStart, end);
        String window = " s.programme_id = ? AND s.occurred_at >= ? AND s.occurred_at < ?";
        try (PreparedStatement query = connection.prepareStatement(postgresql
                ? "SELECT member_id, category, SUM(kept) FROM ("
                        // jsonb: parsed once per sale; each ->> on json would parse the line again (85 s against
                        // 58 s for the year of 16 million sales of benchmarks/knowledge.sh).
                        + "SELECT s.member_id, l.line ->> 'category' AS category,"
                        + " (l.line ->> 'unitPrice')::numeric * (l.line ->> 'quantity')::int AS kept FROM sale s"
                        + " CROSS JOIN LATERAL jsonb_array_elements(s.receipt_lines::jsonb) AS l(line)"
                        + " WHERE" + window + " AND s.returned_value = 0"
                        // A sale with goods back (few): each SKU's lines keep the share not brought back.
                        + " UNION ALL SELECT member_id, category, CASE WHEN back IS NULL THEN value"
                        + " ELSE ROUND(value * (bought - LEAST(back, bought)) / bought, 4) END FROM ("
                        + "SELECT s.member_id, l.line ->> 'category' AS category,"
                        + " (l.line ->> 'unitPrice')::numeric * (l.line ->> 'quantity')::int AS value,"
                        + " SUM((l.line ->> 'quantity')::int) OVER (PARTITION BY s.id, l.line ->> 'sku') AS bought,"
                        + " b.back FROM sale s"
                        + " CROSS JOIN LATERAL jsonb_array_elements(s.receipt_lines::jsonb) AS l(line)"
                        + " LEFT OUTER JOIN (SELECT r.sale_id, rl.sku, SUM(rl.quantity) AS back FROM sale_return r"
                        + " JOIN sale_return_line rl ON rl.sale_return_id = r.id GROUP BY r.sale_id, rl.sku) b"
                        + " ON b.sale_id = s.id AND b.sku = l.line ->> 'sku'"
                        + " WHERE" + window + " AND s.returned_value > 0) returned) spend"
                        + " GROUP BY member_id, category"
                : "SELECT s.member_id, s.id, s.receipt_lines FROM sale s WHERE" + window
                        + " ORDER BY s.member_id")) {
            int position = 1;
            for (int part = 0; part < (postgresql ? 2 : 1); part++) {
                query.setLong(position++, programmeId);
                query.setTimestamp(position++, yearStart);
                query.setTimestamp(position++, end);
            }
            query.setFetchSize(10_000);
            try (ResultSet rows = query.executeQuery()) {
                if (postgresql) {
                    while (rows.next()) {
                        long account = rows.getLong(1);
                        if (apart.contains(account)) {
                            spentApart.computeIfAbsent(table.indexOf(survivors.getOrDefault(account, account)),
                                    member -> new HashMap<>()).merge(rows.getString(2), rows.getBigDecimal(3),
                                    BigDecimal::add);
                        } else {
                            favourites.consider(table.indexOf(account), rows.getString(2), rows.getBigDecimal(3));
                        }
                    }
                } else {
                    sumInJava(rows, table, favourites, returned, survivors, apart, spentApart);
                }
            }
        }
        spentApart.forEach(favourites::considerAll);
        favourites.into(table);
    }

    /** How many of each SKU came back, for each sale of the window that had goods brought back. */
    private static Map<Long, Map<String, Long>> returnedQuantities(Connection connection, long programmeId,
                                                                   Timestamp yearStart, Timestamp end)
            throws SQLException {
        Map<Long, Map<String, Long>> returned = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT s.id, rl.sku, SUM(rl.quantity)"
                + " FROM sale s JOIN sale_return r ON r.sale_id = s.id"
                + " JOIN sale_return_line rl ON rl.sale_return_id = r.id"
                + " WHERE s.programme_id = ? AND s.occurred_at >= ? AND s.occurred_at < ? AND s.returned_value > 0"
                + " GROUP BY s.id, rl.sku")) {
            query.setLong(1, programmeId);
            query.setTimestamp(2, yearStart);
            query.setTimestamp(3, end);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    returned.computeIfAbsent(rows.getLong(1), sale -> new HashMap<>())
                            .put(rows.getString(2), rows.getLong(3));
                }
            }
        }
        return returned;
    }

    /**
     * Sums each member's spend kept per category from the sales' lines, the member's sales coming one after
     * another (those of merged accounts and the members they went into are summed apart).
     */
    private static void sumInJava(ResultSet rows, PurchaseTable table, Favourites favourites,
                                  Map<Long, Map<String, Long>> returned, Map<Long, Long> survivors, Set<Long> apart,
                                  Map<Integer, Map<String, BigDecimal>> spentApart) throws SQLException {
        Map<String, BigDecimal> spend = new HashMap<>();
        long member = -1;
        while (rows.next()) {
            long account = rows.getLong(1);
            if (account != member) {
                favourites.considerAll(table.indexOf(member), spend);
                member = account;
            }
            SaleLines lines = new SaleLines(SaleLinesColumn.read(rows.getString(3)));
            Map<String, BigDecimal> kept = lines.keptPerCategory(returned.getOrDefault(rows.getLong(2), Map.of()));
            Map<String, BigDecimal> into = apart.contains(account) ? spentApart.computeIfAbsent(
                    table.indexOf(survivors.getOrDefault(account, account)), index -> new HashMap<>()) : spend;
            kept.forEach((category, value) -> into.merge(category, value, BigDecimal::add));
        }
        favourites.considerAll(table.indexOf(member), spend);
    }

    /** The highest spend and its category per member, in the table's member order. */
    private static final class Favourites {

        private final BigDecimal[] spend;
        private final String[] category;
        /** One string per category name, not one per member. */
        private final Map<String, String> names = new HashMap<>();

        Favourites(int members) {
            spend = new BigDecimal[members];
            category = new String[members];
        }

        void considerAll(int member, Map<String, BigDecimal> spent) {
            spent.forEach((name, amount) -> consider(member, name, amount));
            spent.clear();
        }

        void consider(int member, String name, BigDecimal spent) {
            if (member < 0 || spent.signum() <= 0) {
                return;
            }
            BigDecimal best = spend[member];
            int compared = best == null ? 1 : spent.compareTo(best);
            if (compared > 0 || compared == 0 && name.compareTo(category[member]) < 0) {
                spend[member] = spent;
                category[member] = names.computeIfAbsent(name, same -> same);
            }
        }

        void into(PurchaseTable table) {
            for (int i = 0; i < category.length; i++) {
                table.favourite(i, category[i]);
            }
        }
    }

    /**
     * The programme's members (whatever their status) who have no score in {@code scores}: their scores, if any, are
     * out of date ({@link #remove}).
     */
    public static List<Long> unscored(Connection connection, long programmeId, List<RfmScoring.Score> scores)
            throws SQLException {
        long[] scored = new long[scores.size()];
        for (int i = 0; i < scored.length; i++) {
            scored[i] = scores instanceof ScoreTable table ? table.memberId(i) : scores.get(i).memberId();
        }
        Arrays.sort(scored);
        List<Long> unscored = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT id FROM member WHERE programme_id = ?")) {
            query.setLong(1, programmeId);
            query.setFetchSize(10_000);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    if (Arrays.binarySearch(scored, rows.getLong(1)) < 0) {
                        unscored.add(rows.getLong(1));
                    }
                }
            }
        }
        return unscored;
    }

    /**
     * Saves these members' scores in place of the ones they had, in the caller's transaction, which then holds
     * these members' rows of {@code member_score} and nothing else: a sale of one of them waits for that
     * transaction's commit, a sale of anyone else does not. The engine saves a programme's scores {@link #CHUNK}
     * members per transaction (a sale waits milliseconds), not all in one (a sale waited for the whole save, and on
     * Derby, whose row locks turn into a table's past a few thousand, every sale did). Members who are not scored any
     * longer lose their scores through {@link #remove}.
     */
    public static void save(Connection connection, List<RfmScoring.Score> scores, LocalDate day)
            throws SQLException {
        if (scores.isEmpty()) {
            return;
        }
        Date computedOn = Date.valueOf(day);
        if (DatabaseMigration.isPostgresql(connection)) {
            // One statement per member whether it had a score or not. An update first would be planned on the
            // table's statistics, and on a table that was empty when last analysed (a programme's first
            // recomputation) PostgreSQL scanned the whole table for each member: hours for a million members.
            try (PreparedStatement upsert = connection.prepareStatement(INSERT + " ON CONFLICT (member_id) DO UPDATE"
                    + " SET computed_on = EXCLUDED.computed_on, recency_days = EXCLUDED.recency_days,"
                    + " frequency = EXCLUDED.frequency, monetary = EXCLUDED.monetary,"
                    + " recency_score = EXCLUDED.recency_score, frequency_score = EXCLUDED.frequency_score,"
                    + " monetary_score = EXCLUDED.monetary_score, segment = EXCLUDED.segment,"
                    + " average_basket = EXCLUDED.average_basket, attrition_risk = EXCLUDED.attrition_risk,"
                    + " favourite_category = EXCLUDED.favourite_category, purchases = EXCLUDED.purchases")) {
                addAll(upsert, scores, computedOn);
            }
            return;
        }
        // Derby has no upsert in one statement: the members who had a score get it updated, the others inserted.
        List<RfmScoring.Score> fresh = new ArrayList<>();
        try (PreparedStatement update = connection.prepareStatement("UPDATE member_score SET computed_on = ?,"
                + " recency_days = ?, frequency = ?, monetary = ?, recency_score = ?, frequency_score = ?,"
                + " monetary_score = ?, segment = ?, average_basket = ?, attrition_risk = ?, favourite_category = ?,"
                + " purchases = ? WHERE member_id = ?")) {
            int[] updated = addAll(update, scores, computedOn);
            for (int i = 0; i < updated.length; i++) {
                if (updated[i] < 0) {
                    throw new SQLException("The driver did not count the scores updated (" + updated[i] + ")");
                }
                if (updated[i] == 0) {
                    fresh.add(scores.get(i));
                }
            }
        }
        if (!fresh.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                addAll(insert, fresh, computedOn);
            }
        }
    }

    /** Runs the statement once per score, in one batch: the score's columns, then its member. */
    private static int[] addAll(PreparedStatement statement, List<RfmScoring.Score> scores, Date computedOn)
            throws SQLException {
        for (RfmScoring.Score score : scores) {
            bind(statement, 1, computedOn, score);
            statement.setLong(13, score.memberId());
            statement.addBatch();
        }
        return statement.executeBatch();
    }

    /** The list in consecutive chunks of {@link #CHUNK} (views of it), as the engine saves them. */
    public static <T> List<List<T>> chunks(List<T> all) {
        List<List<T>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
        return chunks;
    }

    /** Binds a score's columns, from {@code computed_on} to {@code purchases}, from the given position on. */
    private static void bind(PreparedStatement statement, int first, Date computedOn, RfmScoring.Score score)
            throws SQLException {
        int position = first;
        statement.setDate(position++, computedOn);
        if (score.recencyDays() == null) {
            statement.setNull(position++, Types.INTEGER);
        } else {
            statement.setInt(position++, score.recencyDays());
        }
        statement.setInt(position++, (int) score.frequency());
        statement.setBigDecimal(position++, score.monetary());
        statement.setShort(position++, (short) score.recencyScore());
        statement.setShort(position++, (short) score.frequencyScore());
        statement.setShort(position++, (short) score.monetaryScore());
        statement.setString(position++, score.segment());
        statement.setBigDecimal(position++, score.averageBasket());
        statement.setBigDecimal(position++, score.attritionRisk());
        statement.setString(position++, score.favouriteCategory());
        statement.setInt(position, (int) Math.min(Integer.MAX_VALUE, score.purchases()));
    }

    /** Removes these members' scores (members no longer scored: {@link #unscored}), in the caller's transaction. */
    public static void remove(Connection connection, List<Long> memberIds) throws SQLException {
        if (memberIds.isEmpty()) {
            return;
        }
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM member_score WHERE member_id = ?")) {
            for (Long id : memberIds) {
                delete.setLong(1, id);
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    private static Timestamp utc(LocalDate day, ZoneId zone) {
        // As InstantConverter.timestamp, written out here: the benchmarks run this class without the JPA API.
        return Timestamp.valueOf(LocalDateTime.ofInstant(day.atStartOfDay(zone).toInstant(), ZoneOffset.UTC));
    }

    private static LocalDate localDate(Timestamp utc, ZoneId zone) {
        return utc.toLocalDateTime().toInstant(ZoneOffset.UTC).atZone(zone).toLocalDate();
    }
}
