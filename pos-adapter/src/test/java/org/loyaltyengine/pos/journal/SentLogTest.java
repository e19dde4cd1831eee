package org.loyaltyengine.pos.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentLogTest {

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

    /** Writes {@code count} calls into the sent log {@code file}, their receipts named {@code prefix}-n. */
    public static void main(String[] args) throws Exception {
        SentLog log = new SentLog(Path.of(args[0]));
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            log.record("pos/transactions", body(args[1] + "-" + i), null);
        }
    }

    private static String line(Instant sentAt, String receipt) {
        return Json.createObjectBuilder().add("path", "pos/transactions").add("sentAt", sentAt.toString())
                .add("body", body(receipt)).add("transactionId", "t-" + receipt).build() + "\n";
    }

    private static JsonObject body(String receipt) {
        return Json.createObjectBuilder().add("receiptId", receipt).add("cardNumber", "2900000000018").build();
    }
}
