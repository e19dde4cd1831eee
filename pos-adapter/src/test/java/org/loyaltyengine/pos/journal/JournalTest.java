package org.loyaltyengine.pos.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path folder;

    @Test
    void queuedSalesComeBackInOrderWithTheirLatestState() throws Exception {
        Journal journal = new Journal(folder.resolve("journal.jsonl"));
        long first = journal.append("S001/R-1", sale("R-1"));
        long second = journal.append("S001/R-2", sale("R-2"));
        journal.mark(first, Journal.State.DELIVERED, "credited");

        Journal reopened = new Journal(folder.resolve("journal.jsonl"));

        assertThat(reopened.entries()).extracting(Journal.Entry::receiptKey).containsExactly("S001/R-1", "S001/R-2");
        assertThat(reopened.waiting()).extracting(Journal.Entry::seq).containsExactly(second);
        assertThat(reopened.waiting().get(0).body()).isEqualTo(sale("R-2"));
    }

    @Test
    void aLineCutShortByACrashIsIgnoredAndTheNextWriteStartsCleanly() throws Exception {
        Path file = folder.resolve("journal.jsonl");
        Journal journal = new Journal(file);
        journal.append("S001/R-1", sale("R-1"));
        Files.writeString(file, "{\"seq\":2,\"receipt\":\"S001/R-2\",\"queuedAt\":\"2026-11-23T1",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        assertThat(journal.entries()).hasSize(1);
        long next = journal.append("S001/R-3", sale("R-3"));

        assertThat(next).isEqualTo(2);
        assertThat(new Journal(file).waiting()).extracting(Journal.Entry::receiptKey)
                .containsExactly("S001/R-1", "S001/R-3");
    }

    @Test
    void onlyFailuresOfTheEngineInARowCountTowardsSettingASaleAside() throws Exception {
        Journal journal = new Journal(folder.resolve("journal.jsonl"));
        long seq = journal.append("S001/R-1", sale("R-1"));
        journal.mark(seq, Journal.State.QUEUED, "the engine answered 500", true);
        journal.mark(seq, Journal.State.QUEUED, "the engine answered 500", true);
        assertThat(journal.entries().get(0).failuresByEngine()).isEqualTo(2);

        // A time-out says nothing of the sale: the count starts again.
        journal.mark(seq, Journal.State.QUEUED, "timed out");
        journal.mark(seq, Journal.State.QUEUED, "the engine answered 500", true);

        Journal.Entry entry = new Journal(folder.resolve("journal.jsonl")).entries().get(0);
        assertThat(entry.failuresByEngine()).isEqualTo(1);
        assertThat(entry.attempts()).isEqualTo(4);
        assertThat(entry.state()).isEqualTo(Journal.State.QUEUED);
    }

    private static JsonObject sale(String receipt) {
        return Json.createObjectBuilder().add("receiptId", receipt).add("cardNumber", "2900000000018").build();
    }
}
