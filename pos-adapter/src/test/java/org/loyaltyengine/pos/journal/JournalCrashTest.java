package org.loyaltyengine.pos.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A till program killed with {@code kill -9} while it writes the journal: every sale it acknowledged (after the
 * fsync) is there afterwards, with its body intact, and the journal keeps working.
 */
class JournalCrashTest {

    @TempDir
    Path folder;

    /** The victim: queues sales as fast as it can and says "ack N" after each is on disk. */
    public static void main(String[] args) throws Exception {
        Journal journal = new Journal(Path.of(args[0]));
        for (int i = 1; ; i++) {
            long seq = journal.append("S001/R-" + i, Json.createObjectBuilder().add("receiptId", "R-" + i)
                    .add("lines", Json.createArrayBuilder().add("x".repeat(i % 700))).build());
            System.out.println("ack " + seq + " R-" + i);
            System.out.flush();
        }
    }

    @Test
    void nothingAcknowledgedIsLostWhenTheAdapterIsKilledAtAnyInstant() throws Exception {
        Path file = folder.resolve("journal.jsonl");
        for (int round = 0; round < 3; round++) {
            Process victim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), JournalCrashTest.class.getName(), file.toString())
                    .redirectErrorStream(true).start();
            List<String> acknowledged = new ArrayList<>();
            BufferedReader out = new BufferedReader(new InputStreamReader(victim.getInputStream(),
                    StandardCharsets.UTF_8));
            long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400 + round * 150L);
            String line;
            while (System.nanoTime() < stopAt && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    acknowledged.add(line.split(" ")[2]);
                }
            }
            victim.destroyForcibly();
            victim.waitFor(10, TimeUnit.SECONDS);

            List<Journal.Entry> entries = new Journal(file).entries();
            List<String> kept = entries.stream().map(entry -> entry.body().getString("receiptId")).toList();
            assertThat(acknowledged).as("round %d acknowledged some sales", round).isNotEmpty();
            assertThat(kept).containsAll(acknowledged);
            assertThat(entries).allSatisfy(entry -> assertThat(entry.receiptKey())
                    .isEqualTo("S001/" + entry.body().getString("receiptId")));
        }
    }
}
