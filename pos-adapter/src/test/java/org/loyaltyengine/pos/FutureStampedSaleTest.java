package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loyaltyengine.pos.StandInEngine.BASKET;
import static org.loyaltyengine.pos.StandInEngine.CARD;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.StandInEngine.Answer;
import org.loyaltyengine.pos.journal.Journal;

/**
 * A sale queued, or rung up, while the till's clock ran an hour fast, which the engine refuses as {@code
 * occurred_in_future}: the till sends it again at the engine's time. The cashier who rings up the next sale meanwhile
 * waits no longer than the budget, and when the answer to the corrected sale is lost after the engine recorded it,
 * the sale is sent again as corrected: credited once, never left refused as a receipt conflict.
 */
class FutureStampedSaleTest {


    @TempDir
    Path folder;

    private final StandInEngine.Ledger ledger = new StandInEngine.Ledger();
    /** How many corrected sales the engine recorded and then answered too late. */
    private final AtomicInteger answersLost = new AtomicInteger();

    @Test
    void theCorrectedSaleWhoseAnswerWasLostIsSentAgainAsCorrectedAndCreditedOnce() throws Exception {
        try (StandInEngine engine = new StandInEngine(call -> answer(call, Duration.ofSeconds(6)))) {
            engine.clockAhead = Duration.ofHours(-1);
            Till till = till(engine, Duration.ofMillis(2_000), Duration.ofSeconds(3));
            till.journal().append("S001/R-1", sale("R-1", Instant.now()));

            Till.ReplayReport first = till.replay(false);
            assertThat(first.stillWaiting()).as(first.notes().toString()).isEqualTo(1);
            assertThat(answersLost).hasValue(1);

            Till.ReplayReport second = till.replay(false);
            assertThat(second.refused()).as(second.notes().toString()).isZero();
            assertThat(till.journal().entries().get(0).state()).isEqualTo(Journal.State.DELIVERED);
            assertThat(ledger.credited()).containsExactly("R-1");
        }
    }

    @Test
    void theCashierRingingUpTheNextSaleWaitsNoLongerThanTheBudget() throws Exception {
        Duration budget = Duration.ofMillis(4_000);
        try (StandInEngine engine = new StandInEngine(call -> answer(call, Duration.ofSeconds(10)))) {
            engine.clockAhead = Duration.ofHours(-1);
            Till till = till(engine, budget, Duration.ofSeconds(15));
            till.journal().append("S001/R-1", sale("R-1", Instant.now()));

            long began = System.nanoTime();
            Till.Outcome next = till.sale(CARD, "R-2", BASKET, 0);
            Duration waited = Duration.ofNanos(System.nanoTime() - began);

            assertThat(next.status()).as(next.message()).isEqualTo(Till.Status.QUEUED);
            assertThat(waited).as("the cashier's wait").isLessThan(budget);

            Till.ReplayReport rest = till.replay(false);
            assertThat(rest.stillWaiting()).as(rest.notes().toString()).isZero();
            assertThat(rest.refused()).isZero();
            assertThat(ledger.credited()).containsExactly("R-1", "R-2");
        }
    }

    @Test
    void aSaleRungUpOnlineWhileTheClockRunsFastIsStampedAgainAtTheEnginesTimeAndCredited() throws Exception {
        try (StandInEngine engine = new StandInEngine(call -> ledger.sale(call))) {
            engine.clockAhead = Duration.ofHours(-1);
            Till till = till(engine, Duration.ofMillis(2_000), Duration.ofSeconds(3));

            Till.Outcome sale = till.sale(CARD, "R-1", BASKET, 0);

            assertThat(sale.status()).as(sale.message()).isEqualTo(Till.Status.DONE);
            assertThat(ledger.credited()).containsExactly("R-1");
            Till.Outcome again = till.sale(CARD, "R-1", BASKET, 0);
            assertThat(again.message()).as("rung up again: its time as credited, a replay")
                    .startsWith("already recorded");
        }
    }

    /**
     * The ledger's answer; the first time it records R-1 (at its corrected time: as queued, it is in the engine's
     * future) the answer comes {@code late}.
     */
    private Answer answer(StandInEngine.Call call, Duration late) {
        Answer answer = ledger.sale(call);
        if (answer.status() == 201 && call.body().getString("receiptId").equals("R-1")
                && answersLost.getAndIncrement() == 0) {
            return answer.after(late);
        }
        return answer;
    }

    private static JsonObject sale(String receipt, Instant at) {
        return Json.createObjectBuilder().add("cardNumber", CARD).add("storeId", "S001").add("terminalId", "T1")
                .add("receiptId", receipt).add("occurredAt", at.toString()).add("currency", "EUR")
                .add("lines", BASKET).add("redeemPoints", 0).add("offerIds", Json.createArrayBuilder()).build();
    }

    private Till till(StandInEngine engine, Duration budget, Duration replayBudget) {
        return new Till(new TillConfig(engine.url(), "key", "S001", "T1", "EUR", budget,
                folder.resolve("pos-journal.jsonl")).withReplayBudget(replayBudget));
    }
}
