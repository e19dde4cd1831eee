package org.loyaltyengine.benchmarks.data;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.loyaltyengine.engine.domain.IdBlocks;
import org.loyaltyengine.engine.domain.sale.SaleLine;
import org.loyaltyengine.engine.infrastructure.persistence.DatabaseMigration;
import org.loyaltyengine.engine.infrastructure.persistence.SaleLinesColumn;
import org.loyaltyengine.engine.infrastructure.persistence.V12__Id_blocks_for_the_sale_path;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Generates a programme with realistic synthetic members and purchases, straight into a database migrated with the
 * engine's own migrations: PostgreSQL through COPY, Derby through batched inserts.
 *
 * <p>Realistic means: purchases per member follow a Pareto law (a few members buy very often, most rarely), each
 * member buys between the day they joined (up to two years ago) and the day they stopped (a quarter of them
 * stopped), baskets hold one to four lines of a member-specific favourite category half of the time, unit prices
 * are log-normal around 8 EUR. Every member has a card. Everything follows from the seed: the same options give the
 * same data.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.loyaltyengine.benchmarks.data.SyntheticData \
 *     --url jdbc:postgresql://127.0.0.1:5432/loyalty_bench --user postgres --fresh \
 *     --members 1000000 --sales 20000000
 * java -cp benchmarks/target/benchmarks.jar org.loyaltyengine.benchmarks.data.SyntheticData \
 *     --url "jdbc:derby:/tmp/bench-generated/database;create=true" --members 100000 --sales 1000000
 * </pre>
 *
 * <p>For Derby, the URL names the {@code database} folder inside the engine's data folder
 * ({@code LOYALTY_DATA_DIR}); the engine must not be running on it while the data are generated.
 */
public final class SyntheticData {

    static final String[] CATEGORIES = {"grocery", "fresh", "bakery", "dairy", "drinks", "wine", "coffee",
            "household", "beauty", "baby", "pets", "frozen"};

    private final Connection connection;
    private final boolean postgres;
    private final long members;
    private final long sales;
    private final long seed;
    private final LocalDate today;
    private final String code;
    private String url;
    private String user;
    private String password;

