package org.loyaltyengine.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.loyaltyengine.benchmarks.data.Options;

/**
 * Plays many tills at once against running engine instances, the way tills work: each terminal waits for the
 * answer before its next call (a closed loop), on its own kept-alive connection ({@link TillConnection}). The
 * mix, per call: 15 % card look-ups, 10 % quotes, 65 % sales of 1 to 20 lines (one in ten paying 5 points, on
 * cards that earned in this run), 10 % returns of a line of the terminal's last sale ({@code --mix lookups}: card
 * look-ups only). Members are enrolled first (a pool of cards, so that terminals rarely wait on one member's
 * lock, as in a real chain), or with {@code --cards synthetic:N} the cards of SyntheticData's first N members are
 * used. Terminals are spread over the instances given.
 *
 * <p>Then the same terminals call the bare endpoint ({@code POST /pos/bench/insert}: one insert and commit in
 * the same server and database) for the same time, and the ratio of the two rates is reported. Results, with
 * latency percentiles per call, errors, and the servers' CPU time and peak resident memory (from /proc, for the
 * process ids given), are appended to the results file.
 *
 * <p>Each phase is measured only once the servers are warm: after {@code --warmup} seconds the terminals go on
 * until the servers' JIT compiler threads used less than a quarter of a core over the last slice, up to
 * {@code --warmup-max} seconds. On two cores a fresh Payara keeps a core compiling for minutes, and a figure
 * taken meanwhile measures the compiler more than the engine. The results say how long the warm-up took and how
 * much CPU the compilers still took while measuring.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.loyaltyengine.benchmarks.load.LoadDriver \
 *   --targets http://127.0.0.1:8080 --terminals 32 --seconds 60 --warmup 15 --pids 12345 \
 *   --label "1 instance, Derby" --results benchmarks/results/load.txt
 * </pre>
 */
public final class LoadDriver {

    enum Call { LOOKUP, QUOTE, SALE, RETURN, BARE, ADAPTER_SALE }

