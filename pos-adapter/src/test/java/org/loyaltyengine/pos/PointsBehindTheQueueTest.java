package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loyaltyengine.pos.StandInEngine.BASKET;
import static org.loyaltyengine.pos.StandInEngine.CARD;
import static org.loyaltyengine.pos.StandInEngine.sale;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.StandInEngine.Answer;

/**
 * Points spent while 40 sales of an outage still drain to the engine, 100 ms each: the queued sales go to the
 * engine first (their points may be the ones spent), and while some still wait the cashier is told so, not that
 * the engine is offline; once they are in, the points are spent.
 */
class PointsBehindTheQueueTest {


    @TempDir
    Path folder;

    private final StandInEngine.Ledger ledger = new StandInEngine.Ledger();
    /** The receipts of the calls the engine got, in their order. */
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @Test
    void aRedemptionGoesAfterTheQueuedSalesAndIsNotCalledOfflineWhileTheyDrain() throws Exception {
        try (StandInEngine engine = new StandInEngine(this::answer)) {
            Till till = till(engine);
            queue(till, 40);

            Till.Outcome early = till.redeem(CARD, "R-spend", null, 100L);

            assertThat(early.message()).doesNotContain("offline").contains("still being sent");
            assertThat(ledger.redeemed()).as("not sent ahead of the queued sales").isEmpty();
            assertThat(till.replay(false).stillWaiting()).isZero();
            Till.Outcome spent = till.redeem(CARD, "R-spend", null, 100L);
            assertThat(spent.status()).as(spent.message()).isEqualTo(Till.Status.DONE);
            assertThat(calls.indexOf("R-spend")).as("after every queued sale").isEqualTo(40);
        }
    }

    @Test
    void aSalePayingWithPointsIsToldTheQueueIsStillBeingSentNotThatTheEngineIsOffline() throws Exception {
        try (StandInEngine engine = new StandInEngine(this::answer)) {
            Till till = till(engine);
            queue(till, 40);

            Till.Outcome paid = till.sale(CARD, "R-pay", BASKET, 100);

            assertThat(paid.status()).isEqualTo(Till.Status.REFUSED);
            assertThat(paid.message()).doesNotContain("offline").contains("still being sent")
                    .contains("none were spent");
            assertThat(till.replay(false).stillWaiting()).isZero();
            assertThat(till.sale(CARD, "R-pay", BASKET, 100).status()).isEqualTo(Till.Status.DONE);
        }
    }

    @Test
    void theRewardsListedCountThePointsOfTheSalesQueuedInTheOutage() throws Exception {
        try (StandInEngine engine = new StandInEngine(this::answer)) {
            Till till = till(engine);
            queue(till, 3);

            Till.Outcome listed = till.rewards(CARD);

            assertThat(listed.status()).as(listed.message()).isEqualTo(Till.Status.DONE);
            assertThat(ledger.credited()).as("sent before the list was asked for").hasSize(3);
            assertThat(listed.message()).as("their 27 points counted, none said to be still queued")
                    .contains("1267 points").doesNotContain("still queued");
        }
    }

    private Answer answer(StandInEngine.Call call) {
        if (call.path().startsWith("pos/cards/") && call.path().endsWith("/rewards")) {
            return Answer.of(200, jakarta.json.Json.createObjectBuilder()
                    .add("availablePoints", ledger.card(CARD).getJsonNumber("availablePoints").longValue())
                    .add("rewards", jakarta.json.Json.createArrayBuilder()).build());
        }
        if (call.path().startsWith("pos/cards/")) {
            return Answer.of(200, ledger.card(CARD));
        }
        calls.add(call.body().getString("receiptId"));
        // Slower than 40 calls fit in the cashier's budget, and well under the 100 ms the till leaves a call at least:
        // at 100 ms, a call begun with a little more than that left timed out on a busy machine, and the till was
        // (rightly) told offline.
        return (call.path().equals("pos/redemptions") ? ledger.redemption(call) : ledger.sale(call))
                .after(Duration.ofMillis(60));
    }

    private static void queue(Till till, int sales) throws Exception {
        for (int i = 1; i <= sales; i++) {
            till.journal().append("S001/R-" + i, sale("R-" + i));
        }
    }

    private Till till(StandInEngine engine) {
        return new Till(new TillConfig(engine.url(), "key", "S001", "T1", "EUR", Duration.ofMillis(1_500),
                folder.resolve("pos-journal.jsonl")));
    }
}