    private SyntheticData(Connection connection, long members, long sales, long seed, LocalDate today, String code)
            throws SQLException {
        this.connection = connection;
        this.postgres = DatabaseMigration.isPostgresql(connection);
        this.members = members;
        this.sales = sales;
        this.seed = seed;
        this.today = today;
        this.code = code;
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        String url = options.get("url", "jdbc:postgresql://127.0.0.1:5432/loyalty_bench");
        // The engine opens its embedded Derby without a user name, so its tables are in schema APP; Derby puts
        // a user's tables in the schema of the user's name, where the engine would not see them.
        String user = options.get("user", url.startsWith("jdbc:derby:") ? "APP" : "postgres");
        String password = options.get("password", "");
        if (options.has("fresh") && url.startsWith("jdbc:postgresql:")) {
            recreatePostgresDatabase(url, user, password);
        }
        long started = System.nanoTime();
        DatabaseMigration.flyway(SyntheticData.class.getClassLoader(), url.startsWith("jdbc:postgresql:"))
                .dataSource(url, user, password)
                .load()
                .migrate();
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.setAutoCommit(false);
            SyntheticData data = new SyntheticData(connection, options.getLong("members", 1_000_000),
                    options.getLong("sales", 20_000_000), options.getLong("seed", 42),
                    LocalDate.parse(options.get("today", LocalDate.now(ZoneOffset.UTC).toString())),
                    options.get("programme", "BENCH"));
            data.url = url;
            data.user = user;
            data.password = password;
            data.generate();
        }
        System.out.printf("Generated in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** Drops and creates the database the URL names, connecting to the server's "postgres" database. */
    static void recreatePostgresDatabase(String url, String user, String password) throws SQLException {
        int slash = url.lastIndexOf('/');
        String name = url.substring(slash + 1).replaceAll("\\?.*", "");
        if (!name.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Database name " + name + " is not a plain identifier");
        }
        try (Connection admin = DriverManager.getConnection(url.substring(0, slash + 1) + "postgres", user, password);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
            statement.execute("CREATE DATABASE " + name);
        }
    }

    void generate() throws SQLException {
        long programmeId = programme();
        long firstMember = next("member");
        long firstSale = next("sale");
        long firstCard = next("card");
        int[] counts = purchasesPerMember();
        long t0 = System.nanoTime();
        try (Rows rows = rows("member", "id, public_id, programme_id, email, email_key, first_name, last_name,"
                + " first_folded, last_folded, birth_date, joined_on, tier_code, tier_since, version, status,"
                + " points_owed, consent_email", 17)) {
            for (int m = 0; m < members; m++) {
                Member member = member(m);
                rows.add(firstMember + m, "m-bench" + m, programmeId, "member" + m + "@bench.example",
                        "member" + m + "@bench.example", member.firstName, "Bench",
                        member.firstName.toLowerCase(java.util.Locale.ROOT), "bench", member.birthDate,
                        today.minusDays(member.joinedDaysAgo),
                        "BRONZE", at(today.minusDays(member.joinedDaysAgo)), 0, "ACTIVE", 0, m % 3 == 0 ? 1 : 0);
            }
        }
        try (Rows rows = rows("card", "id, card_number, member_id, status, issued_at", 5)) {
            for (int m = 0; m < members; m++) {
                Member member = member(m);
                rows.add(firstCard + m, cardNumber(m), firstMember + m, "ACTIVE",
                        at(today.minusDays(member.joinedDaysAgo)));
            }
        }
        System.out.printf("%,d members and cards in %.1f s%n", members, (System.nanoTime() - t0) / 1e9);
        connection.commit();
        t0 = System.nanoTime();
        // Sales (with their lines), ledger entries and lots are written at once on three connections; without the
        // indexes and foreign keys, which are put back afterwards in one pass each (the way bulk loads are done).
        List<String> putBack = postgres ? dropIndexesAndForeignKeys(List.of("sale", "ledger_entry", "points_lot"))
                : List.of();
        long firstEntry = next("ledger_entry");
        long firstLot = next("points_lot");
        long[] written = new long[4];
        List<Thread> writers = new ArrayList<>();
        List<SqlTask> tasks = List.of(
                target -> written[2] = writeLedger(target, counts, firstMember, firstSale, firstEntry, false, 0),
                target -> written[3] = writeLedger(target, counts, firstMember, firstSale, firstEntry, true,
                        firstLot));
        for (SqlTask task : tasks) {
            writers.add(new Thread(() -> {
                try (Connection second = DriverManager.getConnection(url, user, password)) {
                    second.setAutoCommit(false);
                    task.run(second);
                    second.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "writer"));
        }
        if (postgres) {
            writers.forEach(Thread::start);
        }
        writeSales(connection, counts, programmeId, firstMember, firstSale, written);
        connection.commit();
        if (postgres) {
            for (Thread writer : writers) {
                try {
                    writer.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        } else {
            for (SqlTask task : tasks) {
                task.run(connection);
                connection.commit();
            }
        }
        System.out.printf("%,d sales, %,d sale lines, %,d ledger entries and %,d points lots in %.1f s%n",
                written[0], written[1], written[2], written[3], (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            for (String sql : putBack) {
                statement.execute(sql);
            }
        }
        connection.setAutoCommit(false);
        System.out.printf("Indexes and foreign keys put back in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        long written0 = written[0];
        restart("member", firstMember + members);
        restart("card", firstCard + members);
        restart("sale", firstSale + written0);
        restart("ledger_entry", firstEntry + written0);
        restart("points_lot", firstLot + written0);
        connection.commit();
        if (postgres) {
            connection.setAutoCommit(true);
            try (Statement statement = connection.createStatement()) {
                statement.execute("ANALYZE");
            }
            connection.setAutoCommit(false);
        }
    }

    /** The sales, each with its lines in its row (SaleLinesColumn); counts the sales and the lines in written. */
    private void writeSales(Connection target, int[] counts, long programmeId, long firstMember, long firstSale,
                            long[] written) throws SQLException {
        try (Rows rows = rows(target, "sale", "id, public_id, programme_id, store_id, terminal_id, receipt_id,"
                + " member_id, card_number, occurred_at, currency, total, request_hash, response, recorded_at,"
                + " receipt_lines", 15)) {
            long saleId = firstSale;
            for (int m = 0; m < members; m++) {
                Member member = member(m);
                for (Basket basket : member.baskets(counts[m])) {
                    List<SaleLine> lines = new ArrayList<>(basket.categories.length);
                    for (int l = 0; l < basket.categories.length; l++) {
                        lines.add(new SaleLine("SKU-" + basket.categories[l] + "-" + l, basket.categories[l],
                                basket.quantities[l], basket.prices[l]));
                    }
                    rows.add(saleId, "t-bench" + saleId, programmeId, basket.store, "T1", "B" + saleId,
                            firstMember + m, cardNumber(m), basket.at, "EUR", basket.total, HASH, "{}", basket.at,
                            SaleLinesColumn.write(lines));
                    saleId++;
                    written[0]++;
                    written[1] += lines.size();
                }
                progress("sales", written[0]);
            }
        }
    }

    /** Work on a connection of its own. */
    private interface SqlTask {
        void run(Connection target) throws SQLException;
    }

    /**
     * The ledger of the sales: an EARN entry per sale, 1 point per whole euro (the demo's base rule), and the lot
     * it opened, untouched, available the day of the sale and expiring after the programme's 730 days.
     */
    private long writeLedger(Connection target, int[] counts, long firstMember, long firstSale, long firstEntry,
                             boolean lots, long firstLot) throws SQLException {
        long written = 0;
        try (Rows rows = lots ? rows(target, "points_lot", "id, member_id, entry_id, points, remaining,"
                + " available_on, expires_on", 7) : rows(target, "ledger_entry", "id, member_id, kind, points,"
                + " qualifying_points, occurred_at, recorded_at, channel, store_id, actor, sale_id, rule_set", 12)) {
            long saleId = firstSale;
            for (int m = 0; m < members; m++) {
                Member member = member(m);
                for (Basket basket : member.baskets(counts[m])) {
                    long points = basket.total.longValue();
                    long entryId = firstEntry + (saleId - firstSale);
                    if (lots) {
                        LocalDate day = basket.at.toLocalDateTime().toLocalDate();
                        rows.add(firstLot + (saleId - firstSale), firstMember + m, entryId, points, points,
                                day, day.plusDays(730));
                    } else {
                        rows.add(entryId, firstMember + m, "EARN", points, points, basket.at, basket.at, "STORE",
                                basket.store, basket.store + "/T1", saleId, code + " v1");
                    }
                    saleId++;
                    written++;
                }
            }
        }
        return written;
    }

    /** Drops the tables' secondary indexes, unique constraints and foreign keys; returns the SQL that puts them back. */
    private List<String> dropIndexesAndForeignKeys(List<String> tables) throws SQLException {
        List<String> drop = new ArrayList<>();
        List<String> putBack = new ArrayList<>();
        List<String> foreignKeys = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT conrelid::regclass::text, conname,"
                + " pg_get_constraintdef(oid), contype FROM pg_constraint WHERE conrelid::regclass::text = ANY (?)"
                + " AND contype IN ('f', 'u')")) {
            query.setArray(1, connection.createArrayOf("text", tables.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String dropIt = "ALTER TABLE " + rows.getString(1) + " DROP CONSTRAINT " + rows.getString(2);
                    if (rows.getString(4).equals("f")) {
                        drop.add(0, dropIt);
                    } else {
                        drop.add(dropIt);
                    }
                    String add = "ALTER TABLE " + rows.getString(1) + " ADD CONSTRAINT " + rows.getString(2) + " "
                            + rows.getString(3);
                    if (rows.getString(4).equals("f")) {
                        foreignKeys.add(add);
                    } else {
                        putBack.add(add);
                    }
                }
            }
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT indexname, indexdef FROM pg_indexes"
                + " WHERE tablename = ANY (?) AND indexname NOT LIKE '%_pkey' AND indexname NOT IN (SELECT conname"
                + " FROM pg_constraint)")) {
            query.setArray(1, connection.createArrayOf("text", tables.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    drop.add("DROP INDEX " + rows.getString(1));
                    putBack.add(rows.getString(2));
                }
            }
        }
        try (Statement statement = connection.createStatement()) {
            // Foreign keys first: a unique constraint may be what another table's key refers to.
            for (String sql : drop) {
                statement.execute(sql);
            }
        }
        connection.commit();
        putBack.addAll(foreignKeys);
        return putBack;
    }

    /** The number of purchases of each member: Pareto-distributed weights scaled to the total wanted. */
    int[] purchasesPerMember() {
        double[] weights = new double[(int) members];
        double sum = 0;
        SplittableRandom random = new SplittableRandom(seed);
        for (int m = 0; m < members; m++) {
            weights[m] = Math.min(60, 1 / Math.pow(1 - random.nextDouble(), 1 / 1.6));
            sum += weights[m];
        }
        int[] counts = new int[(int) members];
        double carry = 0;
        for (int m = 0; m < members; m++) {
            double exact = weights[m] * sales / sum + carry;
            counts[m] = (int) Math.floor(exact);
            carry = exact - counts[m];
        }
        System.out.printf("Purchases per member: median %d, max %d%n", median(counts), Arrays.stream(counts).max()
                .orElse(0));
        return counts;
    }

    private static int median(int[] counts) {
        int[] sorted = counts.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    private Member member(int m) {
        return new Member(new SplittableRandom(seed * 0x9E3779B97F4A7C15L + m));
    }

    /** One member's habits, all drawn from their own random stream. */
    final class Member {

        final SplittableRandom random;
        final int joinedDaysAgo;
        final int stoppedDaysAgo;
        final int favourite;
        final double basketScale;
        final String firstName;
        final LocalDate birthDate;
        final String store;

        Member(SplittableRandom random) {
            this.random = random;
            this.joinedDaysAgo = 1 + random.nextInt(730);
            this.stoppedDaysAgo = random.nextInt(4) == 0 ? random.nextInt(joinedDaysAgo) : 0;
            this.favourite = random.nextInt(CATEGORIES.length);
            this.basketScale = Math.exp(random.nextGaussian() * 0.4);
            this.firstName = "Member" + random.nextInt(5_000);
            this.birthDate = LocalDate.of(1940 + random.nextInt(65), 1 + random.nextInt(12), 1 + random.nextInt(28));
            this.store = "S" + String.format("%03d", 1 + random.nextInt(50));
        }

        Basket[] baskets(int count) {
            int[] days = new int[count];
            int span = Math.max(1, joinedDaysAgo - stoppedDaysAgo);
            for (int i = 0; i < count; i++) {
                days[i] = stoppedDaysAgo + random.nextInt(span);
            }
            Arrays.sort(days);
            Basket[] baskets = new Basket[count];
            for (int i = 0; i < count; i++) {
                int lines = 1 + random.nextInt(4);
                Basket basket = new Basket(lines);
                BigDecimal total = BigDecimal.ZERO;
                for (int l = 0; l < lines; l++) {
                    basket.categories[l] = CATEGORIES[random.nextInt(2) == 0 ? favourite
                            : random.nextInt(CATEGORIES.length)];
                    basket.quantities[l] = 1 + random.nextInt(3);
                    double price = Math.min(500, Math.max(0.2, 8 * basketScale * Math.exp(random.nextGaussian() * 0.6)));
                    basket.prices[l] = BigDecimal.valueOf(Math.round(price * 100), 2);
                    total = total.add(basket.prices[l].multiply(BigDecimal.valueOf(basket.quantities[l])));
                }
                basket.total = total;
                basket.store = store;
                basket.at = Timestamp.valueOf(today.minusDays(days[count - 1 - i]).atTime(8 + random.nextInt(12),
                        random.nextInt(60)));
                baskets[i] = basket;
            }
            return baskets;
        }
    }

    static final class Basket {
        final String[] categories;
        final int[] quantities;
        final BigDecimal[] prices;
        BigDecimal total;
        String store;
        Timestamp at;

        Basket(int lines) {
            categories = new String[lines];
            quantities = new int[lines];
            prices = new BigDecimal[lines];
        }
    }

    private static final String HASH = "0".repeat(64);

    private long programme() throws SQLException {
        try (PreparedStatement find = connection.prepareStatement("SELECT id FROM programme WHERE code = ?")) {
            find.setString(1, code);
            try (ResultSet row = find.executeQuery()) {
                if (row.next()) {
                    throw new IllegalStateException("Programme " + code + " exists already: generate into a fresh"
                            + " database (--fresh on PostgreSQL) or under another --programme code");
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO programme (code, name, currency,"
                + " points_expire_after_days, pending_days, point_value, tier_window_days, zone_id, created_at)"
                + " VALUES (?, ?, 'EUR', 730, 0, 0.01, 365, 'UTC', ?)", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, code);
            insert.setString(2, "Synthetic programme " + code);
            insert.setTimestamp(3, at(today.minusDays(800)));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                long id = keys.getLong(1);
                try (PreparedStatement tier = connection.prepareStatement("INSERT INTO tier (programme_id, code, name,"
                        + " tier_rank, minimum_points) VALUES (?, 'BRONZE', 'Bronze', 0, 0)")) {
                    tier.setLong(1, id);
                    tier.executeUpdate();
                }
                // The demo's rules, published, so that an engine can serve the programme.
                try (PreparedStatement version = connection.prepareStatement("INSERT INTO rule_set_version"
                        + " (programme_id, version_no, status, author, change_comment, created_at, published_at)"
                        + " VALUES (?, 1, 'PUBLISHED', 'system', 'The demo rules, for synthetic data', ?, ?)",
                        Statement.RETURN_GENERATED_KEYS)) {
                    version.setLong(1, id);
                    version.setTimestamp(2, at(today.minusDays(800)));
                    version.setTimestamp(3, at(today.minusDays(800)));
                    version.executeUpdate();
                    try (ResultSet versionKeys = version.getGeneratedKeys();
                         PreparedStatement file = connection.prepareStatement("INSERT INTO rule_file (version_id,"
                                 + " seq, path, content) VALUES (?, ?, ?, ?)");
                         PreparedStatement live = connection.prepareStatement("UPDATE programme SET"
                                 + " live_rule_version = 1 WHERE id = ?")) {
                        versionKeys.next();
                        int seq = 0;
                        for (org.loyaltyengine.rules.RuleSource source : org.loyaltyengine.rules.DemoRuleSet.sources()) {
                            file.setLong(1, versionKeys.getLong(1));
                            file.setInt(2, seq++);
                            file.setString(3, source.path());
                            file.setString(4, source.content());
                            file.executeUpdate();
                        }
                        live.setLong(1, id);
                        live.executeUpdate();
                    }
                }
                // A till key of store S001 for the programme, for the load driver: bench-pos-<code>.
                try (PreparedStatement key = connection.prepareStatement("INSERT INTO pos_key (key_hash,"
                        + " programme_id, store_id, label, issued_at) VALUES (?, ?, 'S001', 'synthetic data', ?)")) {
                    key.setString(1, org.loyaltyengine.engine.infrastructure.security.ApiKeys.hash(
                            "bench-pos-" + code));
                    key.setLong(2, id);
                    key.setTimestamp(3, at(today));
                    key.executeUpdate();
                }
                try (PreparedStatement store = connection.prepareStatement("INSERT INTO store (programme_id,"
                        + " store_id, name, created_at) VALUES (?, 'S001', 'Synthetic store', ?)")) {
                    store.setLong(1, id);
                    store.setTimestamp(2, at(today));
                    store.executeUpdate();
                }
                return id;
            }
        }
    }

    private long next(String table) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT MAX(id) FROM " + table)) {
            row.next();
            return row.getLong(1) + 1;
        }
    }

    /**
     * Moves the table's id generators past the rows written: its identity column (on PostgreSQL the tables with
     * id blocks have none left) and its sequence of id blocks.
     */
    private void restart(String table, long next) throws SQLException {
        String sequence = IdBlocks.SEQUENCES.get(table);
        if (sequence == null || !postgres) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE " + table + " ALTER COLUMN id RESTART WITH " + next);
            }
        }
        if (sequence != null) {
            V12__Id_blocks_for_the_sale_path.restartSequence(connection, sequence, next - 1);
        }
    }

    private static Timestamp at(LocalDate day) {
        return Timestamp.valueOf(day.atStartOfDay());
    }

    /** An EAN-13 number in a range of its own: 27, the member's index on ten digits, the check digit. */
    /** The card of the synthetic member with this index (0-based): 27 + the index + the EAN-13 check digit. */
    public static String cardNumber(long index) {
        String body = "27" + String.format("%010d", index);
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (body.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return body + (10 - sum % 10) % 10;
    }

    private long lastReported;

    private void progress(String what, long count) {
        if (count - lastReported >= 2_000_000) {
            lastReported = count;
            System.out.printf("  %,d %s%n", count, what);
        }
    }

    private Rows rows(String table, String columns, int width) throws SQLException {
        return rows(connection, table, columns, width);
    }

    private Rows rows(Connection target, String table, String columns, int width) throws SQLException {
        return postgres ? new CopyRows(target, table, columns) : new BatchRows(target, table, columns, width);
    }

    /** Rows written to a table, as fast as the database takes them. */
    interface Rows extends AutoCloseable {

        void add(Object... values) throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /** PostgreSQL's COPY, in its text format. */
    static final class CopyRows implements Rows {

        private final CopyIn copy;
        private final StringBuilder buffer = new StringBuilder(1 << 20);

        CopyRows(Connection connection, String table, String columns) throws SQLException {
            copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (" + columns
                    + ") FROM STDIN");
        }

        @Override
        public void add(Object... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    buffer.append('\t');
                }
                Object value = values[i];
                buffer.append(value == null ? "\\N" : value instanceof Timestamp t
                        ? t.toLocalDateTime().toString().replace('T', ' ') : escaped(value.toString()));
            }
            buffer.append('\n');
            if (buffer.length() > (1 << 20) - 4096) {
                flush();
            }
        }

        /** COPY's text format takes a backslash, a tab or a line break in a value escaped. */
        private static String escaped(String value) {
            return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
        }

        private void flush() throws SQLException {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }

        @Override
        public void close() throws SQLException {
            flush();
            copy.endCopy();
        }
    }

    /** Batched inserts, committed every 20,000 rows (Derby). */
    static final class BatchRows implements Rows {

        private final Connection connection;
        private final PreparedStatement insert;
        private int pending;

        BatchRows(Connection connection, String table, String columns, int width) throws SQLException {
            this.connection = connection;
            this.insert = connection.prepareStatement("INSERT INTO " + table + " (" + columns + ") VALUES ("
                    + "?, ".repeat(width - 1) + "?)");
        }

        @Override
        public void add(Object... values) throws SQLException {
            for (int i = 0; i < values.length; i++) {
                Object value = values[i];
                if (value instanceof LocalDate date) {
                    insert.setDate(i + 1, java.sql.Date.valueOf(date));
                } else {
                    insert.setObject(i + 1, value);
                }
            }
            insert.addBatch();
            if (++pending % 2_000 == 0) {
                insert.executeBatch();
            }
            if (pending % 20_000 == 0) {
                connection.commit();
            }
        }

        @Override
        public void close() throws SQLException {
            insert.executeBatch();
            connection.commit();
            insert.close();
        }
    }
}
