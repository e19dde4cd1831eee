package org.loyaltyengine.pos.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;

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

    @Test
    void salesDeliveredLongAgoLeaveTheJournalAndTheOthersStayWithTheirNumbers() throws Exception {
        Path file = folder.resolve("journal.jsonl");
        Journal journal = new Journal(file);
        long refused = journal.append("S001/R-1", sale("R-1"));
        long delivered = journal.append("S001/R-2", sale("R-2"));
        long setAside = journal.append("S001/R-3", sale("R-3"));
        long waiting = journal.append("S001/R-4", sale("R-4"));
        long last = journal.append("S001/R-5", sale("R-5"));
        journal.mark(refused, Journal.State.REFUSED, "card_blocked");
        journal.mark(delivered, Journal.State.DELIVERED, "credited");
        journal.mark(setAside, Journal.State.SET_ASIDE, "the engine failed on it", true);
        journal.mark(last, Journal.State.DELIVERED, "credited");

        assertThat(journal.forgetDelivered(Instant.now())).as("not yet a day older than that").isZero();
        assertThat(journal.entries()).hasSize(5);

        // Two days on, keeping what the engine had for a day.
        Instant twoDaysOn = Instant.now().plus(Duration.ofDays(2));
        assertThat(journal.forgetDelivered(twoDaysOn.minus(Duration.ofDays(1)))).isEqualTo(2);

        Journal reopened = new Journal(file);
        assertThat(reopened.entries()).extracting(Journal.Entry::seq, Journal.Entry::state).containsExactly(
                tuple(refused, Journal.State.REFUSED), tuple(setAside, Journal.State.SET_ASIDE),
                tuple(waiting, Journal.State.QUEUED));
        assertThat(reopened.waiting().get(0).body()).isEqualTo(sale("R-4"));
        assertThat(reopened.append("S001/R-6", sale("R-6"))).as("R-5's number stays taken").isEqualTo(last + 1);
        assertThat(Files.readAllLines(file)).noneMatch(line -> line.contains("R-2") || line.contains("R-5"));

        // Once the sale numbered last is dropped as well, its number still stays taken, by one line only.
        reopened.mark(last + 1, Journal.State.DELIVERED, "credited");
        Instant threeDaysOn = Instant.now().plus(Duration.ofDays(3));
        assertThat(reopened.forgetDelivered(threeDaysOn.minus(Duration.ofDays(1)))).isEqualTo(1);
        reopened.mark(waiting, Journal.State.DELIVERED, "credited");
        Instant fourDaysOn = Instant.now().plus(Duration.ofDays(4));
        assertThat(reopened.forgetDelivered(fourDaysOn.minus(Duration.ofDays(1)))).isEqualTo(1);
        assertThat(Files.readAllLines(file)).noneMatch(line -> line.contains("R-4") || line.contains("R-6"));
        assertThat(new Journal(file).append("S001/R-7", sale("R-7"))).isEqualTo(last + 2);
        assertThat(Files.readAllLines(file)).filteredOn(line -> line.contains("forgotten")).hasSize(1);
    }

    @Test
    void whatAnotherProcessWroteIsSeenAlthoughWhatWasReadIsKept() throws Exception {
        Path file = folder.resolve("journal.jsonl");
        Journal session = new Journal(file);
        long first = session.append("S001/R-1", sale("R-1"));
        assertThat(session.waiting()).hasSize(1);

        // A queue command, in a process of its own.
        Journal command = new Journal(file);
        command.mark(first, Journal.State.DELIVERED, "credited");
        assertThat(session.waiting()).isEmpty();
        assertThat(session.append("S001/R-2", sale("R-2"))).isEqualTo(2);
        assertThat(command.waiting()).extracting(Journal.Entry::receiptKey).containsExactly("S001/R-2");

        command.forgetDelivered(Instant.now().plus(Duration.ofDays(2)));
        assertThat(session.entries()).extracting(Journal.Entry::receiptKey).containsExactly("S001/R-2");
    }

    @Test
    void aSaleSetAsideKeepsWhenItWasSetAsideThroughItsTriesAgain() throws Exception {
        Journal journal = new Journal(folder.resolve("journal.jsonl"));
        long seq = journal.append("S001/R-1", sale("R-1"));
        journal.mark(seq, Journal.State.SET_ASIDE, "the engine failed on it", true);
        Journal.Entry setAside = journal.entries().get(0);
        Thread.sleep(5);
        journal.mark(seq, Journal.State.SET_ASIDE, "the engine failed on it again", true);

        Journal.Entry again = new Journal(folder.resolve("journal.jsonl")).entries().get(0);
        assertThat(again.setAsideAt()).isEqualTo(setAside.setAsideAt()).isEqualTo(setAside.markedAt());
        assertThat(again.markedAt()).isAfter(setAside.markedAt());
        assertThat(again.failuresByEngine()).isEqualTo(2);

        journal.mark(seq, Journal.State.DELIVERED, "credited");
        assertThat(journal.entries().get(0).setAsideAt()).isNull();
    }

    @Test
    void aSaleSentAsAnotherBodyIsSentSoFromThenOnAndOneSetAsideStaysSetAside() throws Exception {
        Journal journal = new Journal(folder.resolve("journal.jsonl"));
        long queued = journal.append("S001/R-1", sale("R-1"));
        long setAside = journal.append("S001/R-2", sale("R-2"));
        journal.mark(setAside, Journal.State.SET_ASIDE, "the engine failed on it", true);
        JsonObject withoutOffers = Json.createObjectBuilder(sale("R-1")).add("offerIds", Json.createArrayBuilder())
                .build();

        journal.markSentAs(queued, Journal.State.QUEUED, "refused for its offers: sent so from now on",
                withoutOffers);
        journal.markSentAs(setAside, Journal.State.SET_ASIDE, "refused for its offers: sent so from now on",
                sale("R-2b"));
        journal.mark(queued, Journal.State.QUEUED, "no answer");

        Journal reopened = new Journal(folder.resolve("journal.jsonl"));
        assertThat(reopened.waiting()).singleElement().satisfies(entry -> assertThat(entry.body())
                .as("kept through the marks after it").isEqualTo(withoutOffers));
        assertThat(reopened.setAside()).singleElement().satisfies(entry -> {
            assertThat(entry.body()).isEqualTo(sale("R-2b"));
            assertThat(entry.triesAgain()).as("a try of it").isEqualTo(1);
        });
    }

    private static JsonObject sale(String receipt) {
        return Json.createObjectBuilder().add("receiptId", receipt).add("cardNumber", "2900000000018").build();
    }
}
