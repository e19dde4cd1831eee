package org.loyaltyengine.pos.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentLogTest {

    /** Made once: {@code Json.createObjectBuilder} looks the JSON provider up at each call, dearer than a line. */
    private static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(Map.of());

    /** When the receipts of these tests were rung up, unless a test says otherwise. */
    private static final String RUNG_UP = "2026-12-05T10:00:00+01:00";

    @TempDir
    Path folder;

    @Test
    void whatTheEngineRecordedComesBackFromAGivenTimeInItsOrder() throws Exception {
        SentLog log = SentLog.besideJournal(folder.resolve("pos-journal.jsonl"));
        assertThat(log.file()).isEqualTo(folder.resolve("pos-journal-sent.jsonl"));
        log.record("pos/transactions", body("R-1"), "t-1");
        Instant between = Instant.now();
        Thread.sleep(5);
        log.record("pos/transactions/t-1/returns", body("RET-1"), null);
        log.record("pos/redemptions", body("R-2"), null);
        // A crash cut the next line in the middle of a character.
        byte[] cut = "{\"path\":\"pos/transactions\",\"body\":{\"receiptId\":\"R-caf\u00e9"
                .getBytes(StandardCharsets.UTF_8);
        Files.write(log.file(), java.util.Arrays.copyOf(cut, cut.length - 1), StandardOpenOption.APPEND);

        SentLog reopened = new SentLog(log.file());
        assertThat(reopened.since(Instant.EPOCH)).extracting(SentLog.Sent::path).as("a line cut short is skipped")
                .containsExactly("pos/transactions", "pos/transactions/t-1/returns", "pos/redemptions");
        assertThat(reopened.since(Instant.EPOCH).get(0).transactionId()).isEqualTo("t-1");
        assertThat(reopened.since(Instant.EPOCH).get(0).body()).isEqualTo(body("R-1"));
        assertThat(reopened.since(between)).extracting(sent -> sent.body().getString("receiptId"))
                .containsExactly("RET-1", "R-2");

        reopened.record("pos/transactions", body("R-3"), "t-3");
        assertThat(new SentLog(log.file()).since(between)).as("written on a line of its own after the cut").hasSize(3);
    }

    @Test
    void whereTheCatchUpStandsIsKeptAndTheFirstVersionsNotesAreStillRead() throws Exception {
        SentLog log = SentLog.besideJournal(folder.resolve("pos-journal.jsonl"));
        assertThat(log.catchUp()).as("no restore caught up with yet").isNull();
        Path kept = folder.resolve("pos-journal-sent.jsonl.resent-for-gap");
        String gap = "2026-12-05T10:00:00Z/2026-12-05T10:01:00Z";

        // A till that stopped in the middle of a catch-up, or after one, with the first versions of the adapter.
        Files.writeString(kept, gap + " 2026-12-05T10:00:30Z\n", StandardCharsets.UTF_8);
        assertThat(log.catchUp().getString("gap")).isEqualTo(gap);
        assertThat(log.catchUp().getString("upTo")).isEqualTo("2026-12-05T10:00:30Z");
        assertThat(log.catchUp().getBoolean("done", false)).isFalse();
        Files.writeString(kept, gap + "\n", StandardCharsets.UTF_8);
        assertThat(log.catchUp().getBoolean("done", false)).isTrue();

        log.catchUp(Json.createObjectBuilder().add("gap", gap).add("later", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("call", SentLog.json(new SentLog.Sent("pos/redemptions",
                        body("R-9"), Instant.parse("2026-12-05T10:00:40Z"), null))))).build());
        JsonObject back = new SentLog(log.file()).catchUp();
        assertThat(SentLog.sent(back.getJsonArray("later").getJsonObject(0).getJsonObject("call")))
                .isEqualTo(new SentLog.Sent("pos/redemptions", body("R-9"), Instant.parse("2026-12-05T10:00:40Z"),
                        null));
    }

    @Test
    void whatIsOlderThanTheTillKeepsItIsDroppedAndTheRestKept() throws Exception {
        SentLog log = new SentLog(folder.resolve("sent.jsonl"));
        Instant old = Instant.now().minus(Duration.ofHours(90));
        Files.writeString(log.file(), line(old, "R-old-1") + line(old.plusSeconds(60), "R-old-2"),
                StandardCharsets.UTF_8);
        log.record("pos/transactions", body("R-new"), "t-new");
        assertThat(log.forgetBefore(Instant.now().minus(Duration.ofHours(72))))
                .as("the oldest is less than a day past the 72 hours: rewritten once a day at most").isZero();

        assertThat(log.forgetBefore(Instant.now().minus(Duration.ofHours(60)))).isEqualTo(2);
        assertThat(log.since(Instant.EPOCH)).extracting(sent -> sent.body().getString("receiptId"))
                .containsExactly("R-new");
        String kept = Files.readString(log.file(), StandardCharsets.UTF_8);
        assertThat(log.forgetBefore(Instant.now().minus(Duration.ofHours(60)))).as("nothing older left").isZero();
        assertThat(Files.readString(log.file(), StandardCharsets.UTF_8)).isEqualTo(kept);
        try (var left = Files.list(folder)) {
            assertThat(left.map(path -> path.getFileName().toString())).as("no rewrite left behind")
                    .containsOnly("sent.jsonl", "sent.jsonl.lock");
        }
        assertThat(new SentLog(folder.resolve("none.jsonl")).forgetBefore(Instant.now())).isZero();
    }

    @Test
    void twoWritersAtOnceLoseNoLine() throws Exception {
        Path file = folder.resolve("sent.jsonl");
        Thread[] writers = new Thread[2];
        for (int w = 0; w < writers.length; w++) {
            SentLog log = new SentLog(file);
            String writer = "W" + w;
            writers[w] = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    try {
                        log.record("pos/transactions", body(writer + "-" + i), null);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            });
            writers[w].start();
        }
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(new SentLog(file).since(Instant.EPOCH)).hasSize(200);
    }

    /** A till's session and a {@code queue} command are two processes writing the same files at once. */
    @Test
    void twoProcessesWritingAtOnceLoseNoLine() throws Exception {
        Path file = folder.resolve("sent.jsonl");
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SentLogTest.class.getName(), file.toString(), "P",
                "1000").inheritIO().start();
        main(new String[] {file.toString(), "T", "1000"});
        assertThat(other.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(other.exitValue()).isZero();

        List<String> receipts = new SentLog(file).since(Instant.EPOCH).stream()
                .map(sent -> sent.body().getString("receiptId")).toList();
        assertThat(receipts).hasSize(2000).doesNotHaveDuplicates();
    }

    /**
     * A till keeps weeks of sales in its sent log and asks it at every sale when the receipt was first rung up: after
     * reading the log once, a sale reads only what was appended since, not the 20,000 lines before it.
     */
    @Test
    void aSaleReadsWhatWasAppendedSinceItsLastQuestionNotTheWholeLog() throws Exception {
        Path file = folder.resolve("pos-journal-sent.jsonl");
        Instant weeksAgo = Instant.now().minus(Duration.ofDays(21));
        StringBuilder weeks = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            weeks.append(line(weeksAgo.plusSeconds(90L * i), "R-" + i));
        }
        Files.writeString(file, weeks, StandardCharsets.UTF_8);
        SentLog log = new SentLog(file);
        log.readAhead();
        assertThat(log.linesRead()).as("read whole once, when the till opens it").isEqualTo(20_000);

        long before = log.linesRead();
        for (int sale = 0; sale < 30; sale++) {
            assertThat(log.occurredAt("S001", "R-new-" + sale)).as("not rung up yet").isNull();
            log.record("pos/transactions", sale("R-new-" + sale, "2026-12-26T09:00:00+01:00"), "t-" + sale);
            assertThat(log.occurredAt("S001", "R-new-" + sale)).isEqualTo("2026-12-26T09:00:00+01:00");
        }
        assertThat(log.linesRead() - before).as("each sale read its own line, to take it in and to answer")
                .isEqualTo(2 * 30);
        assertThat(log.occurredAt("S001", "R-7")).as("a receipt of weeks ago").isEqualTo(RUNG_UP);
        assertThat(log.occurredAt("S002", "R-7")).as("another store's receipt").isNull();
        assertThat(log.linesRead() - before).as("and its line, for each question").isEqualTo(2 * 30 + 2);

        before = log.linesRead();
        Instant lastHour = Instant.now().minus(Duration.ofHours(1));
        assertThat(log.since(lastHour)).extracting(sent -> sent.body().getString("receiptId")).hasSize(30)
                .startsWith("R-new-0", "R-new-1").endsWith("R-new-29");
        assertThat(log.linesRead() - before).as("the calls of the last hour read, and no others").isEqualTo(30);
    }

    /**
     * What the session did not write itself is seen at its next sale: a line a {@code queue} command appended, the
     * pruning another process did at its start, a line a crash cut short, a log removed and begun anew.
     */
    @Test
    void theNextSaleSeesWhatOthersWroteAPruningAndACrashCutShort() throws Exception {
        Path file = folder.resolve("pos-journal-sent.jsonl");
        Instant old = Instant.now().minus(Duration.ofHours(90));
        Files.writeString(file, line(old, "R-old"), StandardCharsets.UTF_8);
        SentLog session = new SentLog(file);
        SentLog command = new SentLog(file);
        session.record("pos/transactions", sale("R-1", "2026-12-05T11:00:00+01:00"), "t-1");
        assertThat(session.occurredAt("S001", "R-old")).isEqualTo(RUNG_UP);
        assertThat(session.occurredAt("S001", "R-1")).isEqualTo("2026-12-05T11:00:00+01:00");

        command.record("pos/transactions", sale("R-2", "2026-12-05T12:00:00+01:00"), "t-2");
        assertThat(session.occurredAt("S001", "R-2")).as("appended by a queue command").isEqualTo(
                "2026-12-05T12:00:00+01:00");

        byte[] cut = line(Instant.now(), "R-cut").getBytes(StandardCharsets.UTF_8);
        Files.write(file, Arrays.copyOf(cut, cut.length - 20), StandardOpenOption.APPEND);
        assertThat(session.occurredAt("S001", "R-cut")).as("cut short by a crash, never acknowledged").isNull();
        command.record("pos/transactions", sale("R-3", "2026-12-05T13:00:00+01:00"), "t-3");
        assertThat(session.occurredAt("S001", "R-3")).isEqualTo("2026-12-05T13:00:00+01:00");
        assertThat(session.since(Instant.EPOCH)).extracting(sent -> sent.body().getString("receiptId"))
                .containsExactly("R-old", "R-1", "R-2", "R-3");

        assertThat(command.forgetBefore(Instant.now().minus(Duration.ofHours(60)))).isEqualTo(1);
        assertThat(session.occurredAt("S001", "R-old")).as("dropped by the pruning of another process").isNull();
        assertThat(session.occurredAt("S001", "R-2")).isEqualTo("2026-12-05T12:00:00+01:00");
        session.record("pos/transactions", sale("R-4", "2026-12-05T14:00:00+01:00"), "t-4");
        assertThat(session.since(Instant.EPOCH)).extracting(sent -> sent.body().getString("receiptId"))
                .containsExactly("R-1", "R-2", "R-3", "R-4");

        // Written by hand, its end left out: read as it always was.
        Files.writeString(file, line(Instant.now(), "R-by-hand").strip(), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        assertThat(session.occurredAt("S001", "R-by-hand")).isEqualTo(RUNG_UP);
        session.record("pos/transactions", sale("R-5", "2026-12-05T15:00:00+01:00"), "t-5");
        assertThat(session.since(Instant.EPOCH)).extracting(sent -> sent.body().getString("receiptId"))
                .containsExactly("R-1", "R-2", "R-3", "R-4", "R-by-hand", "R-5");

        Files.delete(file);
        assertThat(session.occurredAt("S001", "R-1")).as("the log removed").isNull();
        command.record("pos/transactions", sale("R-1", "2026-12-06T10:00:00+01:00"), "t-6");
        assertThat(session.occurredAt("S001", "R-1")).as("a log begun anew").isEqualTo("2026-12-06T10:00:00+01:00");
    }

    /** A receipt is found whatever its line holds: escapes, another alphabet, a line written by hand. */
    @Test
    void aReceiptIsFoundHoweverItsLineIsWritten() throws Exception {
        Path file = folder.resolve("sent.jsonl");
        SentLog log = new SentLog(file);
        log.record("pos/transactions", sale("R-\"7\"\\1", "2026-12-05T11:00:00+01:00"), "t-1");
        log.record("pos/transactions", sale("R-caf\u00e9-\u2116", "2026-12-05T12:00:00+01:00"), "t-2");
        log.record("pos/transactions", BUILDERS.createObjectBuilder(sale("R-3", "2026-12-05T13:00:00+01:00"))
                .add("sentAt", "a body's own").build(), "t-3");
        log.record("pos/redemptions", body("R-4"), null);
        Files.writeString(file, "{ \"body\" : { \"occurredAt\" : \"2026-12-05T14:00:00+01:00\", \"receiptId\" :"
                + " \"R-5\", \"storeId\" : \"S001\" }, \"sentAt\" : \"" + Instant.now() + "\", \"path\" :"
                + " \"pos/transactions\" }\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertThat(log.occurredAt("S001", "R-\"7\"\\1")).isEqualTo("2026-12-05T11:00:00+01:00");
        assertThat(log.occurredAt("S001", "R-caf\u00e9-\u2116")).isEqualTo("2026-12-05T12:00:00+01:00");
        assertThat(log.occurredAt("S001", "R-3")).as("a body naming a sentAt of its own")
                .isEqualTo("2026-12-05T13:00:00+01:00");
        assertThat(log.occurredAt("S001", "R-4")).as("a redemption, no sale").isNull();
        assertThat(log.occurredAt("S001", "R-5")).as("written by hand").isEqualTo("2026-12-05T14:00:00+01:00");
        assertThat(log.since(Instant.EPOCH)).hasSize(5);
    }

    /** A till's session asks its log at each sale while a {@code queue} command in another process appends to it. */
    @Test
    void aSessionAskingWhileAnotherProcessAppendsMissesNothing() throws Exception {
        Path file = folder.resolve("sent.jsonl");
        SentLog session = new SentLog(file);
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SentLogTest.class.getName(), file.toString(), "P",
                "1000").inheritIO().start();
        for (int i = 0; other.isAlive(); i = (i + 7) % 1000) {
            session.occurredAt("S001", "P-" + i);
            session.record("pos/transactions", body("T-" + i), null);
        }
        assertThat(other.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(other.exitValue()).isZero();

        for (int i = 0; i < 1000; i++) {
            assertThat(session.occurredAt("S001", "P-" + i)).as("P-" + i).isEqualTo(RUNG_UP);
        }
        List<SentLog.Sent> calls = session.since(Instant.EPOCH);
        assertThat(calls.stream().map(sent -> sent.body().getString("receiptId"))
                .filter(receipt -> receipt.startsWith("P-"))).hasSize(1000).doesNotHaveDuplicates();
        assertThat(calls).hasSameSizeAs(new SentLog(file).since(Instant.EPOCH));
    }

    /** Writes {@code count} calls into the sent log {@code file}, their receipts named {@code prefix}-n. */
    public static void main(String[] args) throws Exception {
        SentLog log = new SentLog(Path.of(args[0]));
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            log.record("pos/transactions", body(args[1] + "-" + i), null);
        }
    }

    private static String line(Instant sentAt, String receipt) {
        return BUILDERS.createObjectBuilder().add("path", "pos/transactions").add("sentAt", sentAt.toString())
                .add("body", body(receipt)).add("transactionId", "t-" + receipt).build() + "\n";
    }

    private static JsonObject body(String receipt) {
        return BUILDERS.createObjectBuilder().add("receiptId", receipt).add("storeId", "S001")
                .add("occurredAt", RUNG_UP).add("cardNumber", "2900000000018").build();
    }

    private static JsonObject sale(String receipt, String occurredAt) {
        return BUILDERS.createObjectBuilder(body(receipt)).add("occurredAt", occurredAt).build();
    }
}
