package org.loyaltyengine.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.loyaltyengine.benchmarks.data.Options;

/**
 * What paying with points costs at the till as a member's history grows. A loyal customer holds one open lot per
 * purchase until it is spent or expires (a weekly shopper about a hundred), and a redemption takes its points
 * from those lots, soonest-expiring first. For each depth asked for, one new member buys that many times; then one
 * till rings up sales of one line on that card, every other one paying a point, and the round trips of both kinds
 * are reported side by side (each of those sales opens a lot as well). One till, one sale after the other: what
 * is measured is the work a redemption does, not queueing.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.loyaltyengine.benchmarks.load.RedemptionDepth \
 *   --target http://127.0.0.1:8080 --depths 1,100,300 --sales 200 --results benchmarks/results/redemption-depth.txt
 * </pre>
 */
public final class RedemptionDepth {

    private final URI target;
    private final String key;
    private final String store;
    private final SplittableRandom random = new SplittableRandom(42);
    private long receipts = System.currentTimeMillis() * 1000;

    private RedemptionDepth(URI target, String key, String store) {
        this.target = target;
        this.key = key;
        this.store = store;
    }

    public static void main(String[] args) throws Exception {
        Options options = new Options(args);
        String target = options.get("target", "http://127.0.0.1:8080");
        String key = options.get("key", "demo-pos-S001");
        String store = options.get("store", "S001");
        List<Integer> depths = Arrays.stream(options.get("depths", "1,100,300").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        int sales = Integer.parseInt(options.get("sales", "200"));
        int warmup = Integer.parseInt(options.get("warmup", "3000"));
        Path results = Path.of(options.get("results", "benchmarks/results/redemption-depth.txt"));

        LoadDriver enrolment = new LoadDriver(List.of(target), key, store);
        enrolment.enrol(depths.size() + 1, options.get("manager", "manager@demo.local:manager-demo"),
                options.get("programme", "DEMO"));
        RedemptionDepth bench = new RedemptionDepth(URI.create(target), key, store);
        StringBuilder report = new StringBuilder(String.format("%n== %s  %s  one till, %d sales per depth (half"
                        + " paying 1 point), after %d warm-up sales%n", Instant.now(), options.get("label", ""), sales,
                warmup));
        bench.run(enrolment.cards(), depths, sales, warmup, report);
        if (results.getParent() != null) {
            Files.createDirectories(results.getParent());
        }
        Files.writeString(results, report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.exit(0);
    }

    /** The warm-up on a card of its own, then each depth on a new card; one line of figures per depth. */
    private void run(List<String> cards, List<Integer> depths, int sales, int warmup, StringBuilder report)
            throws IOException {
        try (TillConnection till = new TillConnection(target, key)) {
            // Warmed up first, so that the compilers have settled before anything is measured.
            String warm = cards.get(depths.size());
            buy(till, warm, 20);
            measure(till, warm, warmup);
            for (int d = 0; d < depths.size(); d++) {
                String card = cards.get(d);
                buy(till, card, depths.get(d));
                Timings timings = measure(till, card, sales);
                // Each measured sale opens a lot too: the member holds from depth to depth + sales open lots.
                String line = String.format("  %4d to %4d open lots   plain sale p50 %5.1f p95 %5.1f p99 %5.1f ms"
                                + "   paying with points p50 %5.1f p95 %5.1f p99 %5.1f ms%n", depths.get(d),
                        depths.get(d) + sales,
                        timings.plain.pct(50), timings.plain.pct(95), timings.plain.pct(99),
                        timings.paying.pct(50), timings.paying.pct(95), timings.paying.pct(99));
                System.out.print(line);
                report.append(line);
            }
        }
    }

    /** {@code count} purchases on the card, each opening a lot. */
    private void buy(TillConnection till, String card, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            sale(till, card, 0);
        }
    }

    /** {@code count} sales of one line on the card, every other one paying a point. */
    private Timings measure(TillConnection till, String card, int count) throws IOException {
        Timings timings = new Timings();
        for (int i = 0; i < count; i++) {
            boolean paying = i % 2 == 1;
            long started = System.nanoTime();
            sale(till, card, paying ? 1 : 0);
            (paying ? timings.paying : timings.plain).add((System.nanoTime() - started) / 1_000);
        }
        return timings;
    }

    private void sale(TillConnection till, String card, long redeem) throws IOException {
        String receipt = "D" + ++receipts;
        SaleBodies.Sale sale = SaleBodies.sale(random, card, store, "T-depth", receipt, 1, redeem);
        TillConnection.Answer answer = till.post("/api/v1/pos/transactions", sale.json());
        if (answer.status() != 201) {
            throw new IllegalStateException("Sale " + receipt + " answered " + answer.status() + ": "
                    + answer.body());
        }
    }

    private static final class Timings {
        final Series plain = new Series();
        final Series paying = new Series();
    }

    /** Round trips in microseconds, as the load driver keeps them. */
    private static final class Series {
        private final List<Long> micros = new ArrayList<>();

        void add(long value) {
            micros.add(value);
        }

        double pct(int percentile) {
            return LoadDriver.Result.pct(micros.stream().sorted().toList(), percentile);
        }
    }
}
