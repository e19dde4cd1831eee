package org.loyaltyengine.benchmarks.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import org.loyaltyengine.benchmarks.data.Options;
import org.loyaltyengine.pos.Till;
import org.loyaltyengine.pos.TillConfig;

/**
 * The reliability suite: runs against engine instances that are up (started by {@code benchmarks/reliability.sh}),
 * through the HTTP contract only, and proves that points are never lost nor doubled. Each check prints its figures
 * and fails on any loss:
 *
 * <ul>
 *   <li><b>bad input</b>: thousands of malformed and hostile requests, each answered 4xx in the contract's error
 *       shape, never 5xx, and nothing written (the victims' balances, ledgers and, on PostgreSQL, every table's
 *       row count are the same before and after);</li>
 *   <li><b>duplicates</b>: sales each sent 2 to 5 times, concurrently, spread over the instances: every sale
 *       credited exactly once, every member's balance grown by exactly the points of their sales;</li>
 *   <li><b>over-redemption</b>: concurrent redemptions against a few accounts: no balance below zero, the successful
 *       ones sum exactly to the points taken;</li>
 *   <li><b>crash and offline</b>: tills selling while one instance (or the whole engine) is killed with -9 and
 *       restarted; a till of the POS adapter keeps ringing up sales through the outage (queued in its journal) and
 *       replays them: every acknowledged sale is in the ledger, the sales in flight at the kill are credited once,
 *       every member's ledger total equals the sum of its entries;</li>
 *   <li><b>connection drops</b> (PostgreSQL): tills scanning cards, quoting and selling, and the back office
 *       adjusting points with Idempotency-Keys, while PostgreSQL ends
 *       every connection the engine instances hold, several times, as a fail-over of the database does: every call
 *       answered without a 503 or a 500, every acknowledged sale in the ledger once, every ledger consistent; then,
 *       optionally ({@code --db-stall}), the database silent on every connection the instances hold (their server
 *       processes stopped): the instances give them up after their read limit and sell on; and, optionally, the
 *       database restarted for real;</li>
 *   <li><b>freeze</b> (PostgreSQL): one instance stopped with SIGSTOP while it holds member rows, then woken up:
 *       the other keeps selling, no sale is lost or doubled;</li>
 *   <li><b>rule publication</b> (a cluster): a rule set published on one instance and rolled back on another, in
 *       rounds: the next sale on every instance is decided by the version live at that moment, and its ledger
 *       entry says so;</li>
 *   <li><b>scheduled jobs</b>: over the whole run, each period of the expiry and of the tier reviews was run once,
 *       by one instance, and the periods went on being run through the kill and the freeze.</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.loyaltyengine.benchmarks.reliability.ReliabilitySuite \
 *   --targets http://127.0.0.1:8081,http://127.0.0.1:8082 --label "2 instances, PostgreSQL" \
 *   --kill "admin-war/src/main/sh/run-cluster.sh kill 1" --restart "admin-war/src/main/sh/run-cluster.sh restart 1" \
 *   --key-file data/cluster/token-signing.key --jdbc jdbc:postgresql://127.0.0.1:5432/loyalty_cluster [--short]
 * </pre>
 */
public final class ReliabilitySuite {

    static final String KEY = "demo-pos-S001";
    static final String OTHER_STORE_KEY = "demo-pos-S002";
    static final String STORE = "S001";
    /** A coffee at 2.00 at the offline till earns 2 base points and 2 coffee points (BRONZE: no tier bonus). */
    static final long TILL_POINTS = 4;
    /** The connection-drops check's adjustment, sent with a key of its own each time. */
    static final String ONE_POINT = "{\"points\":1,\"reason\":\"Reliability: connection drops\"}";

    private final Http http;
    private final Options options;
    private final boolean quick;

    /** The scheduled runs written as left unfinished before the check that reads them (null: none written yet). */
    private List<Long> unfinished;

    /** When those runs were written, on the clock the engines write their runs' end with. */
    private Instant unfinishedWritten;
    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final StringBuilder report = new StringBuilder();
    private final List<String> failures = new ArrayList<>();
    private final AtomicLong receipts = new AtomicLong();
    /** When the suite began, to the second: the scheduled jobs' check reads the runs since then. */
    private final Instant started = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    /** The checks run so far. */
    private final Set<String> ran = new java.util.HashSet<>();
    /** When no instance was up (the crash check on a single engine): from the kill to the restart's answer. */
    private final List<Instant[]> engineDown = new ArrayList<>();
    private String manager;
    private List<Member> victims;

