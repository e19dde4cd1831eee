package org.loyaltyengine.benchmarks.till;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;

import com.sun.net.httpserver.HttpServer;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import org.loyaltyengine.pos.Till;
import org.loyaltyengine.pos.TillConfig;
import org.loyaltyengine.pos.journal.SentLog;

/**
 * What a till pays at each sale for its sent log ({@code pos-journal-sent.jsonl}) once it holds {@code sent} calls
 * of 10 lines each (a busy till's weeks: 2,000 sales a day for three weeks are 42,000): {@code question} asks the log
 * the till keeps when a new receipt was first rung up, as every sale does; {@code sale} rings a sale up through the
 * till, against a stand-in of the engine on this machine that records it at once (that question, the engine's answer
 * over HTTP, the line forced to disk); {@code opening} asks a log opened anew, as the first sale of a till's session
 * (or its start) does. Only the adapter's public calls are used, so that the same benchmark measures an adapter of
 * before.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class SentLogBenchmark {

    private static final String CARD = "2900000000018";

    private static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(Map.of());

    @Param({"1000", "20000", "100000"})
    public int sent;

    private Path folder;
    private HttpServer engine;
    private SentLog kept;
    private Till till;
    private JsonArray basket;
    private final AtomicLong receipts = new AtomicLong();

    @Setup(Level.Trial)
    public void weeksOfSales() throws IOException {
        folder = Files.createTempDirectory("sent-log-benchmark");
        Path journal = folder.resolve("pos-journal.jsonl");
        Path file = SentLog.besideJournal(journal).file();
        // Written as the till writes them, without a disk sync per line (the set-up of 100,000 would take minutes).
        Instant first = Instant.now().minus(Duration.ofDays(21));
        long apart = Duration.ofDays(21).toMillis() / sent;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < sent; i++) {
            // As SentLog.json writes a call, with builders made once (Json's own look the provider up each time).
            lines.append(BUILDERS.createObjectBuilder().add("path", "pos/transactions")
                    .add("sentAt", first.plusMillis(apart * i).toString()).add("body", sale("R-" + i))
                    .add("transactionId", "t-" + i).build()).append('\n');
        }
        Files.writeString(file, lines);
        basket = sale("R-0").getJsonArray("lines");

        // Answers written at once (no Nagle's wait for the till's delayed acknowledgement: 40 ms a sale here).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        engine = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        engine.createContext("/api/v1/pos/transactions", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] answer = ("{\"transactionId\":\"t-new-" + receipts.incrementAndGet() + "\",\"pointsEarned\":9,"
                    + "\"availablePoints\":1240,\"tier\":\"SILVER\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, answer.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(answer);
            }
        });
        engine.start();
        // Kept for four weeks: nothing of the three weeks written is dropped when the till starts.
        till = new Till(new TillConfig(URI.create("http://127.0.0.1:" + engine.getAddress().getPort()), "key",
                "S001", "T1", "EUR", Duration.ofSeconds(5), journal, Duration.ofDays(28), Duration.ofSeconds(60)));
        kept = new SentLog(file);
        if (!"2026-12-05T10:00:00+01:00".equals(kept.occurredAt("S001", "R-" + (sent - 1)))) {
            throw new IllegalStateException("The sent log does not hold " + sent + " sales");
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        engine.stop(0);
        try (var files = Files.walk(folder)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Benchmark
    public String question() throws IOException {
        return kept.occurredAt("S001", "R-new-" + receipts.incrementAndGet());
    }

    @Benchmark
    public Till.Outcome sale() throws IOException {
        Till.Outcome outcome = till.sale(CARD, "R-sold-" + receipts.incrementAndGet(), basket, 0);
        if (outcome.status() != Till.Status.DONE) {
            throw new IllegalStateException(outcome.status() + " " + outcome.message());
        }
        return outcome;
    }

    @Benchmark
    public String opening() throws IOException {
        return new SentLog(kept.file()).occurredAt("S001", "R-new-" + receipts.incrementAndGet());
    }

    private static JsonObject sale(String receipt) {
        JsonArrayBuilder lines = BUILDERS.createArrayBuilder();
        for (int line = 0; line < 10; line++) {
            lines.add(BUILDERS.createObjectBuilder().add("sku", "SKU-" + line).add("category", "grocery")
                    .add("quantity", 1 + line % 3).add("unitPrice", "4.50"));
        }
        return BUILDERS.createObjectBuilder().add("cardNumber", CARD).add("storeId", "S001").add("terminalId", "T1")
                .add("receiptId", receipt).add("occurredAt", "2026-12-05T10:00:00+01:00").add("currency", "EUR")
                .add("lines", lines).add("redeemPoints", 0).add("offerIds", BUILDERS.createArrayBuilder()).build();
    }
}