    private static final Pattern STRING_FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*\"([^\"]*)\"");

    private final List<String> targets;
    private final String key;
    private final String store;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).executor(Executors.newCachedThreadPool()).build();
    private final List<String> cards = new ArrayList<>();
    private final Set<String> earned = ConcurrentHashMap.newKeySet();
    private final AtomicLong receipts = new AtomicLong(System.currentTimeMillis() * 1000);
    /** Card look-ups only ({@code --mix lookups}): what a balance check costs on a big database. */
    private boolean lookupsOnly;
    /** Tills running the POS adapter beside the terminals ({@code --adapter-tills N}), one sale a second each. */
    private int adapterTills;

    LoadDriver(List<String> targets, String key, String store) {
        this.targets = targets;
        this.key = key;
        this.store = store;
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        List<String> targets = List.of(options.get("targets", "http://127.0.0.1:8080").split(","));
        int terminals = Integer.parseInt(options.get("terminals", "32"));
        int seconds = Integer.parseInt(options.get("seconds", "60"));
        int warmup = Integer.parseInt(options.get("warmup", "15"));
        int warmupMax = Integer.parseInt(options.get("warmup-max", String.valueOf(Math.max(warmup, 600))));
        int members = Integer.parseInt(options.get("members", "2000"));
        String phases = options.get("phases", "sales,bare");
        Path results = Path.of(options.get("results", "benchmarks/results/load.txt"));
        List<Long> pids = options.has("pids") ? Arrays.stream(options.get("pids", "").split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).map(Long::parseLong).toList() : List.of();
        LoadDriver driver = new LoadDriver(targets, options.get("key", "demo-pos-S001"),
                options.get("store", "S001"));
        driver.lookupsOnly = options.get("mix", "tills").equals("lookups");
        driver.adapterTills = Integer.parseInt(options.get("adapter-tills", "0"));
        String cardSource = options.get("cards", "enrol");
        if (cardSource.startsWith("synthetic:")) {
            // The members of SyntheticData (benchmarks/knowledge.sh, benchmarks/lookups.sh): no enrolment.
            long count = Long.parseLong(cardSource.substring("synthetic:".length()).replace("_", ""));
            for (long m = 0; m < count; m++) {
                driver.cards.add(org.loyaltyengine.benchmarks.data.SyntheticData.cardNumber(m));
            }
            members = (int) count;
        } else {
            driver.enrol(members, options.get("manager", "manager@demo.local:manager-demo"),
                    options.get("programme", "DEMO"));
        }
        StringBuilder report = new StringBuilder();
        Instant started = Instant.now();
        Result sales = null;
        String warmedFor = "";
        if (phases.contains("sales")) {
            warmedFor = driver.warmUp(terminals, warmup, warmupMax, false, pids);
            sales = driver.run(terminals, seconds, false, pids);
        }
        report.append(String.format("%n== %s  %s  %d terminal(s) over %s, %d s (after %s), %d members%n",
                started, options.get("label", ""), terminals, targets, seconds, warmedFor, members));
        if (sales != null) {
            report.append(sales.describe("mix"));
        }
        if (phases.contains("bare")) {
            String bareWarmedFor = driver.warmUp(terminals, Math.min(warmup, 5), warmupMax, true, pids);
            Result bare = driver.run(terminals, seconds, true, pids);
            report.append(String.format("  (bare insert after %s)%n", bareWarmedFor));
            report.append(bare.describe("bare insert"));
            if (sales != null) {
                report.append(String.format("  sales per second / bare inserts per second = %.0f / %.0f = %.2f%n",
                        sales.rate(Call.SALE), bare.rate(Call.BARE), sales.rate(Call.SALE) / bare.rate(Call.BARE)));
            }
        }
        System.out.print(report);
        if (results.getParent() != null) {
            Files.createDirectories(results.getParent());
        }
        Files.writeString(results, report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.exit(0);
    }

    /** Enrols the card pool through the back-office API of the first target. */
    void enrol(int count, String manager, String programme) throws Exception {
        String[] credentials = manager.split(":", 2);
        HttpResponse<String> login = client.send(HttpRequest.newBuilder(URI.create(targets.get(0)
                        + "/api/v1/auth/login")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + credentials[0] + "\",\"password\":\""
                        + credentials[1] + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        String token = field(login.body(), "token");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        String run = Long.toString(System.currentTimeMillis(), 36);
        AtomicInteger failed = new AtomicInteger();
        for (int i = 0; i < count; i++) {
            int index = i;
            pool.execute(() -> {
                try {
                    HttpRequest enrolment = HttpRequest.newBuilder(URI.create(targets.get(index % targets.size())
                                    + "/api/v1/admin/programmes/" + programme + "/members"))
                            .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"load-" + run + "-" + index
                                    + "@bench.example\",\"firstName\":\"Load\",\"lastName\":\"Till" + index + "\"}"))
                            .build();
                    HttpResponse<String> enrolled = client.send(enrolment, HttpResponse.BodyHandlers.ofString());
                    // 503 engine_busy: nothing was recorded, send again (as the contract says).
                    for (int attempt = 1; enrolled.statusCode() == 503 && attempt < 5; attempt++) {
                        Thread.sleep(50L * attempt);
                        enrolled = client.send(enrolment, HttpResponse.BodyHandlers.ofString());
                    }
                    if (enrolled.statusCode() == 201) {
                        synchronized (cards) {
                            cards.add(field(enrolled.body(), "cardNumber"));
                        }
                    } else {
                        failed.incrementAndGet();
                    }
                } catch (IOException | InterruptedException e) {
                    failed.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        if (cards.isEmpty()) {
            throw new IllegalStateException("No member could be enrolled (" + failed + " failures): is the engine up"
                    + " with the demo programme?");
        }
        System.out.printf("Enrolled %,d members (%d failed)%n", cards.size(), failed.get());
    }

    /** The cards enrolled so far. */
    List<String> cards() {
        return cards;
    }

    /** A slice of the warm-up after its minimum: the servers are warm when the compilers rested in one. */
    static final int WARMUP_SLICE_SECONDS = 10;

    /** Below this share of a core spent compiling over a slice, the servers are taken as warm. */
    static final double WARM_COMPILER_CORES = 0.25;

    /**
     * Runs the terminals for at least {@code minimum} seconds, then on by slices until the servers' JIT
     * compilers rest (or {@code maximum} seconds have passed).
     *
     * @return how the warm-up went, for the results
     */
    String warmUp(int terminals, int minimum, int maximum, boolean bare, List<Long> pids) throws InterruptedException {
        Result last = run(terminals, minimum, bare, pids);
        int elapsed = minimum;
        // Judged on slices only: the minimum's average hides a compiler still busy at its end.
        boolean judged = false;
        while (!pids.isEmpty() && (!judged || last.compilerSeconds / last.seconds >= WARM_COMPILER_CORES)
                && elapsed + WARMUP_SLICE_SECONDS <= maximum) {
            judged = true;
            last = run(terminals, WARMUP_SLICE_SECONDS, bare, pids);
            elapsed += WARMUP_SLICE_SECONDS;
        }
        return pids.isEmpty() ? elapsed + " s warm-up" : String.format("%d s warm-up, JIT at %.2f cores in its last"
                + " %d s", elapsed, last.compilerSeconds / last.seconds, last.seconds);
    }

    /** Runs the terminals for a while; the bare phase calls the yardstick endpoint only. */
    Result run(int terminals, int seconds, boolean bare, List<Long> pids) throws InterruptedException {
        Result result = new Result(seconds, pids);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int adapters = bare ? 0 : adapterTills;
        CountDownLatch done = new CountDownLatch(terminals + adapters);
        ServerSampler sampler = new ServerSampler(pids);
        sampler.start();
        for (int t = 0; t < adapters; t++) {
            int till = t;
            Thread thread = new Thread(() -> {
                try {
                    adapterTill(till, end, result);
                } finally {
                    done.countDown();
                }
            }, "adapter-till-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        for (int t = 0; t < terminals; t++) {
            int terminal = t;
            Thread thread = new Thread(() -> {
                try {
                    terminal(terminal, end, bare, result);
                } finally {
                    done.countDown();
                }
            }, "terminal-" + t);
            thread.setDaemon(true);
            thread.start();
        }
        done.await();
        sampler.stop(result);
        return result;
    }

    /**
     * A till running the POS adapter ({@code pos-adapter}'s {@link org.loyaltyengine.pos.Till}, as the till-side
     * program runs it: JSON built, journal checked, engine called within its budget): the cashier's round trip of a
     * sale of 1 to 20 lines, one every second, while the terminals load the engine.
     */
    private void adapterTill(int till, long end, Result result) {
        SplittableRandom random = new SplittableRandom(till * 31L + System.nanoTime());
        org.loyaltyengine.pos.Till adapter;
        try {
            java.nio.file.Path journal = Files.createTempFile("load-adapter", ".jsonl");
            Files.delete(journal);
            adapter = new org.loyaltyengine.pos.Till(new org.loyaltyengine.pos.TillConfig(
                    URI.create(targets.get(till % targets.size())), key, store, "A" + till, "EUR",
                    Duration.ofMillis(800), journal));
        } catch (IOException e) {
            result.error(Call.ADAPTER_SALE, e.toString());
            return;
        }
        while (System.nanoTime() < end) {
            jakarta.json.JsonArrayBuilder lines = jakarta.json.Json.createArrayBuilder();
            int count = 1 + random.nextInt(20);
            for (int l = 0; l < count; l++) {
                lines.add(jakarta.json.Json.createReader(new java.io.StringReader(SaleBodies.line(random, l))).readObject());
            }
            long started = System.nanoTime();
            try {
                org.loyaltyengine.pos.Till.Outcome outcome = adapter.sale(cards.get(random.nextInt(cards.size())),
                        "A" + receipts.incrementAndGet(), lines.build(), 0);
                long micros = (System.nanoTime() - started) / 1_000;
                if (outcome.status() == org.loyaltyengine.pos.Till.Status.DONE) {
                    result.record(Call.ADAPTER_SALE, micros, false);
                } else {
                    result.error(Call.ADAPTER_SALE, outcome.status() + " " + outcome.message());
                }
            } catch (IOException | RuntimeException e) {
                result.error(Call.ADAPTER_SALE, e.toString());
            }
            long pause = 1_000 - (System.nanoTime() - started) / 1_000_000;
            if (pause > 0) {
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void terminal(int terminal, long end, boolean bare, Result result) {
        SplittableRandom random = new SplittableRandom(terminal * 7919L + System.nanoTime());
        String path = "/api/v1/pos/";
        String lastSale = null;
        String lastSku = null;
        try (TillConnection connection = new TillConnection(URI.create(targets.get(terminal % targets.size())), key)) {
            while (System.nanoTime() < end) {
                String card = cards.get(random.nextInt(cards.size()));
                int dice = random.nextInt(100);
                Call call = bare ? Call.BARE : lookupsOnly || dice < 15 ? Call.LOOKUP : dice < 25 ? Call.QUOTE
                        : dice < 90 || lastSale == null ? Call.SALE : Call.RETURN;
                String receipt = "L" + receipts.incrementAndGet();
                String sku = null;
                String target;
                String json;
                switch (call) {
                    case LOOKUP -> {
                        target = path + "cards/" + card;
                        json = null;
                    }
                    case BARE -> {
                        target = path + "bench/insert";
                        json = "{\"payload\":\"" + receipt + "\"}";
                    }
                    case RETURN -> {
                        target = path + "transactions/" + lastSale + "/returns";
                        json = "{\"returnId\":\"" + receipt + "\",\"lines\":[{\"sku\":\"" + lastSku
                                + "\",\"quantity\":1}]}";
                    }
                    default -> {
                        boolean redeem = call == Call.SALE && random.nextInt(10) == 0 && earned.contains(card);
                        SaleBodies.Sale sale = SaleBodies.sale(random, card, store, "T" + terminal, receipt, 20,
                                redeem ? 5 : 0);
                        sku = sale.firstSku();
                        target = path + (call == Call.QUOTE ? "transactions/quote" : "transactions");
                        json = sale.json();
                    }
                }
                long started = System.nanoTime();
                try {
                    TillConnection.Answer answer = json == null ? connection.get(target)
                            : connection.post(target, json);
                    long micros = (System.nanoTime() - started) / 1_000;
                    int status = answer.status();
                    if (status >= 500 || status == 401 || status == 403 || status == 404 || status == 400) {
                        result.error(call, status + " " + answer.body());
                    } else {
                        result.record(call, micros, status == 409 || status == 422);
                        if (call == Call.SALE && status == 201) {
                            lastSale = field(answer.body(), "transactionId");
                            lastSku = sku;
                            earned.add(card);
                        } else if (call == Call.RETURN) {
                            lastSale = null;
                        }
                    }
                } catch (IOException e) {
                    result.error(call, e.toString());
                }
            }
        }
    }

    static String field(String json, String name) {
        Matcher matcher = STRING_FIELD.matcher(json);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return matcher.group(2);
            }
        }
        throw new IllegalStateException("No " + name + " in " + json);
    }

    /** What one phase measured. */
    static final class Result {

        final int seconds;
        final Map<Call, List<Long>> latencies = new EnumMap<>(Call.class);
        final Map<Call, AtomicLong> refusals = new EnumMap<>(Call.class);
        final Map<Call, AtomicLong> errors = new EnumMap<>(Call.class);
        final List<String> errorSamples = new ArrayList<>();
        double cpuSeconds;
        /** Of {@link #cpuSeconds}, what the servers' JIT compiler threads took. */
        double compilerSeconds;
        long peakRssKib;
        final List<Long> pids;

        Result(int seconds, List<Long> pids) {
            this.seconds = seconds;
            this.pids = pids;
            for (Call call : Call.values()) {
                latencies.put(call, new ArrayList<>());
                refusals.put(call, new AtomicLong());
                errors.put(call, new AtomicLong());
            }
        }

        void record(Call call, long micros, boolean refused) {
            List<Long> list = latencies.get(call);
            synchronized (list) {
                list.add(micros);
            }
            if (refused) {
                refusals.get(call).incrementAndGet();
            }
        }

        void error(Call call, String sample) {
            errors.get(call).incrementAndGet();
            synchronized (errorSamples) {
                if (errorSamples.size() < 5) {
                    errorSamples.add(call + ": " + sample.substring(0, Math.min(200, sample.length())));
                }
            }
        }

        double rate(Call call) {
            return (double) latencies.get(call).size() / seconds;
        }

        String describe(String phase) {
            StringBuilder text = new StringBuilder();
            long total = 0;
            long errorCount = 0;
            for (Call call : Call.values()) {
                total += latencies.get(call).size();
                errorCount += errors.get(call).get();
            }
            text.append(String.format("  %s: %,.0f calls/s, %,d errors%s%n", phase, (double) total / seconds,
                    errorCount, pids.isEmpty() ? "" : String.format(", server CPU %.1f s (%.2f cores; JIT compilers"
                            + " %.1f s), peak RSS %,d MiB", cpuSeconds, cpuSeconds / seconds, compilerSeconds,
                    peakRssKib / 1024)));
            for (Call call : Call.values()) {
                List<Long> list = new ArrayList<>(latencies.get(call));
                if (list.isEmpty() && errors.get(call).get() == 0) {
                    continue;
                }
                list.sort(null);
                text.append(String.format("    %-7s %,8.1f/s  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %7.1f ms"
                                + "  refused %,d  errors %,d%n", call, rate(call), pct(list, 50), pct(list, 95),
                        pct(list, 99), list.isEmpty() ? 0 : list.get(list.size() - 1) / 1000.0,
                        refusals.get(call).get(), errors.get(call).get()));
            }
            errorSamples.forEach(sample -> text.append("    error: ").append(sample).append('\n'));
            return text.toString();
        }

        /** The nearest-rank percentile of latencies in microseconds, sorted, in milliseconds. */
        static double pct(List<Long> sorted, int percentile) {
            if (sorted.isEmpty()) {
                return 0;
            }
            int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
            return sorted.get(Math.max(0, index)) / 1000.0;
        }
    }

    /** The servers' CPU time and resident memory, read from /proc. */
    static final class ServerSampler {

        private final List<Long> pids;
        private final Thread thread;
        private volatile boolean running = true;
        private long peakKib;
        private final double startTicks;
        private final double startCompilerTicks;

        ServerSampler(List<Long> pids) {
            this.pids = pids;
            this.startTicks = ticks();
            this.startCompilerTicks = compilerTicks();
            this.thread = new Thread(() -> {
                while (running) {
                    peakKib = Math.max(peakKib, rss());
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "server-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop(Result result) {
            running = false;
            result.cpuSeconds = (ticks() - startTicks) / 100.0;
            result.compilerSeconds = (compilerTicks() - startCompilerTicks) / 100.0;
            result.peakRssKib = Math.max(peakKib, rss());
        }

        private double ticks() {
            double ticks = 0;
            for (long pid : pids) {
                try {
                    ticks += cpuTicks(Path.of("/proc/" + pid + "/stat"));
                } catch (IOException | RuntimeException e) {
                    // the process is gone
                }
            }
            return ticks;
        }

        /** User and system CPU ticks in a /proc stat file (of a process or of one of its threads). */
        private static long cpuTicks(Path statFile) throws IOException {
            String stat = Files.readString(statFile);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }

        /** CPU ticks of the JVMs' JIT compiler threads ("C1 CompilerThre", "C2 CompilerThre" in /proc). */
        private double compilerTicks() {
            double ticks = 0;
            for (long pid : pids) {
                try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                    for (Path task : tasks.toList()) {
                        try {
                            if (!Files.readString(task.resolve("comm")).contains("CompilerThre")) {
                                continue;
                            }
                            ticks += cpuTicks(task.resolve("stat"));
                        } catch (IOException | RuntimeException e) {
                            // the thread ended
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the process is gone
                }
            }
            return ticks;
        }

        private long rss() {
            long kib = 0;
            for (long pid : pids) {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                        if (line.startsWith("VmRSS:")) {
                            kib += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the process is gone
                }
            }
            return kib;
        }
    }
}