    ReliabilitySuite(Options options) {
        this.options = options;
        this.http = new Http(List.of(options.get("targets", "http://127.0.0.1:8080").split(",")));
        this.quick = options.has("short");
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        ReliabilitySuite suite = new ReliabilitySuite(options);
        List<String> checks = List.of(options.get("checks", "bad-input,duplicates,redemptions,crash").split(","));
        suite.say(String.format("%n== %s  reliability%s: %s over %s", Instant.now(), suite.quick ? " (short)" : "",
                options.get("label", ""), suite.http.targets));
        suite.manager = suite.login("manager@demo.local", "manager-demo");
        for (int at = 0; at < checks.size(); at++) {
            String check = checks.get(at);
            long started = System.nanoTime();
            // The runs the scheduled-jobs check leaves unfinished are written before the connection drops when those
            // come just before it: the next runs of their instances mark them meanwhile, in place of the check
            // waiting for those runs afterwards (up to a minute and a half of a short run).
            if (check.strip().equals("connection-drops") && at + 1 < checks.size()
                    && checks.get(at + 1).strip().equals("scheduled-jobs") && options.has("jdbc")) {
                suite.unfinished = suite.leaveRunsUnfinished();
            }
            switch (check.strip()) {
                case "bad-input" -> suite.badInput();
                case "duplicates" -> suite.duplicates();
                case "redemptions" -> suite.overRedemption();
                case "crash" -> suite.crash();
                case "connection-drops" -> suite.connectionDrops();
                case "freeze" -> suite.freeze();
                case "rule-publication" -> suite.rulePublication();
                case "key-revocation" -> suite.keyRevocation();
                case "scheduled-jobs" -> suite.scheduledJobs();
                case "sign-in-locks" -> suite.signInLocks();
                default -> throw new IllegalArgumentException("Unknown check " + check);
            }
            suite.ran.add(check.strip());
            suite.say(String.format("   (%s took %.0f s)", check, (System.nanoTime() - started) / 1e9));
        }
        suite.say(suite.failures.isEmpty() ? "  ALL CHECKS PASSED" : "  FAILED: " + String.join("; ",
                suite.failures));
        Path results = Path.of(options.get("results", "benchmarks/results/reliability.txt"));
        if (results.getParent() != null) {
            Files.createDirectories(results.getParent());
        }
        Files.writeString(results, suite.report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.exit(suite.failures.isEmpty() ? 0 : 1);
    }

    // ---------------------------------------------------------------------------------------------- bad input

    void badInput() throws Exception {
        int count = quick ? 600 : 3_000;
        Fingerprint fingerprint = new Fingerprint();
        String before = fingerprint.take();
        String again = fingerprint.take();
        if (!before.equals(again)) {
            fail("bad input: the fingerprint changes by itself, cannot judge writes");
        }
        HostileRequests hostile = new HostileRequests(http, victims(), login("claire@demo.local", "claire-demo"),
                login("auditor@demo.local", "auditor-demo"), manager, login("marc@demo.local", "marc-demo"),
                options.has("key-file") ? Path.of(options.get("key-file", "")) : null, run);
        List<HostileRequests.Case> cases = hostile.generate(count);
        Map<Integer, AtomicInteger> statuses = new TreeMap<>();
        Map<String, AtomicInteger> kinds = new TreeMap<>();
        List<String> wrong = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger bareHttpLayer = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (HostileRequests.Case hostileCase : cases) {
            pool.execute(() -> {
                try {
                    Http.Reply reply = http.send(hostileCase.request());
                    synchronized (statuses) {
                        statuses.computeIfAbsent(reply.status(), s -> new AtomicInteger()).incrementAndGet();
                        kinds.computeIfAbsent(hostileCase.kind(), s -> new AtomicInteger()).incrementAndGet();
                    }
                    String problem = HostileRequests.problemWith(reply);
                    String rawPath = hostileCase.request().uri().getRawPath();
                    if (problem != null && reply.status() == 400 && reply.body().isEmpty()
                            && (rawPath.contains("%00") || rawPath.contains("%5C"))) {
                        // Payara's HTTP layer refuses a NUL byte or an encoded backslash in the address before
                        // any application sees it.
                        bareHttpLayer.incrementAndGet();
                    } else if (problem != null) {
                        wrong.add(hostileCase.kind() + " " + hostileCase.request().method() + " "
                                + hostileCase.request().uri().getPath() + ": " + problem);
                    }
                } catch (Http.NoAnswer e) {
                    wrong.add(hostileCase.kind() + ": no answer, " + e.getMessage());
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        String after = fingerprint.take();
        boolean unchanged = before.equals(after);
        say(String.format("  bad input: %,d malformed or hostile requests in %d kinds; answers %s; %,d not a 4xx in"
                        + " the error shape (and %,d bare 400s from Payara's HTTP layer for a NUL byte or an"
                        + " encoded backslash in the address); %s", cases.size(), kinds.size(), statuses, wrong.size(), bareHttpLayer.get(),
                unchanged ? "nothing written (" + fingerprint.describe() + " unchanged)"
                        : "SOMETHING WAS WRITTEN"));
        wrong.stream().limit(8).forEach(line -> say("    wrong: " + line));
        if (!wrong.isEmpty()) {
            fail("bad input: " + wrong.size() + " answers were not a 4xx in the contract's shape");
        }
        if (!unchanged) {
            say("    before: " + before.substring(0, Math.min(600, before.length())));
            say("    after:  " + after.substring(0, Math.min(600, after.length())));
            fail("bad input: refused requests changed stored data");
        }
    }

    /** The demo's customers and a member enrolled for the run: the targets of the hostile requests. */
    private List<Member> victims() throws Exception {
        if (victims != null) {
            return victims;
        }
        victims = new ArrayList<>();
        for (String card : List.of("2900000000018", "2900000000025", "2900000000032")) {
            Http.Reply reply = http.call(http.anyTarget(), "GET", "pos/cards/" + card, null, "X-Api-Key", KEY);
            victims.add(new Member(reply.string("memberId"), card));
        }
        victims.addAll(enrol(1, "victim"));
        return victims;
    }

    /** What refused requests must not change: the victims' answers and, on PostgreSQL, every table's size. */
    private final class Fingerprint {

        private List<Member> watched;

        String take() throws Exception {
            if (watched == null) {
                watched = victims().subList(0, 3);
            }
            StringBuilder text = new StringBuilder();
            for (Member member : watched) {
                text.append(http.call(http.anyTarget(), "GET", "admin/members/" + member.id() + "/transactions",
                        null, "Authorization", "Bearer " + manager).body());
                text.append(http.call(http.anyTarget(), "GET", "admin/members/" + member.id() + "/ledger-check",
                        null, "Authorization", "Bearer " + manager).body());
                text.append(balance(member)).append('\n');
            }
            if (options.has("jdbc")) {
                text.append(tableSizes());
            }
            return text.toString();
        }

        String describe() {
            return "3 members' balances and ledgers" + (options.has("jdbc") ? ", every table's row count" : "");
        }

        private String tableSizes() throws SQLException {
            Map<String, Long> sizes = new TreeMap<>();
            try (Connection connection = database();
                 Statement statement = connection.createStatement()) {
                List<String> tables = new ArrayList<>();
                try (ResultSet rows = connection.getMetaData().getTables(null, "public", "%",
                        new String[] {"TABLE"})) {
                    while (rows.next()) {
                        tables.add(rows.getString("TABLE_NAME"));
                    }
                }
                for (String table : tables) {
                    // Failed sign-ins on emails of no account (counted as an account's are, in its row), the audit
                    // of staff reads and the scheduled jobs' runs (every few seconds here) are not the refused
                    // requests' writes.
                    if (table.equals("flyway_schema_history") || table.equals("audit_event")
                            || table.equals("bench_insert") || table.equals("attempt_slot")
                            || table.equals("job_run") || table.equals("expiry_run")) {
                        continue;
                    }
                    try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table)) {
                        count.next();
                        sizes.put(table, count.getLong(1));
                    }
                }
            }
            return sizes.toString();
        }
    }

    // ---------------------------------------------------------------------------------------------- sign-in locks

    /**
     * Wrong passwords sent to each instance in turn, on a customer's account and on an email of no account: both
     * answer five times "wrong" and lock at the sixth attempt, counted over the whole cluster as on one instance, so
     * that guessing over several instances gains nothing and the lock tells nobody which emails have an account.
     */
    void signInLocks() throws Exception {
        String account = "lock-" + run + "@example.org";
        Http.Reply joined = http.call(http.anyTarget(), "POST", "auth/register", "{\"email\":\"" + account
                + "\",\"password\":\"right-password\",\"firstName\":\"Lou\",\"lastName\":\"Keller\"}");
        require(joined.status() == 201, "sign-in locks: registration: " + joined.body());
        String nobody = "nobody-" + run + "@example.org";
        List<String> expected = List.of("401", "401", "401", "401", "401", "429");
        Map<String, List<String>> answers = new java.util.LinkedHashMap<>();
        for (String email : List.of(account, nobody)) {
            List<String> statuses = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                String target = http.targets.get(i % http.targets.size());
                Http.Reply reply = http.call(target, "POST", "auth/login", "{\"email\":\"" + email
                        + "\",\"password\":\"" + (i == expected.size() - 1 ? "right-password" : "wrong") + "\"}");
                statuses.add(reply.status() + (reply.status() == 429 && !reply.body().contains("account_locked")
                        ? " (not account_locked)" : ""));
            }
            answers.put(email.equals(account) ? "account" : "email of no account", statuses);
        }
        say(String.format("  sign-in locks: 5 wrong passwords then the right one, each sent to the next of %d"
                + " instance(s): %s", http.targets.size(), answers));
        answers.forEach((kind, statuses) -> {
            if (!statuses.equals(expected)) {
                fail("sign-in locks: the " + kind + " answered " + statuses + ", not " + expected);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------- duplicates

    void duplicates() throws Exception {
        int saleCount = quick ? 400 : 10_000;
        List<Member> members = enrol(quick ? 40 : 200, "dup");
        Map<String, Long> start = balances(members);
        SplittableRandom random = new SplittableRandom(42);
        List<Sale> sales = new ArrayList<>();
        List<Sale> sends = new ArrayList<>();
        for (int i = 0; i < saleCount; i++) {
            Member member = members.get(random.nextInt(members.size()));
            String receipt = "DUP-" + run + "-" + i;
            Sale sale = new Sale(member, saleBody(member.card(), receipt, random));
            sales.add(sale);
            int copies = 2 + random.nextInt(4);
            for (int c = 0; c < copies; c++) {
                sends.add(sale);
            }
        }
        Collections.shuffle(sends, new java.util.Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        long started = System.nanoTime();
        for (Sale sale : sends) {
            pool.execute(() -> sale.answer(http.persist("POST", "pos/transactions", sale.body, Duration.ofSeconds(120),
                    "X-Api-Key", KEY)));
        }
        pool.shutdown();
        pool.awaitTermination(2, TimeUnit.HOURS);
        double seconds = (System.nanoTime() - started) / 1e9;
        long once = 0;
        long twice = 0;
        long never = 0;
        long refused = 0;
        Map<String, Long> expected = new HashMap<>();
        for (Sale sale : sales) {
            if (!sale.refusals.isEmpty()) {
                refused++;
            }
            if (sale.transactionIds.size() == 1) {
                once++;
                expected.merge(sale.card(), sale.points, Long::sum);
            } else if (sale.transactionIds.isEmpty()) {
                never++;
            } else {
                twice++;
            }
        }
        int mismatched = compareBalances(members, start, expected, "duplicates");
        int inconsistent = ledgerChecks(members);
        say(String.format("  duplicates: %,d sales sent %,d times (2-5 each, concurrently, 32 at once) over %d"
                        + " instance(s) in %.0f s: %,d credited exactly once, %,d credited more than once, %,d never,"
                        + " %,d refused; %d of %d members' balances differ from their sales' points; %d ledgers"
                        + " inconsistent", saleCount, sends.size(), http.targets.size(), seconds, once, twice, never,
                refused, mismatched, members.size(), inconsistent));
        sales.stream().filter(sale -> !sale.refusals.isEmpty()).limit(3)
                .forEach(sale -> say("    refused: " + sale.refusals.get(0)));
        if (twice + never + refused + mismatched + inconsistent > 0) {
            fail("duplicates: " + twice + " doubled, " + never + " lost, " + refused + " refused, " + mismatched
                    + " balances wrong, " + inconsistent + " ledgers inconsistent");
        }
    }

    // ---------------------------------------------------------------------------------------------- redemption

    void overRedemption() throws Exception {
        int count = quick ? 300 : 1_000;
        List<Member> accounts = enrol(quick ? 3 : 5, "red");
        long credit = quick ? 1_500 : 3_000;
        for (Member account : accounts) {
            Http.Reply reply = http.persist("POST", "admin/members/" + account.id() + "/adjustments",
                    "{\"points\":" + credit + ",\"reason\":\"reliability suite: points to spend\"}",
                    Duration.ofSeconds(60), "Authorization", "Bearer " + manager, "Idempotency-Key",
                    "red-" + run + "-" + account.id());
            require(reply != null && reply.ok(), "credit " + account.card() + ": " + (reply == null ? "no answer"
                    : reply.status() + " " + reply.body()));
        }
        Map<String, Long> start = balances(accounts);
        Map<String, AtomicLong> taken = new ConcurrentHashMap<>();
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger insufficient = new AtomicInteger();
        List<String> other = Collections.synchronizedList(new ArrayList<>());
        AtomicLong asked = new AtomicLong();
        Map<String, String> grantedIds = new ConcurrentHashMap<>();
        SplittableRandom random = new SplittableRandom(11);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        for (int i = 0; i < count; i++) {
            Member account = accounts.get(i % accounts.size());
            long points = 10 + random.nextInt(191);
            asked.addAndGet(points);
            String body = "{\"cardNumber\":\"" + account.card() + "\",\"storeId\":\"" + STORE + "\",\"receiptId\":\"RED-"
                    + run + "-" + i + "\",\"points\":" + points + "}";
            pool.execute(() -> {
                Http.Reply reply = http.persist("POST", "pos/redemptions", body, Duration.ofSeconds(120),
                        "X-Api-Key", KEY);
                if (reply != null && reply.ok()) {
                    granted.incrementAndGet();
                    grantedIds.put(reply.string("redemptionId"), account.card());
                    taken.computeIfAbsent(account.card(), c -> new AtomicLong())
                            .addAndGet(reply.number("pointsRedeemed"));
                    if (reply.number("availablePoints") < 0) {
                        other.add("balance shown below zero: " + reply.body());
                    }
                } else if (reply != null && reply.status() == 409
                        && "insufficient_points".equals(reply.string("error"))) {
                    insufficient.incrementAndGet();
                } else {
                    other.add(describe(reply));
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        int wrong = 0;
        long lowest = Long.MAX_VALUE;
        long totalTaken = 0;
        for (Member account : accounts) {
            long now = balance(account);
            long took = taken.getOrDefault(account.card(), new AtomicLong()).get();
            totalTaken += took;
            lowest = Math.min(lowest, now);
            if (now < 0 || start.get(account.card()) - now != took) {
                wrong++;
                say("    " + account.card() + ": started " + start.get(account.card()) + ", granted " + took
                        + ", now " + now);
            }
        }
        int inconsistent = ledgerChecks(accounts);
        say(String.format("  over-redemption: %,d concurrent redemptions (%,d points asked) against %d accounts of"
                        + " %,d points over %d instance(s): %,d granted (%,d points), %,d refused for insufficient"
                        + " points, %d other answers; lowest balance %,d; %d accounts where granted != taken; %d"
                        + " ledgers inconsistent", count, asked.get(), accounts.size(), credit, http.targets.size(),
                granted.get(), totalTaken, insufficient.get(), other.size(), lowest, wrong, inconsistent));
        other.stream().limit(3).forEach(line -> say("    other: " + line));
        if (wrong + inconsistent + other.size() > 0 || lowest < 0 || insufficient.get() == 0) {
            fail("over-redemption: " + wrong + " accounts wrong, " + other.size() + " unexpected answers, "
                    + inconsistent + " ledgers inconsistent" + (insufficient.get() == 0 ? ", never refused" : ""));
        }
        cancelTwice(accounts, start, grantedIds);
    }

    /**
     * Every redemption granted above cancelled, each sent 2 to 4 times at once (a cashier pressing twice, a till
     * sending again after no answer) over the instances: each gives its points back once, every account is back
     * to where it started, and the ledgers hold.
     */
    private void cancelTwice(List<Member> accounts, Map<String, Long> start, Map<String, String> grantedIds)
            throws Exception {
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger answeredAgain = new AtomicInteger();
        Map<String, Long> returned = new ConcurrentHashMap<>();
        List<String> other = Collections.synchronizedList(new ArrayList<>());
        Map<String, String> firstAnswers = new ConcurrentHashMap<>();
        SplittableRandom random = new SplittableRandom(13);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        int sent = 0;
        for (String id : grantedIds.keySet()) {
            int times = 2 + random.nextInt(3);
            sent += times;
            for (int i = 0; i < times; i++) {
                String body = "{\"terminalId\":\"T" + i + "\",\"reason\":\"reliability suite\"}";
                pool.execute(() -> {
                    Http.Reply reply = http.persist("POST", "pos/redemptions/" + id + "/cancel", body,
                            Duration.ofSeconds(120), "X-Api-Key", KEY);
                    if (reply != null && reply.ok()) {
                        returned.put(id, reply.number("pointsReturned"));
                    }
                    if (reply != null && reply.status() == 201) {
                        cancelled.incrementAndGet();
                    } else if (reply != null && reply.status() == 200) {
                        answeredAgain.incrementAndGet();
                    } else {
                        other.add(describe(reply));
                    }
                    if (reply != null && reply.ok() && !reply.body().equals(firstAnswers.computeIfAbsent(id,
                            key -> reply.body()))) {
                        other.add("two answers to one cancellation: " + reply.body());
                    }
                });
            }
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        int wrong = 0;
        for (Member account : accounts) {
            long now = balance(account);
            if (now != start.get(account.card())) {
                wrong++;
                say("    " + account.card() + ": started " + start.get(account.card()) + ", now " + now
                        + " after every redemption was cancelled");
            }
        }
        int inconsistent = ledgerChecks(accounts);
        say(String.format("  cancellations: the %,d redemptions granted cancelled, sent %,d times at once over %d"
                        + " instance(s): %,d cancelled (%,d points given back), %,d answered as cancelled already,"
                        + " %d other answers; %d accounts not back where they started; %d ledgers inconsistent",
                grantedIds.size(), sent, http.targets.size(), cancelled.get(),
                returned.values().stream().mapToLong(Long::longValue).sum(), answeredAgain.get(),
                other.size(), wrong, inconsistent));
        other.stream().limit(3).forEach(line -> say("    other: " + line));
        // A first answer lost on the way (then sent again, answered 200) makes fewer 201s than cancellations: the
        // balances and the ledgers are the proof that each was given back once.
        if (returned.size() != grantedIds.size() || cancelled.get() > grantedIds.size()
                || wrong + inconsistent + other.size() > 0) {
            fail("cancellations: " + cancelled.get() + " of " + grantedIds.size() + " cancelled once, " + wrong
                    + " accounts wrong, " + other.size() + " unexpected answers, " + inconsistent
                    + " ledgers inconsistent");
        }
    }

    // ---------------------------------------------------------------------------------------------- crash

    void crash() throws Exception {
        int seconds = quick ? 30 : 90;
        int terminals = quick ? 8 : 16;
        List<Member> members = enrol(quick ? 30 : 100, "crash");
        Member tillMember = enrol(1, "till").get(0);
        Map<String, Long> start = balances(members);
        long tillStart = balance(tillMember);

        Map<String, Sale> acknowledged = new ConcurrentHashMap<>();
        Map<String, Sale> unanswered = new ConcurrentHashMap<>();
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong down = new AtomicLong(Long.MAX_VALUE);
        AtomicLong up = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger servedWhileDown = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < terminals; t++) {
            int terminal = t;
            Thread thread = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(terminal);
                while (!stop.get()) {
                    Member member = members.get(random.nextInt(members.size()));
                    String receipt = "CR-" + run + "-" + terminal + "-" + receipts.incrementAndGet();
                    Sale sale = new Sale(member, saleBody(member.card(), receipt, random));
                    if (sell(receipt, sale, Duration.ofSeconds(240), acknowledged, unanswered, refusals)) {
                        long now = System.nanoTime();
                        if (now > down.get() && now < up.get()) {
                            servedWhileDown.incrementAndGet();
                        }
                    }
                }
            }, "till-" + t);
            thread.start();
            threads.add(thread);
        }

        // A till of the POS adapter, on the instance that will be killed, selling through the outage.
        Path journal = Files.createTempFile("reliability-journal", ".jsonl");
        Files.delete(journal);
        Till till = new Till(new TillConfig(java.net.URI.create(http.targets.get(0)), KEY, STORE, "T-OFFLINE", "EUR",
                Duration.ofMillis(800), journal));
        AtomicInteger tillDone = new AtomicInteger();
        AtomicInteger tillQueued = new AtomicInteger();
        List<String> tillOther = Collections.synchronizedList(new ArrayList<>());
        JsonArray basket = Json.createArrayBuilder().add(Json.createObjectBuilder().add("sku", "COF-250")
                .add("category", "coffee").add("quantity", 1).add("unitPrice", "2.00")).build();
        Thread tillThread = new Thread(() -> {
            int n = 0;
            while (!stop.get()) {
                try {
                    Till.Outcome outcome = till.sale(tillMember.card(), "OFF-" + run + "-" + n++, basket, 0);
                    switch (outcome.status()) {
                        case DONE -> tillDone.incrementAndGet();
                        case QUEUED -> tillQueued.incrementAndGet();
                        default -> tillOther.add(outcome.status() + " " + outcome.message());
                    }
                } catch (IOException | RuntimeException e) {
                    tillOther.add(e.toString());
                }
                Http.sleep(1_000);
            }
        }, "pos-adapter-till");
        tillThread.start();

        Thread.sleep(seconds * 1000L / 3);
        long acknowledgedBeforeKill = acknowledged.size();
        down.set(System.nanoTime());
        Instant killed = Instant.now();
        shell(options.get("kill", ""));
        say("    killed (-9) after " + acknowledgedBeforeKill + " acknowledged sales: " + options.get("kill", ""));
        Thread.sleep(5_000);
        long restartStarted = System.nanoTime();
        shell(options.get("restart", ""));
        up.set(System.nanoTime());
        if (http.targets.size() == 1) {
            engineDown.add(new Instant[] {killed, Instant.now()});
        }
        double restartSeconds = (up.get() - restartStarted) / 1e9;
        String health = health(http.targets.get(0));
        Thread.sleep(seconds * 1000L / 3);
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(300_000);
        }
        tillThread.join(60_000);

        // The till replays its journal, then audits it by sending everything once more.
        Till.ReplayReport replay = till.replay(false);
        long replayed = replay.delivered();
        for (int attempt = 0; attempt < 6 && replay.stillWaiting() > 0; attempt++) {
            Thread.sleep(10_000);
            replay = till.replay(false);
            replayed += replay.delivered();
        }
        if (replay.stillWaiting() > 0 && options.has("dump")) {
            // What the instance and the database are doing while the till's sale goes unanswered, for the report.
            say("    the till's journal still waits; state taken with: " + options.get("dump", ""));
            run(options.get("dump", ""));
        }
        Till.ReplayReport audit = till.replay(true);
        long auditCredited = audit.notes().stream().filter(note -> note.contains(" 201 ")).count();
        // Everything the engine recorded for the till, online or from its journal, sent again as after a restore:
        // the engine still has all of it.
        Till.ResendReport resent = till.resend(java.time.Instant.EPOCH);

        // Every acknowledged sale must be found: its replay answers 200 with the same transaction.
        Replays replays = replayAcknowledged(acknowledged.values());
        int lost = replays.lost();
        int changed = replays.changed();
        // The sales without an answer: committed before the kill (200) or not (201 now): once either way.
        int inFlightCommitted = 0;
        int inFlightCreditedNow = 0;
        for (Sale sale : unanswered.values()) {
            Http.Reply reply = http.persist("POST", "pos/transactions", sale.body, Duration.ofSeconds(60), "X-Api-Key",
                    KEY);
            if (reply != null && reply.ok()) {
                sale.answer(reply);
                if (reply.status() == 200) {
                    inFlightCommitted++;
                } else {
                    inFlightCreditedNow++;
                }
            }
        }
        Map<String, Long> expected = pointsByCard(acknowledged.values(), unanswered.values());
        int mismatched = compareBalances(members, start, expected, "crash");
        int inconsistent = ledgerChecks(members) + ledgerChecks(List.of(tillMember));
        long tillSales = tillDone.get() + tillQueued.get();
        long tillGained = balance(tillMember) - tillStart;
        say(String.format("  crash: %d tills selling for %d s over %d instance(s); %s killed with -9, restarted in"
                        + " %.0f s (%s); %,d sales acknowledged%s, %d without an answer at the"
                        + " kill (%d had been committed, %d credited on replay); %d acknowledged sales missing, %d"
                        + " changed; %d of %d balances differ from their sales; %d ledgers inconsistent; %d refused",
                terminals, seconds, http.targets.size(), http.targets.size() > 1 ? "one instance" : "the engine",
                restartSeconds, health, acknowledged.size(), http.targets.size() > 1 ? String.format(" (%,d by the"
                        + " other instance while it was down)", servedWhileDown.get()) : "", unanswered.size(),
                inFlightCommitted, inFlightCreditedNow, lost, changed, mismatched, members.size(), inconsistent,
                refusals.size()));
        say(String.format("  offline: the POS adapter's till rang up %d sales on the killed instance: %d recorded at"
                        + " once, %d queued in its journal during the outage (%d of them sent by the till itself"
                        + " before its next sale once the engine was back); the final replay delivered %d, %d still"
                        + " waiting; a second replay of all %d credited %d again; all %d it kept as recorded sent"
                        + " again: %d recorded again, %d already there; the card gained %,d points for %d sales of %d"
                        + " points (%s)", tillSales, tillDone.get(), tillQueued.get(),
                tillQueued.get() - replayed - replay.stillWaiting(), replayed,
                replay.stillWaiting(), audit.delivered() + audit.refused(), auditCredited,
                resent.recordedAgain() + resent.alreadyThere() + resent.refused() + resent.notSent(),
                resent.recordedAgain(), resent.alreadyThere(), tillGained, tillSales, TILL_POINTS,
                tillGained == TILL_POINTS * tillSales ? "none lost, none doubled" : "WRONG"));
        replay.notes().stream().filter(note -> !note.contains(" 20")).limit(3).forEach(note -> say("    replay: "
                + note));
        refusals.stream().limit(3).forEach(line -> say("    refused: " + line));
        tillOther.stream().limit(3).forEach(line -> say("    till: " + line));
        if (lost + changed + mismatched + inconsistent + refusals.size() > 0 || acknowledged.isEmpty()) {
            fail("crash: " + lost + " acknowledged sales lost, " + changed + " changed, " + mismatched
                    + " balances wrong, " + inconsistent + " ledgers inconsistent, " + refusals.size() + " refused");
        }
        if (!health.startsWith("back UP") || http.targets.size() > 1
                && !health.endsWith("cluster of " + http.targets.size())) {
            fail("crash: the restarted instance is not back in service (" + health + ")");
        }
        if (http.targets.size() > 1 && servedWhileDown.get() == 0) {
            fail("crash: the other instances served nothing while one was down");
        }
        if (tillGained != TILL_POINTS * tillSales || replay.stillWaiting() > 0 || auditCredited > 0 || !tillOther.isEmpty()
                || tillQueued.get() == 0 || resent.alreadyThere() != tillSales || resent.recordedAgain() > 0) {
            fail("offline: " + tillSales + " till sales, " + tillGained + " points gained, " + replay.stillWaiting()
                    + " still waiting, " + auditCredited + " credited twice, " + tillQueued.get() + " queued, "
                    + tillOther.size() + " other outcomes, " + resent.alreadyThere() + " of them found by a resend, "
                    + resent.recordedAgain() + " recorded again by it");
        }
        Files.deleteIfExists(journal);
        Files.deleteIfExists(till.sent().file());
    }

    /**
     * PostgreSQL ends every connection the engine instances hold ({@code pg_terminate_backend}), several times
     * during a load of tills that scan cards, quote and sell: what a fail-over or a restart of the database does
     * to the instances' pools, without the database's downtime. The sales in flight lose their connection at any
     * point up to their commit; the database being up, the engine must answer every one of them, without a single
     * 503. Then, with {@code --db-restart COMMAND}, the database is restarted for real: while it is down the tills
     * may be answered {@code 503 database_unavailable} and send again, as a till does; they are counted.
     */
    void connectionDrops() throws Exception {
        require(options.has("jdbc"), "the connection-drops check needs --jdbc (a PostgreSQL database)");
        int seconds = quick ? 20 : 60;
        int terminals = quick ? 8 : 16;
        int drops = quick ? 3 : 6;
        List<Member> members = enrol(quick ? 20 : 60, "drops");
        Member adjusted = enrol(1, "drops-adjusted").get(0);
        Map<String, Long> start = balances(members);
        long adjustedStart = balance(adjusted);
        int unavailableBefore = http.unavailableAnswers.get();
        int otherBefore = http.otherResends.get();

        Map<String, Sale> acknowledged = new ConcurrentHashMap<>();
        Map<String, Sale> unanswered = new ConcurrentHashMap<>();
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger lookups = new AtomicInteger();
        AtomicInteger quotes = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < terminals; t++) {
            int terminal = t;
            Thread thread = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(1_000 + terminal);
                while (!stop.get()) {
                    Member member = members.get(random.nextInt(members.size()));
                    Http.Reply scan = http.persist("GET", "pos/cards/" + member.card(), null, Duration.ofSeconds(60),
                            "X-Api-Key", KEY);
                    if (scan == null || !scan.ok()) {
                        refusals.add("card look-up: " + describe(scan));
                        continue;
                    }
                    lookups.incrementAndGet();
                    String receipt = "CD-" + run + "-" + terminal + "-" + receipts.incrementAndGet();
                    Sale sale = new Sale(member, saleBody(member.card(), receipt, random));
                    if (random.nextInt(4) == 0) {
                        Http.Reply quote = http.persist("POST", "pos/transactions/quote", sale.body,
                                Duration.ofSeconds(60), "X-Api-Key", KEY);
                        if (quote == null || !quote.ok()) {
                            refusals.add("quote: " + describe(quote));
                        } else {
                            quotes.incrementAndGet();
                        }
                    }
                    sell(receipt, sale, Duration.ofSeconds(60), acknowledged, unanswered, refusals);
                }
            }, "till-" + t);
            thread.start();
            threads.add(thread);
        }
        // The back office at the same time: adjustments of one point, each with its Idempotency-Key.
        List<String> adjustments = Collections.synchronizedList(new ArrayList<>());
        Thread backOffice = new Thread(() -> {
            for (int n = 0; !stop.get(); n++) {
                String key = "ADJ-" + run + "-" + n;
                Http.Reply reply = http.persist("POST", "admin/members/" + adjusted.id() + "/adjustments",
                        ONE_POINT, Duration.ofSeconds(60),
                        "Authorization", "Bearer " + manager, "Idempotency-Key", key);
                if (reply != null && reply.ok()) {
                    adjustments.add(key);
                } else {
                    refusals.add("adjustment: " + describe(reply));
                }
                Http.sleep(50);
            }
        }, "back-office");
        backOffice.start();
        threads.add(backOffice);

        int ended = 0;
        int emptyDrops = 0;
        try (Connection connection = database();
             Statement statement = connection.createStatement()) {
            for (int drop = 0; drop < drops; drop++) {
                Thread.sleep(seconds * 1000L / (drops + 1));
                try (ResultSet result = statement.executeQuery("SELECT count(*) FILTER (WHERE"
                        + " pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
                    result.next();
                    int count = result.getInt(1);
                    ended += count;
                    emptyDrops += count < http.targets.size() ? 1 : 0;
                }
            }
        }
        Thread.sleep(seconds * 1000L / (drops + 1));
        int unavailableWhileUp = http.unavailableAnswers.get() - unavailableBefore;
        int otherWhileUp = http.otherResends.get() - otherBefore;
        int acknowledgedWhileUp = acknowledged.size();
        int lookupsWhileUp = lookups.get();
        int quotesWhileUp = quotes.get();

        Stall stall = options.has("db-stall") ? stallDatabase(Integer.parseInt(options.get("db-stall", "10")),
                acknowledged) : null;

        String restart = options.get("db-restart", "");
        double restartSeconds = 0;
        int unavailableAtRestart = 0;
        if (!restart.isBlank()) {
            int before = http.unavailableAnswers.get();
            long started = System.nanoTime();
            require(run(restart) == 0, "command failed: " + restart);
            restartSeconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(seconds * 1000L / (drops + 1));
            unavailableAtRestart = http.unavailableAnswers.get() - before;
        }
        stopTills(stop, threads);

        Replays replays = replayAcknowledged(acknowledged.values());
        int lost = replays.lost();
        int changed = replays.changed();
        resendUnanswered(unanswered.values());
        Map<String, Long> expected = pointsByCard(acknowledged.values(), unanswered.values());
        // Each adjustment sent again with its key is answered as a replay, and the member gained one point each.
        int adjustmentsRedone = 0;
        for (String key : adjustments) {
            Http.Reply reply = http.persist("POST", "admin/members/" + adjusted.id() + "/adjustments",
                    ONE_POINT, Duration.ofSeconds(60),
                    "Authorization", "Bearer " + manager, "Idempotency-Key", key);
            adjustmentsRedone += reply != null && reply.status() == 200 ? 0 : 1;
        }
        long adjustedGained = balance(adjusted) - adjustedStart;
        int mismatched = compareBalances(members, start, expected, "connection drops")
                + (adjustedGained == adjustments.size() ? 0 : 1);
        int inconsistent = ledgerChecks(members) + ledgerChecks(List.of(adjusted));
        say(String.format("  connection drops: %d tills scanning cards, quoting and selling over %d instance(s);"
                        + " PostgreSQL ended all the engine's connections %d times in %d s (%d connections ended):"
                        + " %,d sales, %,d card look-ups and %,d quotes answered, %d answers 503 and %d other"
                        + " answers sent again (must be 0 and 0)%s; in all %,d sales acknowledged, %d without an"
                        + " answer, %d refused; %d acknowledged sales missing, %d changed; %d adjustments of one"
                        + " point with an Idempotency-Key acknowledged meanwhile, the member gained %d points, %d"
                        + " not answered as a replay when sent again; %d of %d balances differ from their sales"
                        + " and adjustments; %d ledgers inconsistent", terminals, http.targets.size(), drops,
                seconds, ended, acknowledgedWhileUp, lookupsWhileUp, quotesWhileUp, unavailableWhileUp, otherWhileUp,
                restart.isBlank() ? "" : String.format("; then PostgreSQL restarted (%s, %.1f s): %d answers 503"
                        + " database_unavailable while it was down, sent again by the tills", restart,
                        restartSeconds, unavailableAtRestart), acknowledged.size(), unanswered.size(),
                refusals.size(), lost, changed, adjustments.size(), adjustedGained, adjustmentsRedone, mismatched,
                members.size() + 1, inconsistent));
        if (stall != null) {
            say(String.format("    database stall: the connections the instances held stood still for %d s (%d server"
                            + " processes stopped between two transactions, as a hung database host or a fail-over"
                            + " that leaves them unanswered; %d caught inside a transaction woken again at once; the"
                            + " engines give up a read after %d s): %.1f sales/s before, %.1f/s in the first %d s,"
                            + " %.1f/s from then to the end of the stall, %d answers 503 meanwhile (sent again by the"
                            + " tills); at its end the engines still held %d of the stopped connections",
                    stall.seconds(), stall.stopped(), stall.woken(), stall.socketTimeout(), stall.before(),
                    stall.early() / (double) stall.settle(), stall.settle(),
                    stall.recovered() / (double) (stall.seconds() - stall.settle()), stall.unavailable(),
                    stall.stillHeld()));
        }
        refusals.stream().limit(3).forEach(line -> say("    refused: " + line));
        if (stall != null && (stall.stopped() == 0 || stall.recovered() == 0 || stall.stillHeld() > 0)) {
            fail("database stall: " + stall.stopped() + " connections stood still, the instances acknowledged "
                    + stall.recovered() + " sales from " + stall.settle() + " s into the stall to its end, and still"
                    + " held " + stall.stillHeld() + " of the stopped connections at its end");
        }
        if (lost + changed + mismatched + inconsistent + refusals.size() + unanswered.size() + unavailableWhileUp
                + otherWhileUp + adjustmentsRedone > 0 || acknowledgedWhileUp == 0 || adjustments.isEmpty()) {
            fail("connection drops: " + lost + " acknowledged sales lost, " + changed + " changed, " + mismatched
                    + " balances wrong, " + inconsistent + " ledgers inconsistent, " + refusals.size()
                    + " refused, " + unanswered.size() + " unanswered, " + adjustmentsRedone + " adjustments done"
                    + " again, " + unavailableWhileUp + " answers 503 and "
                    + otherWhileUp + " others sent again while the database was up");
        }
        if (emptyDrops > 0) {
            fail("connection drops: " + emptyDrops + " of " + drops + " drops ended fewer connections than there are"
                    + " instances");
        }
    }

    /**
     * What a database stall did: the server processes stopped, how long the connections stood still, the sales
     * acknowledged per second before it, in its first {@code settle} seconds and from then to its end.
     */
    private record Stall(int socketTimeout, int seconds, int settle, int stopped, int woken, int stillHeld,
                         double before, int early, int recovered, int unavailable) {
    }

    /**
     * The database goes silent on every connection the instances hold, without closing any, as a hung host or a
     * fail-over that moves the database's address leaves them: the server process of each is stopped with SIGSTOP
     * as soon as it is between two transactions (it holds no lock; one caught inside a transaction is woken at
     * once), for three times the engines' read limit ({@code socketTimeout}, {@code LOYALTY_DB_SOCKET_TIMEOUT}),
     * at least 45 s; processes are stopped during the
     * first {@code 2 × socketTimeout + 5} s only. The database itself stays up for new connections. A read on a
     * stopped connection would wait for ever, and the connection stay in the pool to be handed out again; the
     * engines must give it up after their read limit, run the transaction again on a new connection and sell on
     * while the old ones stand still, and hold none of them at the end. The stopped processes are woken and ended
     * afterwards.
     */
    private Stall stallDatabase(int socketTimeout, Map<String, Sale> acknowledged) throws Exception {
        int seconds = Math.max(45, 3 * socketTimeout);
        int settle = 2 * socketTimeout + 5;
        String backends = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <>"
                + " pg_backend_pid() AND backend_type = 'client backend'";
        Set<Integer> stopped = new java.util.TreeSet<>();
        int unavailableBefore = http.unavailableAnswers.get();
        try (Connection connection = database();
             Statement statement = connection.createStatement()) {
            int ackBefore = acknowledged.size();
            Thread.sleep(5_000);
            double before = (acknowledged.size() - ackBefore) / 5.0;
            Set<Integer> held = new java.util.HashSet<>(pids(statement, backends));
            int atStart = acknowledged.size();
            int atSettle = -1;
            int woken = 0;
            long start = System.nanoTime();
            try {
                for (long elapsed = 0; elapsed < seconds * 1_000L;
                     elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)) {
                    // Stopped until the settling time, so that each has a read limit and more left to be given up.
                    List<Integer> idle = elapsed >= settle * 1_000L ? List.of() : pids(statement, backends
                            + " AND state = 'idle'").stream()
                            .filter(held::contains).filter(pid -> !stopped.contains(pid)).toList();
                    if (!idle.isEmpty()) {
                        signal("STOP", idle);
                        // One handed out again before the signal came may be inside a transaction, holding locks
                        // (a stopped process never reaches the idle-in-transaction limit): woken at once, stopped
                        // next time it is idle.
                        List<Integer> inTransaction = inTransaction(statement, idle);
                        if (!inTransaction.isEmpty()) {
                            signal("CONT", inTransaction);
                            woken += inTransaction.size();
                        }
                        idle.stream().filter(pid -> !inTransaction.contains(pid)).forEach(stopped::add);
                    }
                    if (atSettle < 0 && elapsed >= settle * 1_000L) {
                        atSettle = acknowledged.size();
                    }
                    Thread.sleep(250);
                }
                held.retainAll(established());
                held.retainAll(stopped);
            } finally {
                if (!stopped.isEmpty()) {
                    signal("CONT", stopped);
                    statement.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN ("
                            + listed(stopped) + ")").close();
                }
            }
            return new Stall(socketTimeout, seconds, settle, stopped.size(), woken, held.size(), before,
                    atSettle - atStart, acknowledged.size() - atSettle,
                    http.unavailableAnswers.get() - unavailableBefore);
        }
    }

    /**
     * The database server's processes whose client connection is open at both ends ({@code ss}): a connection the
     * client gave up is half closed on the server's side until its process reads the end.
     */
    private Set<Integer> established() throws IOException, InterruptedException {
        java.util.regex.Matcher port = java.util.regex.Pattern.compile("//[^/:]+:(\\d+)/").matcher(options.get("jdbc",
                ""));
        Process ss = new ProcessBuilder("ss", "-tnpH", "state", "established", "( sport = :" + (port.find()
                ? port.group(1) : "5432") + " )").redirectErrorStream(true).start();
        String output = new String(ss.getInputStream().readAllBytes());
        require(ss.waitFor() == 0, "ss failed: " + output);
        Set<Integer> pids = new java.util.HashSet<>();
        java.util.regex.Matcher pid = java.util.regex.Pattern.compile("pid=(\\d+)").matcher(output);
        while (pid.find()) {
            pids.add(Integer.parseInt(pid.group(1)));
        }
        return pids;
    }

    /**
     * Those of the stopped processes that are inside a transaction, by the state they last reported. Not from
     * {@code pg_locks}: reading it takes the lock manager's locks, and a process stopped while taking a lock of its
     * own holds one of those until it is woken, so the read waited for ever (a run of the suite hung so, 17 min).
     * A process reports its state before it starts a transaction, so one that reads idle holds no lock. The read is
     * given up after 10 s (a process stopped while writing its state): then all are taken to be inside one.
     */
    private static List<Integer> inTransaction(Statement statement, List<Integer> stopped) throws SQLException {
        statement.setQueryTimeout(10);
        try {
            return pids(statement, "SELECT pid FROM pg_stat_activity WHERE pid IN (" + listed(stopped) + ")"
                    + " AND (state IS DISTINCT FROM 'idle' OR xact_start IS NOT NULL)");
        } catch (SQLException e) {
            return stopped;
        } finally {
            statement.setQueryTimeout(0);
        }
    }

    /** Numbers as an SQL list's items: "1, 2, 3". */
    private static String listed(java.util.Collection<? extends Number> numbers) {
        return numbers.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
    }

    private static List<Integer> pids(Statement statement, String query) throws SQLException {
        List<Integer> pids = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                pids.add(rows.getInt(1));
            }
        }
        return pids;
    }

    /** Sends a signal ({@code STOP}, {@code CONT}) to processes of the database server. */
    private static void signal(String signal, java.util.Collection<Integer> pids) throws IOException,
            InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(pid.toString()));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(kill.getInputStream().readAllBytes());
        // A process may have ended between the query and the signal (its connection closed).
        require(kill.waitFor() == 0 || output.contains("No such process"),
                "could not signal the database's processes (" + String.join(" ", command) + "): " + output);
    }

    /** The phases of the freeze check, by when a call was sent. */
    private static final String[] PHASES = {"before", "frozen, first 35 s", "frozen, after 35 s", "after"};

    /**
     * One instance freezes ({@code --freeze COMMAND}, such as {@code kill -STOP}) in the middle of a load, as a
     * stalled VM, a long pause or a network cut between it and the database does, then wakes up ({@code --thaw}).
     * Unlike a crash, its connections stay open and the transactions it had begun keep the member rows they locked.
     * Tills keep selling on both instances, as a load balancer that has not noticed yet sends them. The other
     * instance must keep serving: its sales of the few locked members are answered 503 {@code engine_busy} after the
     * database's lock time-out instead of waiting on (and filling its pool), and once the database has ended the
     * frozen instance's idle transactions (35 s in) it must answer every sale. After the thaw the frozen instance
     * serves again and the instances are one cluster again (within 150 s), and every sale is credited once.
     */
    void freeze() throws Exception {
        require(http.targets.size() > 1, "the freeze check needs two instances");
        require(options.has("freeze") && options.has("thaw") && options.has("jdbc"),
                "the freeze check needs --freeze and --thaw commands and --jdbc (the PostgreSQL database)");
        int before = quick ? 10 : 20;
        // The full run freezes for longer than Hazelcast's heartbeat time-out (60 s): the other instance drops the
        // frozen one, which wakes up as a cluster of its own and must be merged back.
        int frozen = quick ? 45 : 75;
        int after = quick ? 15 : 20;
        int terminals = quick ? 8 : 16;
        long release = 35;
        // As many members in the short run as in the full one: the frozen instance holds the rows of the few it was
        // selling to (1 to 6 seen), and among 40 their stalled sales alone could halve the other instance's rate in
        // the short freeze (one run: 4 held, 508.6 sales/s before, 243.4 while frozen, 675.6 once they were freed).
        List<Member> members = enrol(100, "freeze");
        Map<String, Long> start = balances(members);

        Map<String, Sale> acknowledged = new ConcurrentHashMap<>();
        Map<String, Sale> unanswered = new ConcurrentHashMap<>();
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        // [instance][phase][acknowledged, 503, no answer, other]
        AtomicInteger[][][] counts = new AtomicInteger[2][PHASES.length][4];
        for (AtomicInteger[][] instance : counts) {
            for (AtomicInteger[] phase : instance) {
                for (int i = 0; i < phase.length; i++) {
                    phase[i] = new AtomicInteger();
                }
            }
        }
        AtomicLong slowestWhileFrozen = new AtomicLong();
        java.util.concurrent.atomic.AtomicLongArray at = new java.util.concurrent.atomic.AtomicLongArray(
                new long[] {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE});
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < terminals; t++) {
            int terminal = t;
            int instance = t % 2;
            String target = http.targets.get(instance);
            Thread thread = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(2_000 + terminal);
                while (!stop.get()) {
                    Member member = members.get(random.nextInt(members.size()));
                    String receipt = "FZ-" + run + "-" + terminal + "-" + receipts.incrementAndGet();
                    Sale sale = new Sale(member, saleBody(member.card(), receipt, random));
                    long sent = System.nanoTime();
                    int phase = sent < at.get(0) ? 0 : sent < at.get(1) ? 1 : sent < at.get(2) ? 2 : 3;
                    Http.Reply reply;
                    try {
                        reply = http.send(java.net.http.HttpRequest.newBuilder(http.request(target, "POST",
                                "pos/transactions", sale.body, "X-Api-Key", KEY), (name, value) -> true)
                                .timeout(Duration.ofSeconds(10)).build());
                    } catch (Http.NoAnswer e) {
                        reply = null;
                    }
                    long took = System.nanoTime() - sent;
                    if (instance == 1 && phase > 0 && phase < 3) {
                        slowestWhileFrozen.accumulateAndGet(took, Math::max);
                    }
                    AtomicInteger[] count = counts[instance][phase];
                    if (reply != null && reply.ok()) {
                        sale.answer(reply);
                        acknowledged.put(receipt, sale);
                        count[0].incrementAndGet();
                    } else if (reply == null || reply.status() == 503) {
                        // As a till does: the sale waits in its journal, to be sent again later.
                        unanswered.put(receipt, sale);
                        count[reply == null ? 2 : 1].incrementAndGet();
                        Http.sleep(200);
                    } else {
                        refusals.add("sale on " + target + ": " + reply.status() + " " + reply.body());
                        count[3].incrementAndGet();
                    }
                }
            }, "till-" + t);
            thread.start();
            threads.add(thread);
        }

        long started = System.nanoTime();
        Thread.sleep(before * 1000L);
        // Frozen holding member rows: a freeze that caught no transaction past its member's lock (each takes
        // milliseconds) is undone and tried again, so that the check always meets the rows a frozen instance holds.
        int caught = 0;
        int tries = 0;
        long frozenAt = 0;
        while (caught == 0 && tries < 20) {
            tries++;
            frozenAt = System.nanoTime();
            require(run(options.get("freeze", "")) == 0, "command failed: " + options.get("freeze", ""));
            Thread.sleep(1_000);
            caught = holdingMemberLocks();
            if (caught == 0) {
                require(run(options.get("thaw", "")) == 0, "command failed: " + options.get("thaw", ""));
                Thread.sleep(2_000);
            }
        }
        double secondsBefore = (frozenAt - started) / 1e9;
        at.set(2, frozenAt + frozen * 1_000_000_000L);
        at.set(1, frozenAt + release * 1_000_000_000L);
        at.set(0, frozenAt);
        say("    froze one instance (" + options.get("freeze", "") + ") with " + caught + " transaction(s) holding"
                + " member rows, at try " + tries);
        Thread.sleep(9_000);
        int heldEarly = idleInTransaction(5_000);
        Thread.sleep((frozen - 12) * 1000L);
        int heldLate = idleInTransaction(5_000);
        Thread.sleep(2_000);
        require(run(options.get("thaw", "")) == 0, "command failed: " + options.get("thaw", ""));
        long thawed = System.nanoTime();
        Thread.sleep(after * 1000L);
        String health = health(http.targets.get(0));
        stopTills(stop, threads);
        // Frozen for longer than Hazelcast's heartbeat time-out (60 s), the instance was dropped by the other and
        // wakes up as a cluster of its own, until the cluster's merge joins the two again.
        Double rejoinedAfter = oneCluster(thawed, Duration.ofSeconds(150));

        Replays replays = replayAcknowledged(acknowledged.values());
        int lost = replays.lost();
        int changed = replays.changed();
        int creditedLate = resendUnanswered(unanswered.values());
        Map<String, Long> expected = pointsByCard(acknowledged.values(), unanswered.values());
        int mismatched = compareBalances(members, start, expected, "freeze");
        int inconsistent = ledgerChecks(members);

        double rateBefore = counts[1][0][0].get() / secondsBefore;
        double rateFrozen = (counts[1][1][0].get() + counts[1][2][0].get()) / (double) frozen;
        StringBuilder table = new StringBuilder();
        for (int instance = 0; instance < 2; instance++) {
            table.append(String.format("%n    %-8s", instance == 0 ? "frozen" : "other"));
            for (int phase = 0; phase < PHASES.length; phase++) {
                AtomicInteger[] count = counts[instance][phase];
                table.append(String.format("  %s: %d sold, %d 503, %d unanswered%s;", PHASES[phase], count[0].get(),
                        count[1].get(), count[2].get(), count[3].get() == 0 ? "" : ", " + count[3].get() + " other"));
            }
        }
        say(String.format("  freeze: %d tills selling to %d members on both instances; one instance frozen for %d s"
                        + " after %.0f s, then woken up for %d s (%s; %s). Sessions idle in a transaction for over 5 s:"
                        + " %d 10 s into the freeze, %d at its end. The other instance sold %.1f sales/s before,"
                        + " %.1f while the first was frozen (%.1f after 35 s; slowest answer %.1f s). Per instance"
                        + " and phase (by when the sale was sent):%s%n"
                        + "    %,d sales acknowledged, %d sent again afterwards (%d credited then or found), %d"
                        + " refused; %d acknowledged sales missing, %d changed; %d of %d balances differ from their"
                        + " sales; %d ledgers inconsistent", terminals, members.size(), frozen, secondsBefore, after,
                health,
                rejoinedAfter == null ? "NOT ONE CLUSTER AGAIN within 150 s"
                        : String.format("one cluster again %.0f s after the wake-up", rejoinedAfter),
                heldEarly, heldLate, rateBefore, rateFrozen, counts[1][2][0].get() / (double) (frozen - release),
                slowestWhileFrozen.get() / 1e9, table,
                acknowledged.size(), unanswered.size(), creditedLate, refusals.size(), lost, changed, mismatched,
                members.size(), inconsistent));
        refusals.stream().limit(3).forEach(line -> say("    refused: " + line));
        AtomicInteger[] lateOther = counts[1][2];
        if (lost + changed + mismatched + inconsistent + refusals.size() > 0 || creditedLate < unanswered.size()) {
            fail("freeze: " + lost + " acknowledged sales lost, " + changed + " changed, " + mismatched
                    + " balances wrong, " + inconsistent + " ledgers inconsistent, " + refusals.size() + " refused, "
                    + (unanswered.size() - creditedLate) + " never credited");
        }
        if (rateFrozen < rateBefore / 2) {
            fail(String.format("freeze: the other instance sold %.1f sales/s while one was frozen, %.1f before",
                    rateFrozen, rateBefore));
        }
        double rateLate = lateOther[0].get() / (double) (frozen - release);
        if (lateOther[1].get() + lateOther[2].get() > 0 || rateLate < rateBefore / 2) {
            fail(String.format("freeze: once the frozen instance's transactions were ended, the other instance sold"
                    + " %.1f sales/s (%.1f before) and left %d sales busy and %d unanswered", rateLate, rateBefore,
                    lateOther[1].get(), lateOther[2].get()));
        }
        if (caught == 0) {
            fail("freeze: no freeze in " + tries + " tries caught the instance holding a member's row");
        }
        // The locks of the frozen instance were met (some sales answered 503), and each such sale was answered
        // within the lock limit rather than after waiting for the database to end the frozen transactions (30 s).
        AtomicInteger[] earlyOther = counts[1][1];
        if (earlyOther[1].get() == 0 || earlyOther[2].get() > 0 || slowestWhileFrozen.get() > 8_000_000_000L) {
            fail(String.format("freeze: in its first 35 s the other instance answered %d sales 503, left %d"
                    + " unanswered, and its slowest answer took %.1f s (must be some, none, under 8 s)",
                    earlyOther[1].get(), earlyOther[2].get(), slowestWhileFrozen.get() / 1e9));
        }
        if (heldLate > 0) {
            fail("freeze: " + heldLate + " sessions still idle in their transactions at the end of the freeze");
        }
        if (rejoinedAfter == null) {
            fail("freeze: the instance woken up did not rejoin the cluster within 150 s");
        }
        if (counts[0][3][0].get() == 0 || !health.startsWith("back UP")) {
            fail("freeze: the instance woken up does not serve again (" + health + ", "
                    + counts[0][3][0].get() + " sales after)");
        }
    }

    /**
     * How many database sessions sit idle inside a transaction that has locked member rows ({@code SELECT ... FOR
     * UPDATE} takes a row-share lock on the table; a card look-up only an access-share one), and have for longer
     * than the other instance's transactions pause between two statements: asked a second after the freeze, it
     * counts the frozen instance's. (Without that, a sale the other instance was deciding at that moment counted
     * too: the freeze was kept though the frozen instance held no member, and the check then failed for finding
     * no lock at the other instance.)
     */
    private int holdingMemberLocks() throws SQLException {
        try (Connection connection = database();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(DISTINCT a.pid) FROM pg_stat_activity a"
                     + " JOIN pg_locks l ON l.pid = a.pid WHERE a.datname = current_database()"
                     + " AND a.state = 'idle in transaction' AND a.state_change < now() - interval '700 milliseconds'"
                     + " AND l.locktype = 'relation' AND l.relation = 'member'::regclass AND l.mode = 'RowShareLock'")) {
            result.next();
            return result.getInt(1);
        }
    }

    /** How many database sessions have sat idle inside a transaction for longer than the given milliseconds. */
    private int idleInTransaction(long millis) throws SQLException {
        try (Connection connection = database();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname"
                     + " = current_database() AND state = 'idle in transaction'"
                     + " AND state_change < now() - interval '" + millis + " milliseconds'")) {
            result.next();
            return result.getInt(1);
        }
    }

    /**
     * Seconds from {@code since} until every instance's health says the cluster has them all, or null when that
     * takes longer than {@code patience} (counted from {@code since}).
     */
    private Double oneCluster(long since, Duration patience) throws InterruptedException {
        String whole = "cluster of " + http.targets.size();
        while (true) {
            if (http.targets.stream().allMatch(target -> health(target).endsWith(whole))) {
                return (System.nanoTime() - since) / 1e9;
            }
            if (System.nanoTime() - since > patience.toNanos()) {
                return null;
            }
            Thread.sleep(1_000);
        }
    }

    private String health(String target) {
        try {
            Http.Reply reply = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(target
                    + "/health/ready")).timeout(Duration.ofSeconds(10)).build());
            String body = reply.body().replaceAll("\\s+", "");
            java.util.regex.Matcher members = java.util.regex.Pattern.compile("\"clusterMembers\":\"?(\\d+)")
                    .matcher(body);
            return "back " + (body.contains("\"status\":\"UP\"") ? "UP" : "NOT UP")
                    + (members.find() ? ", cluster of " + members.group(1) : "");
        } catch (Http.NoAnswer e) {
            return "no answer: " + e.getMessage();
        }
    }

    private void shell(String command) throws IOException, InterruptedException {
        require(!command.isBlank(), "--kill and --restart commands are needed for the crash check");
        require(run(command) == 0, "command failed: " + command);
    }

    /** Runs a shell command, its output on the suite's; answers its exit status. */
    private static int run(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("bash", "-c", command).inheritIO().start().waitFor();
    }

    // ---------------------------------------------------------------------------------------------- shared

    /**
     * A till's sale, sent as a till does ({@link Http#persist}) and sorted by its answer: acknowledged, refused
     * ({@code "sale: <status> <body>"}) or without an answer in {@code patience}. Answers whether it was
     * acknowledged.
     */
    private boolean sell(String receipt, Sale sale, Duration patience, Map<String, Sale> acknowledged,
                         Map<String, Sale> unanswered, List<String> refusals) {
        Http.Reply reply = http.persist("POST", "pos/transactions", sale.body, patience, "X-Api-Key", KEY);
        if (reply == null) {
            unanswered.put(receipt, sale);
        } else if (reply.ok()) {
            sale.answer(reply);
            acknowledged.put(receipt, sale);
            return true;
        } else {
            refusals.add("sale: " + reply.status() + " " + reply.body());
        }
        return false;
    }

    /** Of acknowledged sales sent again: how many were not found (no 200 replay) and how many changed transaction. */
    record Replays(int lost, int changed) {
    }

    /** Stops the tills' threads and waits for them to finish their last call. */
    private static void stopTills(AtomicBoolean stop, List<Thread> threads) throws InterruptedException {
        stop.set(true);
        for (Thread thread : threads) {
            thread.join(120_000);
        }
    }

    /**
     * Sends again, as a till's journal does, the sales that had no answer (or a 503); answers how many were then
     * credited or found recorded.
     */
    private int resendUnanswered(java.util.Collection<Sale> unanswered) {
        int answered = 0;
        for (Sale sale : unanswered) {
            Http.Reply reply = http.persist("POST", "pos/transactions", sale.body, Duration.ofSeconds(60), "X-Api-Key",
                    KEY);
            sale.answer(reply);
            answered += reply != null && reply.ok() ? 1 : 0;
        }
        return answered;
    }

    /** Every acknowledged sale must be found: sent again, it answers 200 with the same transaction. */
    private Replays replayAcknowledged(java.util.Collection<Sale> acknowledged) {
        int lost = 0;
        int changed = 0;
        for (Sale sale : acknowledged) {
            Http.Reply reply = http.persist("POST", "pos/transactions", sale.body, Duration.ofSeconds(60), "X-Api-Key",
                    KEY);
            if (reply == null || reply.status() != 200) {
                lost++;
            } else if (!sale.transactionIds.contains(reply.string("transactionId"))) {
                changed++;
            }
        }
        return new Replays(lost, changed);
    }

    /** The points each card's sales earned, over the groups of sales given. */
    @SafeVarargs
    private static Map<String, Long> pointsByCard(java.util.Collection<Sale>... groups) {
        Map<String, Long> points = new HashMap<>();
        for (java.util.Collection<Sale> group : groups) {
            for (Sale sale : group) {
                points.merge(sale.member.card(), sale.points, Long::sum);
            }
        }
        return points;
    }

    /** One sale as the till sends it, and what the engine answered to its copies. */
    private static final class Sale {
        final Member member;
        final String body;
        final Set<String> transactionIds = ConcurrentHashMap.newKeySet();
        final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        volatile long points;

        Sale(Member member, String body) {
            this.member = member;
            this.body = body;
        }

        String card() {
            return member.card();
        }

        void answer(Http.Reply reply) {
            if (reply == null) {
                return;
            }
            if (reply.ok()) {
                transactionIds.add(reply.string("transactionId"));
                points = reply.number("pointsEarned");
            } else {
                refusals.add(reply.status() + " " + reply.body());
            }
        }
    }

    record Member(String id, String card) {
    }

    String saleBody(String card, String receipt, SplittableRandom random) {
        return org.loyaltyengine.benchmarks.load.SaleBodies.sale(random, card, STORE, "T9", receipt, 5, 0).json();
    }

    List<Member> enrol(int count, String purpose) throws Exception {
        List<Member> members = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < count; i++) {
            int index = i;
            pool.execute(() -> {
                Http.Reply reply = http.persist("POST", "admin/programmes/DEMO/members", "{\"email\":\"" + purpose
                                + "-" + run + "-" + index + "@reliability.example\",\"firstName\":\"Reliability\","
                                + "\"lastName\":\"" + purpose + index + "\"}", Duration.ofSeconds(60),
                        "Authorization", "Bearer " + manager);
                if (reply != null && reply.status() == 201) {
                    members.add(new Member(reply.string("memberId"), reply.string("cardNumber")));
                } else {
                    failed.add(describe(reply));
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
        require(failed.isEmpty(), "enrolment failed: " + failed.stream().limit(3).toList());
        List<Member> sorted = new ArrayList<>(members);
        sorted.sort((a, b) -> a.card().compareTo(b.card()));
        return sorted;
    }

    long balance(Member member) throws Http.NoAnswer {
        Http.Reply reply = http.persist("GET", "pos/cards/" + member.card(), null, Duration.ofSeconds(60),
                "X-Api-Key", KEY);
        require(reply != null && reply.ok(), "card " + member.card() + ": " + (reply == null ? "no answer"
                : reply.body()));
        return reply.number("availablePoints") + reply.number("pendingPoints");
    }

    private Map<String, Long> balances(List<Member> members) throws Http.NoAnswer {
        Map<String, Long> balances = new LinkedHashMap<>();
        for (Member member : members) {
            balances.put(member.card(), balance(member));
        }
        return balances;
    }

    private int compareBalances(List<Member> members, Map<String, Long> start, Map<String, Long> expected,
                                String check) throws Http.NoAnswer {
        int mismatched = 0;
        for (Member member : members) {
            long gained = balance(member) - start.get(member.card());
            long points = expected.getOrDefault(member.card(), 0L);
            if (gained != points) {
                mismatched++;
                if (mismatched <= 3) {
                    say("    " + check + ": card " + member.card() + " gained " + gained + " points, its sales earned "
                            + points);
                }
            }
        }
        return mismatched;
    }

    /** The engine's own check: the ledger's entries, the lots and the debt agree. */
    private int ledgerChecks(List<Member> members) {
        int inconsistent = 0;
        for (Member member : members) {
            Http.Reply reply = http.persist("GET", "admin/members/" + member.id() + "/ledger-check", null,
                    Duration.ofSeconds(60), "Authorization", "Bearer " + manager);
            if (reply == null || !reply.ok() || !reply.json().getBoolean("consistent")) {
                inconsistent++;
                say("    ledger of " + member.id() + ": " + (reply == null ? "no answer" : reply.body()));
            }
        }
        return inconsistent;
    }

    // ------------------------------------------------------------------------------------- rule publication

    /** The rule the check publishes and rolls back: every base point earned once more. */
    static final String DOUBLE_POINTS = """
            package org.loyaltyengine.rules.reliability;

            import org.loyaltyengine.rules.decision.BasePoints;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "double-points"
            when
                BasePoints( $points : points, points > 0 )
            then
                insert( new PointsAward( "double-points", $points ) );
            end
            """;

    /**
     * A programme manager publishes a rule set on one instance, and the very next sale on every instance is decided
     * by it; a rollback on another instance is followed the same way. Runs on a programme of its own (the other
     * checks' sales earn by the demo's rules), in rounds: version 2 published on instance i, a sale at once on each
     * instance; rolled back to version 1 on instance i + 1, a sale at once on each instance. Every answer's points
     * and applied rules, and every ledger entry's rule set label, must be those of the version live when it was
     * sold.
     */
    void rulePublication() throws Exception {
        String admin = login("admin@demo.local", "admin-demo");
        String code = "RP" + run.toUpperCase();
        String[] staff = {"Authorization", "Bearer " + admin};
        Http.Reply created = http.persist("POST", "admin/programmes", "{\"code\":\"" + code + "\",\"name\":"
                + "\"Reliability rules " + code + "\",\"currency\":\"EUR\",\"pointsExpireAfterDays\":365,"
                + "\"pendingDays\":0}", Duration.ofSeconds(60), staff);
        require(created != null && created.status() == 201, "programme " + code + ": " + describe(created));
        Http.Reply issued = http.persist("POST", "admin/programmes/" + code + "/pos-keys", "{\"storeId\":\"P01\"}",
                Duration.ofSeconds(60), staff);
        require(issued != null && issued.ok(), "POS key: " + describe(issued));
        String[] till = {"X-Api-Key", issued.string("key")};
        Http.Reply enrolled = http.persist("POST", "admin/programmes/" + code + "/members", "{\"email\":\"rules-"
                + run + "@reliability.example\",\"firstName\":\"Rule\",\"lastName\":\"Publication\"}",
                Duration.ofSeconds(60), staff);
        require(enrolled != null && enrolled.status() == 201, "member: " + describe(enrolled));
        String card = enrolled.string("cardNumber");
        Http.Reply live = http.persist("GET", "admin/programmes/" + code + "/rules", null, Duration.ofSeconds(60),
                staff);
        require(live != null && live.ok(), "rules: " + describe(live));
        JsonArrayBuilder files = Json.createArrayBuilder();
        live.json().getJsonArray("files").getValuesAs(JsonObject.class).forEach(file -> files.add(Json
                .createObjectBuilder().add("path", file.getString("path")).add("content", file.getString("content"))));
        files.add(Json.createObjectBuilder().add("path", "earning/double-points.drl").add("content", DOUBLE_POINTS));
        Http.Reply saved = http.persist("PUT", "admin/programmes/" + code + "/rules", Json.createObjectBuilder()
                .add("comment", "Reliability: double points").add("files", files).build().toString(),
                Duration.ofSeconds(60), staff);
        require(saved != null && saved.status() == 201, "saving version 2: " + describe(saved));
        int draft = saved.json().getInt("version");

        int rounds = quick ? 3 : 10;
        int instances = http.targets.size();
        List<String> expected = new ArrayList<>();
        List<String> wrong = new ArrayList<>();
        List<Long> firstAfter = new ArrayList<>();
        int sold = 0;
        for (int round = 0; round < rounds; round++) {
            for (boolean publish : new boolean[] {true, false}) {
                String at = http.targets.get((round + (publish ? 0 : 1)) % instances);
                Http.Reply changed = publish
                        ? http.call(at, "POST", "admin/programmes/" + code + "/rules/publish", "{\"version\":" + draft
                                + ",\"comment\":\"round " + round + "\"}", staff)
                        : http.call(at, "POST", "admin/programmes/" + code + "/rules/rollback", "{\"comment\":\"round "
                                + round + "\"}", staff);
                long changedAt = System.nanoTime();
                require(changed.ok(), (publish ? "publish" : "rollback") + " on " + at + ": " + changed.body());
                int version = publish ? draft : 1;
                for (int i = 0; i < instances; i++) {
                    // Starting with an instance that did not make the change: it knows of it only from the
                    // programme's row (and the cluster's announcement, which may not have arrived yet).
                    String target = http.targets.get((round + (publish ? 1 : 2) + i) % instances);
                    Http.Reply sale = http.call(target, "POST", "pos/transactions", "{\"cardNumber\":\"" + card
                            + "\",\"storeId\":\"P01\",\"receiptId\":\"RP-" + run + "-" + receipts.incrementAndGet()
                            + "\",\"occurredAt\":\"" + OffsetDateTime.now(ZoneOffset.UTC).withNano(0)
                            + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"category\":\"beauty\","
                            + "\"quantity\":1,\"unitPrice\":\"40.00\"}]}", till);
                    if (i == 0) {
                        firstAfter.add((System.nanoTime() - changedAt) / 1_000_000);
                    }
                    sold++;
                    if (sale.status() != 201) {
                        wrong.add("sale on " + target + " after v" + version + " went live on " + at + ": "
                                + sale.status() + " " + sale.body());
                        continue;
                    }
                    long points = sale.number("pointsEarned");
                    boolean doubled = sale.json().getJsonArray("appliedRules").getValuesAs(JsonObject.class)
                            .stream().anyMatch(rule -> rule.getString("rule").equals("double-points"));
                    expected.add(code + " v" + version);
                    if (points != (publish ? 80 : 40) || doubled != publish) {
                        wrong.add("sale on " + target + " right after v" + version + " went live on " + at
                                + " earned " + points + " points" + (doubled ? " with" : " without")
                                + " double-points");
                    }
                }
            }
        }
        // The ledger says which version decided each earn: newest first.
        Http.Reply entries = http.persist("GET", "admin/members/" + enrolled.string("memberId")
                + "/transactions?size=" + Math.min(sold, 100), null, Duration.ofSeconds(60), staff);
        require(entries != null && entries.ok(), "ledger: " + describe(entries));
        List<String> labels = new ArrayList<>(entries.json().getJsonArray("items").getValuesAs(JsonObject.class)
                .stream().filter(entry -> entry.getString("kind").equals("EARN"))
                .map(entry -> entry.getString("ruleSet")).toList());
        Collections.reverse(labels);
        boolean ledgerAgrees = labels.equals(expected);
        firstAfter.sort(null);
        say(String.format("  rule publication: %d rounds over %d instance(s), version %d published on one and rolled"
                        + " back to 1 on the next; %d sales sold at once after each change, on every instance:"
                        + " %d decided by another version than the live one; first sale answered %d ms after the"
                        + " change (median; %d ms at most)%s; ledger labels %s", rounds, instances, draft, sold,
                wrong.size(), firstAfter.get(firstAfter.size() / 2), firstAfter.get(firstAfter.size() - 1),
                instances > 1 ? ", on another instance than the one changed" : "",
                ledgerAgrees ? "agree (" + labels.size() + " earns)" : "DIFFER: " + labels + " against " + expected));
        wrong.stream().limit(8).forEach(line -> say("    wrong: " + line));
        if (!wrong.isEmpty()) {
            fail("rule publication: " + wrong.size() + " sales not decided by the live version");
        }
        if (!ledgerAgrees) {
            fail("rule publication: the ledger's rule set labels differ from the versions live at each sale");
        }
        reusedCode(staff);
    }

    /**
     * A till's key revoked on one instance, after every instance has it in its cache of keys: the instance that
     * revoked it refuses it from the next call on, each other instance as soon as the cluster tells it (never later
     * than the cache's 30 s); nothing a refused call sends is recorded.
     */
    void keyRevocation() throws Exception {
        String manager = login("manager@demo.local", "manager-demo");
        String[] staff = {"Authorization", "Bearer " + manager};
        int rounds = quick ? 3 : 10;
        int instances = http.targets.size();
        List<String> wrong = new ArrayList<>();
        List<Long> othersRefused = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String store = "K" + (round % 10);
            Http.Reply issued = http.persist("POST", "admin/programmes/DEMO/pos-keys", "{\"storeId\":\"" + store
                    + "\",\"label\":\"reliability " + run + " " + round + "\"}", Duration.ofSeconds(60), staff);
            require(issued != null && issued.ok(), "POS key: " + describe(issued));
            String[] till = {"X-Api-Key", issued.string("key")};
            for (String target : http.targets) {
                Http.Reply known = http.call(target, "GET", "pos/rewards", null, till);
                require(known.status() == 200, "the new key on " + target + ": " + known.status() + " " + known.body());
            }
            Http.Reply keys = http.persist("GET", "admin/programmes/DEMO/pos-keys", null, Duration.ofSeconds(60),
                    staff);
            require(keys != null && keys.ok(), "POS keys: " + describe(keys));
            String label = "reliability " + run + " " + round;
            long keyId = Json.createReader(new java.io.StringReader(keys.body())).readArray().getValuesAs(JsonObject.class)
                    .stream().filter(key -> label.equals(key.getString("label", null)))
                    .mapToLong(key -> key.getJsonNumber("keyId").longValue()).findFirst().orElseThrow();
            String at = http.targets.get(round % instances);
            Http.Reply revoked = http.call(at, "POST", "admin/programmes/DEMO/pos-keys/" + keyId + "/revoke", null,
                    staff);
            require(revoked.ok(), "revoke on " + at + ": " + revoked.status() + " " + revoked.body());
            long revokedAt = System.nanoTime();
            Http.Reply here = http.call(at, "GET", "pos/rewards", null, till);
            if (here.status() != 401) {
                wrong.add("the instance that revoked the key answered " + here.status() + " to it at once");
            }
            for (int i = 1; i < instances; i++) {
                String other = http.targets.get((round + i) % instances);
                long waited = -1;
                while ((System.nanoTime() - revokedAt) < Duration.ofSeconds(35).toNanos()) {
                    Http.Reply there = http.call(other, "GET", "pos/rewards", null, till);
                    if (there.status() == 401) {
                        waited = (System.nanoTime() - revokedAt) / 1_000_000;
                        break;
                    }
                    Thread.sleep(20);
                }
                if (waited < 0) {
                    wrong.add(other + " still took the key 35 s after it was revoked on " + at);
                } else {
                    othersRefused.add(waited);
                }
            }
        }
        othersRefused.sort(null);
        say(String.format("  key revocation: %d till keys, each used on every one of %d instance(s) then revoked on"
                        + " one: refused by it from the next call %s%s", rounds, instances,
                wrong.isEmpty() ? "every time" : "NOT every time",
                othersRefused.isEmpty() ? "" : String.format("; by the other instance after %d ms (median; %d ms at"
                        + " most)", othersRefused.get(othersRefused.size() / 2),
                        othersRefused.get(othersRefused.size() - 1))));
        wrong.stream().limit(8).forEach(line -> say("    wrong: " + line));
        if (!wrong.isEmpty()) {
            fail("key revocation: " + wrong.size() + " revoked key(s) still taken");
        }
        if (!othersRefused.isEmpty() && othersRefused.get(othersRefused.size() - 1) > 5_000) {
            fail("key revocation: the other instance took a revoked key for " + othersRefused.get(
                    othersRefused.size() - 1) + " ms: the cluster's news did not reach it");
        }
    }

    /**
     * A programme created by mistake is deleted, and its code given at once to a new one: every instance serves the
     * new programme its own version 2, never the deleted one's version 2, which each instance had compiled.
     */
    private void reusedCode(String[] staff) throws Exception {
        String code = "RD" + run.toUpperCase();
        String definition = "{\"code\":\"" + code + "\",\"name\":\"Reliability reuse\",\"currency\":\"EUR\","
                + "\"pointsExpireAfterDays\":365,\"pendingDays\":0}";
        String first = http.targets.get(0);
        require(http.call(first, "POST", "admin/programmes", definition, staff).status() == 201, "programme " + code);
        publishWith(first, code, "double-points", DOUBLE_POINTS, staff);
        Thread.sleep(6_000); // every instance follows the deleted programme's version 2 (a check every 5 s)
        Http.Reply deleted = http.call(first, "DELETE", "admin/programmes/" + code, null, staff);
        require(deleted.status() == 204, "deleting " + code + ": " + deleted.status() + " " + deleted.body());
        long freed = System.nanoTime();
        require(http.call(first, "POST", "admin/programmes", definition, staff).status() == 201, "again " + code);
        Http.Reply issued = http.call(first, "POST", "admin/programmes/" + code + "/pos-keys", "{\"storeId\":\"P01\"}",
                staff);
        require(issued.ok(), "POS key: " + issued.body());
        Http.Reply enrolled = http.call(first, "POST", "admin/programmes/" + code + "/members", "{\"email\":\"reuse-"
                + run + "@reliability.example\",\"firstName\":\"Re\",\"lastName\":\"Use\"}", staff);
        require(enrolled.status() == 201, "member: " + enrolled.body());
        publishWith(first, code, "renewed-bonus", DOUBLE_POINTS.replace("double-points", "renewed-bonus"), staff);
        List<String> wrong = new ArrayList<>();
        for (String target : http.targets) {
            Http.Reply sale = http.call(target, "POST", "pos/transactions", "{\"cardNumber\":\""
                    + enrolled.string("cardNumber") + "\",\"storeId\":\"P01\",\"receiptId\":\"RD-" + run + "-"
                    + receipts.incrementAndGet() + "\",\"occurredAt\":\"" + OffsetDateTime.now(ZoneOffset.UTC)
                    .withNano(0) + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\",\"category\":\"beauty\","
                    + "\"quantity\":1,\"unitPrice\":\"40.00\"}]}", "X-Api-Key", issued.string("key"));
            List<String> rules = sale.status() != 201 ? List.of() : sale.json().getJsonArray("appliedRules")
                    .getValuesAs(JsonObject.class).stream().map(rule -> rule.getString("rule")).toList();
            if (sale.status() != 201 || !rules.contains("renewed-bonus") || rules.contains("double-points")) {
                wrong.add(target + ": " + sale.status() + " " + (rules.isEmpty() ? sale.body() : rules));
            }
        }
        say(String.format("  a deleted programme's code reused: the new programme's version 2 published %d ms after"
                        + " the delete; %d sale(s), one per instance: %d decided by the deleted programme's rules",
                (System.nanoTime() - freed) / 1_000_000, http.targets.size(), wrong.size()));
        wrong.forEach(line -> say("    wrong: " + line));
        if (!wrong.isEmpty()) {
            fail("rule publication: a reused programme code was served another programme's rules");
        }
    }

    /** Saves the programme's live rules with one file more and publishes them, on one instance. */
    private void publishWith(String target, String code, String name, String drl, String[] staff) throws Exception {
        Http.Reply live = http.call(target, "GET", "admin/programmes/" + code + "/rules", null, staff);
        require(live.ok(), "rules: " + live.body());
        JsonArrayBuilder files = Json.createArrayBuilder();
        live.json().getJsonArray("files").getValuesAs(JsonObject.class).forEach(file -> files.add(Json
                .createObjectBuilder().add("path", file.getString("path")).add("content", file.getString("content"))));
        files.add(Json.createObjectBuilder().add("path", "earning/" + name + ".drl").add("content", drl));
        Http.Reply saved = http.call(target, "PUT", "admin/programmes/" + code + "/rules", Json.createObjectBuilder()
                .add("comment", name).add("files", files).build().toString(), staff);
        require(saved.status() == 201, "saving " + name + ": " + saved.body());
        Http.Reply published = http.call(target, "POST", "admin/programmes/" + code + "/rules/publish", "{\"version\":"
                + saved.json().getInt("version") + "}", staff);
        require(published.ok(), "publishing " + name + ": " + published.body());
    }

    // ---------------------------------------------------------------------------------------------- scheduled jobs

    /**
     * The scheduled jobs over the whole run (the engines run the expiry and the tier reviews every few seconds,
     * {@code LOYALTY_JOBS_*} in reliability.sh, {@code --job-every} here), read from the jobs' journal ({@code GET
     * /admin/jobs}): each period's run happened once, on one instance, whatever the checks did to the instances
     * meanwhile (a kill, a freeze, lost connections), and the periods went on being run; after a kill or a freeze,
     * by both instances. No run is left {@code RUNNING} once its instance began a later run of the job. On
     * PostgreSQL, the expiry's own records say the same: each programme expired once per run, and never outside a
     * run of the journal; and runs left unfinished by an earlier life of each instance (written here, or before
     * the connection drops when those come just before, as a kill in the middle of a run leaves them) are marked
     * {@code ABANDONED} by that instance's next run of the job, and on a cluster those of an instance that is gone
     * from it (never to come back) by the next run of either instance.
     */
    void scheduledJobs() throws Exception {
        boolean outage = ran.contains("crash") || ran.contains("freeze");
        long every = Duration.parse(options.get("job-every", "PT10S")).toMillis();
        // Run alone (or after short checks), the check first lets six periods go by.
        long wait = started.plusMillis(6 * every).toEpochMilli() - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        List<Long> unfinished = this.unfinished != null ? this.unfinished
                : options.has("jdbc") ? leaveRunsUnfinished() : List.of();
        for (String job : List.of("expiry", "tier-review")) {
            Http.Reply reply = http.persist("GET", "admin/jobs?job=" + job + "&limit=500&since=" + started, null,
                    Duration.ofSeconds(60), "Authorization", "Bearer " + manager);
            require(reply != null && reply.ok(), "jobs: " + describe(reply));
            List<JsonObject> ofJob = Json.createReader(new java.io.StringReader(reply.body())).readArray()
                    .getValuesAs(JsonObject.class);
            Map<String, Integer> perPeriod = new TreeMap<>();
            Map<String, Integer> perInstance = new TreeMap<>();
            Map<String, Integer> outcomes = new TreeMap<>();
            for (JsonObject run : ofJob) {
                perPeriod.merge(run.getString("period"), 1, Integer::sum);
                perInstance.merge(run.getString("instance"), 1, Integer::sum);
                outcomes.merge(run.getString("outcome"), 1, Integer::sum);
            }
            long twice = perPeriod.values().stream().filter(count -> count > 1).count();
            // The journal lists newest first: a run still RUNNING below a later run of its instance was left so.
            Set<String> laterBegun = new java.util.HashSet<>();
            long leftRunning = 0;
            for (JsonObject run : ofJob) {
                if (run.getString("outcome").equals("RUNNING") && laterBegun.contains(run.getString("instance"))) {
                    leftRunning++;
                }
                laterBegun.add(run.getString("instance"));
            }
            // The periods from the first run to the last that nobody ran, besides those while no engine was up.
            List<Instant> unrun = new ArrayList<>();
            long periods = 0;
            if (!ofJob.isEmpty()) {
                Instant last = Instant.parse(ofJob.get(0).getString("period"));
                for (Instant period = Instant.parse(ofJob.get(ofJob.size() - 1).getString("period"));
                     !period.isAfter(last); period = period.plusMillis(every)) {
                    Instant at = period;
                    if (perPeriod.containsKey(at.toString())) {
                        periods++;
                    } else if (engineDown.stream().noneMatch(down -> !at.isBefore(down[0]) && !at.isAfter(down[1]))) {
                        periods++;
                        unrun.add(at);
                    }
                }
            }
            say(String.format("  scheduled jobs, %s: %d periods of %d s from the first run to the last%s, %d of them"
                            + " left unrun%s; %d periods run more than once; runs by instance %s; %s; %d left"
                            + " RUNNING after their instance's next run", job, periods,
                    every / 1000, engineDown.isEmpty() ? "" : " (those unrun while the engine was down left out)",
                    unrun.size(), unrun.isEmpty() ? "" : " " + unrun.stream().limit(8).map(Instant::toString).toList(),
                    twice, perInstance, outcomes, leftRunning));
            if (twice > 0) {
                fail("scheduled jobs: " + twice + " periods of " + job + " run more than once");
            }
            if (leftRunning > 0) {
                fail("scheduled jobs: " + leftRunning + " runs of " + job + " still RUNNING although their instance"
                        + " began a later one");
            }
            // A period claimed by the instance that was then killed or frozen is left to the next one: a few.
            if (perPeriod.size() < 3 || unrun.size() > 3 + periods / 10) {
                fail("scheduled jobs: " + job + " left " + unrun.size() + " of " + periods + " periods unrun");
            }
            if (http.targets.size() > 1 && outage && perInstance.size() < 2) {
                fail("scheduled jobs: only " + perInstance.keySet() + " ran " + job + ", though another instance was"
                        + " down or frozen for a while");
            }
        }
        if (options.has("jdbc")) {
            expiriesWithinTheirRuns();
            unfinishedRunsAbandoned(unfinished, every);
        }
    }

    /**
     * Writes, for each instance that ran jobs in this run and each of the two jobs, a run {@code RUNNING} as a kill
     * in the middle of a run leaves it: begun an hour before the suite (so the listing since the suite's start
     * leaves it out), for a period a day back (so it takes no period of this run). On a cluster, also one of an
     * instance no member of the cluster answers to, as one killed and never started again leaves it.
     *
     * @return the runs' ids
     */
    private List<Long> leaveRunsUnfinished() throws SQLException {
        unfinishedWritten = Instant.now();
        List<Long> ids = new ArrayList<>();
        java.time.LocalDateTime before = java.time.LocalDateTime.ofInstant(started, ZoneOffset.UTC);
        try (Connection connection = database();
             Statement statement = connection.createStatement()) {
            List<String> instances = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT DISTINCT instance FROM job_run WHERE started_at >= '"
                    + before + "' ORDER BY instance")) {
                while (rows.next()) {
                    instances.add(rows.getString(1));
                }
            }
            if (http.targets.size() > 1) {
                instances.add(GONE_INSTANCE);
            }
            try (java.sql.PreparedStatement insert = connection.prepareStatement("INSERT INTO job_run (job,"
                    + " period_start, instance, started_at, outcome) VALUES (?, ?, ?, ?, 'RUNNING')",
                    new String[] {"id"})) {
                for (String instance : instances) {
                    for (String job : List.of("expiry", "tier-review")) {
                        insert.setString(1, job);
                        insert.setObject(2, before.minusDays(1).plusSeconds(ids.size()));
                        insert.setString(3, instance);
                        insert.setObject(4, before.minusHours(1));
                        insert.executeUpdate();
                        try (ResultSet key = insert.getGeneratedKeys()) {
                            key.next();
                            ids.add(key.getLong(1));
                        }
                    }
                }
            }
        }
        return ids;
    }

    /** The name of an instance that never was in the cluster, whose unfinished runs the others must mark. */
    private static final String GONE_INSTANCE = "reliability-instance-gone";

    /**
     * The runs {@link #leaveRunsUnfinished} wrote are marked ABANDONED by their instances' next runs, those of the
     * instance gone from the cluster by the others'.
     */
    private void unfinishedRunsAbandoned(List<Long> ids, long every) throws Exception {
        if (ids.isEmpty()) {
            return;
        }
        // Each instance takes a share of the periods, not always an even one (a fifth in one short run): within 36
        // periods, each ran each job unless something is off (0.8^36: 3 chances in 10,000 to miss by bad luck).
        Instant deadline = unfinishedWritten.plusMillis(36 * every);
        String query = "SELECT instance, outcome, finished_at FROM job_run WHERE id IN ("
                + listed(ids) + ")";
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> gone = new TreeMap<>();
        // The last mark's time (the run's end the marking instance wrote): how soon they were marked, where the
        // time of this read also counts the check's reads of the journal before it.
        Instant lastMarked = null;
        try (Connection connection = database();
             Statement statement = connection.createStatement()) {
            for (int read = 0; outcomes.getOrDefault("ABANDONED", 0) < ids.size() && Instant.now().isBefore(deadline);
                 read++) {
                Thread.sleep(read == 0 ? 0 : 500);
                outcomes.clear();
                gone.clear();
                lastMarked = null;
                try (ResultSet rows = statement.executeQuery(query)) {
                    while (rows.next()) {
                        outcomes.merge(rows.getString(2), 1, Integer::sum);
                        if (rows.getString(2).equals("ABANDONED") && rows.getObject(3) != null) {
                            Instant marked = utc(rows, 3);
                            lastMarked = lastMarked == null || marked.isAfter(lastMarked) ? marked : lastMarked;
                        }
                        if (rows.getString(1).equals(GONE_INSTANCE)) {
                            gone.merge(rows.getString(2), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        say(String.format("    runs left unfinished by an earlier life of each instance%s: %d written, then %s%s;"
                        + " read %.1f s after they were written%s%s", gone.isEmpty() ? ""
                        : " and by an instance gone from the cluster", ids.size(), outcomes, lastMarked == null ? ""
                        : String.format(", the last marked %.1f s after they were written",
                        Duration.between(unfinishedWritten, lastMarked).toMillis() / 1e3),
                Duration.between(unfinishedWritten, Instant.now()).toMillis() / 1e3, gone.isEmpty() ? "" : " (the gone instance's: " + gone + ")",
                this.unfinished != null ? " (written before the connection drops, read first after them)" : ""));
        if (outcomes.getOrDefault("ABANDONED", 0) != ids.size()) {
            fail("scheduled jobs: runs left unfinished were not all marked ABANDONED by the next runs: " + outcomes
                    + (gone.isEmpty() ? "" : ", those of the instance gone from the cluster " + gone));
        }
    }

    /**
     * The expiry's records of the scheduled runs ({@code expiry_run}, one per programme each time it runs): each
     * falls within one run of the journal, and no run expired a programme twice.
     */
    private void expiriesWithinTheirRuns() throws SQLException {
        List<Instant[]> windows = new ArrayList<>();
        Map<Long, List<Instant>> expiries = new TreeMap<>();
        try (Connection connection = database();
             Statement statement = connection.createStatement()) {
            String since = "'" + java.time.LocalDateTime.ofInstant(started, ZoneOffset.UTC) + "'";
            try (ResultSet rows = statement.executeQuery("SELECT started_at, COALESCE(finished_at, started_at"
                    + " + INTERVAL '1 minute') FROM job_run WHERE job = 'expiry' AND started_at >= " + since
                    + " ORDER BY started_at")) {
                while (rows.next()) {
                    windows.add(new Instant[] {utc(rows, 1), utc(rows, 2)});
                }
            }
            try (ResultSet rows = statement.executeQuery("SELECT programme_id, started_at FROM expiry_run"
                    + " WHERE actor = 'system/expiry-schedule' AND started_at >= " + since)) {
                while (rows.next()) {
                    expiries.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>()).add(utc(rows, 2));
                }
            }
        }
        int outside = 0;
        int twice = 0;
        int count = 0;
        for (List<Instant> ofProgramme : expiries.values()) {
            count += ofProgramme.size();
            RunsOfRecords.Unmatched unmatched = RunsOfRecords.match(windows, ofProgramme);
            outside += unmatched.outside();
            twice += unmatched.twice();
        }
        say(String.format("    the expiry's own records: %,d programme expiries by the schedule in %d journal runs, %d"
                + " outside any run, %d more than the runs containing them could have written (a programme expired twice in"
                + " one run)", count, windows.size(), outside, twice));
        if (outside > 0 || twice > 0) {
            fail("scheduled jobs: the expiry ran outside the journal's runs (" + outside + ") or twice in one ("
                    + twice + ")");
        }
    }

    private static Instant utc(ResultSet rows, int column) throws SQLException {
        return rows.getObject(column, java.time.LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    /** A connection to the instances' database ({@code --jdbc}, {@code --jdbc-user}, {@code --jdbc-password}). */
    private Connection database() throws SQLException {
        return DriverManager.getConnection(options.get("jdbc", ""), options.get("jdbc-user", "postgres"),
                options.get("jdbc-password", ""));
    }

    /** An answer in a failure message: its status and body, or that none came. */
    private static String describe(Http.Reply reply) {
        return reply == null ? "no answer" : reply.status() + " " + reply.body();
    }

    String login(String email, String password) throws Http.NoAnswer {
        Http.Reply reply = http.persist("POST", "auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password
                + "\"}", Duration.ofSeconds(60));
        require(reply != null && reply.ok(), "login " + email + ": " + (reply == null ? "no answer" : reply.body()));
        return reply.string("token");
    }

    private void say(String line) {
        System.out.println(line);
        System.out.flush();
        report.append(line).append('\n');
    }

    private void fail(String failure) {
        failures.add(failure);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
