package org.loyaltyengine.benchmarks.till;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

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

import org.loyaltyengine.pos.journal.Journal;

/**
 * What a till online pays at each sale to learn that no sale waits in its journal, after an outage queued
 * {@code delivered} sales of 10 lines (all delivered since): {@code kept} asks the journal the till keeps (what it
 * read is kept until the file changes), {@code readWhole} a journal opened anew, which reads the whole file, as every
 * sale did before.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class JournalBenchmark {

    @Param({"100", "2000", "10000"})
    public int delivered;

    private Path folder;
    private Journal kept;

    @Setup(Level.Trial)
    public void queueAndDeliver() throws IOException {
        folder = Files.createTempDirectory("journal-benchmark");
        Path file = folder.resolve("pos-journal.jsonl");
        // Written as the till writes them, without a disk sync per line (the set-up of 10,000 would take minutes).
        StringBuilder lines = new StringBuilder();
        for (int seq = 1; seq <= delivered; seq++) {
            lines.append(Json.createObjectBuilder().add("seq", seq).add("receipt", "S001/R-" + seq)
                    .add("queuedAt", "2026-12-05T10:00:00Z").add("body", sale(seq)).build()).append('\n');
        }
        for (int seq = 1; seq <= delivered; seq++) {
            lines.append(Json.createObjectBuilder().add("seq", seq).add("state", "DELIVERED").add("note", "credited")
                    .add("at", "2026-12-05T11:00:00Z").build()).append('\n');
        }
        Files.writeString(file, lines);
        kept = new Journal(file);
        if (!kept.waiting().isEmpty() || kept.entries().size() != delivered) {
            throw new IllegalStateException("The journal does not hold " + delivered + " delivered sales");
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        try (var files = Files.walk(folder)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Benchmark
    public List<Journal.Entry> kept() throws IOException {
        return kept.waiting();
    }

    @Benchmark
    public List<Journal.Entry> readWhole() throws IOException {
        return new Journal(kept.file()).waiting();
    }

    private static JsonObject sale(int seq) {
        JsonArrayBuilder lines = Json.createArrayBuilder();
        for (int line = 0; line < 10; line++) {
            lines.add(Json.createObjectBuilder().add("sku", "SKU-" + line).add("category", "grocery")
                    .add("quantity", 1 + line % 3).add("unitPrice", "4.50"));
        }
        return Json.createObjectBuilder().add("cardNumber", "2900000000018").add("storeId", "S001")
                .add("terminalId", "T1").add("receiptId", "R-" + seq).add("occurredAt", "2026-12-05T10:00:00Z")
                .add("currency", "EUR").add("lines", lines).add("redeemPoints", 0)
                .add("offerIds", Json.createArrayBuilder()).build();
    }
}
