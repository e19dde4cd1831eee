package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loyaltyengine.pos.StandInEngine.BASKET;
import static org.loyaltyengine.pos.StandInEngine.CARD;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.StandInEngine.Answer;
import org.loyaltyengine.pos.journal.Journal;

/**
 * A sale queued with a personal offer that has lapsed by the time the engine is back ({@code 422 offer_expired},
 * nothing recorded): the till sends it again at once without its offers, the member keeps the purchase's points
 * but the offer's, and the journal says so. The body without offers is the one kept: a later replay of the receipt,
 * after the till stopped with the answer lost, is a replay, credited once, never {@code receipt_conflict}.
 */
class OfferRefusedOnReplayTest {

    private static final String LAPSED = "Offer o-1 is valid from 2026-11-01 to 2026-11-30; today is 2026-12-06";

    @TempDir
    Path folder;

    private final StandInEngine.Ledger ledger = new StandInEngine.Ledger();
    private final AtomicBoolean down = new AtomicBoolean();
    /** How many sales came with an offer. */
    private final AtomicInteger withOffers = new AtomicInteger();
    /** How long the answer to the first sale recorded is held back: lost, to a till waiting less. */
    private volatile Duration firstAnswerLate = Duration.ZERO;

    @Test
    void aQueuedSaleWhoseOfferLapsedIsCreditedWithoutItAndNotSentTwice() throws Exception {
        try (StandInEngine engine = new StandInEngine(this::answer)) {
            Till till = till(engine, Duration.ofSeconds(10));
            down.set(true);
            Till.Outcome queued = till.sale(CARD, "R-1", BASKET, 0, List.of("o-1"), null);
            assertThat(queued.status()).as(queued.message()).isEqualTo(Till.Status.QUEUED);
            down.set(false);

            Till.ReplayReport replay = till.replay(false);

            assertThat(replay.refused()).as(replay.notes().toString()).isZero();
            assertThat(replay.delivered()).isEqualTo(1);
            assertThat(ledger.credited()).containsExactly("R-1");
            assertThat(ledger.recorded("R-1").getJsonArray("offerIds")).isEmpty();
            Journal.Entry entry = till.journal().entries().get(0);
            assertThat(entry.state()).isEqualTo(Journal.State.DELIVERED);
            assertThat(entry.note()).startsWith("credited, sent without its offers o-1")
                    .contains("offer_expired").contains(LAPSED);
            assertThat(entry.body()).isEqualTo(ledger.recorded("R-1"));
            assertThat(till.sent().since(Instant.EPOCH)).singleElement()
                    .satisfies(sent -> assertThat(sent.body()).isEqualTo(ledger.recorded("R-1")));

            Till.ReplayReport again = till.replay(true);

            assertThat(again.refused()).as(again.notes().toString()).isZero();
            assertThat(again.notes()).singleElement().asString().contains("200 already credited (replay)");
            assertThat(ledger.credited()).containsExactly("R-1");
            assertThat(withOffers).as("sent with its offer once, refused").hasValue(1);
        }
    }

    @Test
    void theSaleWithoutItsOffersIsSentAgainSoAfterItsAnswerWasLostAndTheTillStopped() throws Exception {
        firstAnswerLate = Duration.ofSeconds(3);
        try (StandInEngine engine = new StandInEngine(this::answer)) {
            Till till = till(engine, Duration.ofSeconds(1));
            till.journal().append("S001/R-1", withOffer("R-1"));

            Till.ReplayReport lost = till.replay(false);
            assertThat(lost.stillWaiting()).as(lost.notes().toString()).isEqualTo(1);
            assertThat(ledger.credited()).as("recorded, its answer lost").containsExactly("R-1");

            Till restarted = till(engine, Duration.ofSeconds(1));
            Till.ReplayReport replay = restarted.replay(false);

            assertThat(replay.refused()).as(replay.notes().toString()).isZero();
            assertThat(replay.notes()).singleElement().asString().contains("200 already credited (replay)");
            assertThat(ledger.credited()).containsExactly("R-1");
            assertThat(withOffers).as("sent with its offer once, refused").hasValue(1);
            assertThat(restarted.journal().entries().get(0).state()).isEqualTo(Journal.State.DELIVERED);
        }
    }

    @Test
    void aSaleSetAsideWhoseOfferLapsedMeanwhileIsCreditedWithoutItWhenTriedAgain() throws Exception {
        try (StandInEngine engine = new StandInEngine(this::answer)) {
            Till till = till(engine, Duration.ofSeconds(10));
            Instant setAside = Instant.now().minusSeconds(120);
            write(Json.createObjectBuilder().add("seq", 1).add("receipt", "S001/R-1")
                    .add("queuedAt", setAside.minusSeconds(600).toString()).add("body", withOffer("R-1")).build());
            write(Json.createObjectBuilder().add("seq", 1).add("state", "REFUSED").add("note", "set aside")
                    .add("at", setAside.toString()).add("setAside", true).add("failedByEngine", true).build());

            Till.ReplayReport replay = till.replay(false);

            assertThat(replay.recovered()).as(replay.notes().toString()).containsExactly("S001/R-1");
            assertThat(ledger.recorded("R-1").getJsonArray("offerIds")).isEmpty();
            assertThat(till.journal().entries().get(0).note())
                    .startsWith("credited at last, sent without its offers o-1").contains(LAPSED);
        }
    }

    @Test
    void aQueuedSaleTheEngineRefusesIsToldToTheCashierAtTheNextSaleNotOnlyInTheQueueStatus() throws Exception {
        try (StandInEngine engine = new StandInEngine(call -> {
            if (down.get()) {
                return Answer.refusal(503, "unavailable", "The engine's database cannot be reached");
            }
            if (call.body() != null && "R-1".equals(call.body().getString("receiptId", null))) {
                return Answer.refusal(409, "card_replaced", "Card 2900000000018 was replaced by 2900000000025");
            }
            return answer(call);
        })) {
            Till till = till(engine, Duration.ofSeconds(10));
            down.set(true);
            assertThat(till.sale(CARD, "R-1", BASKET, 0, List.of(), null).status()).isEqualTo(Till.Status.QUEUED);
            down.set(false);

            Till.Outcome next = till.sale(CARD, "R-2", BASKET, 0, List.of(), null);

            assertThat(next.status()).as(next.message()).isEqualTo(Till.Status.DONE);
            assertThat(next.message()).contains("1 sale(s) queued offline were refused by the engine and NOT credited")
                    .contains("S001/R-1: refused, Card 2900000000018 was replaced by 2900000000025")
                    .contains("the customer can claim the points");
            assertThat(ledger.credited()).containsExactly("R-2");
        }
    }

    /**
     * The engine as a till sees it: away (503) while {@code down}; a receipt it has is answered by the ledger before
     * its offers are looked at, as the engine does; a sale with an offer is refused as lapsed, nothing recorded.
     */
    private Answer answer(StandInEngine.Call call) {
        if (down.get()) {
            return Answer.refusal(503, "unavailable", "The engine's database cannot be reached");
        }
        if (call.path().startsWith("pos/cards/")) {
            return Answer.of(200, ledger.card(CARD));
        }
        String receipt = call.body().getString("receiptId");
        if (!call.body().getJsonArray("offerIds").isEmpty() && ledger.recorded(receipt) == null) {
            withOffers.incrementAndGet();
            return Answer.refusal(422, "offer_expired", LAPSED);
        }
        Answer answer = ledger.sale(call);
        if (answer.status() == 201 && !firstAnswerLate.isZero()) {
            Duration late = firstAnswerLate;
            firstAnswerLate = Duration.ZERO;
            return answer.after(late);
        }
        return answer;
    }

    private static JsonObject withOffer(String receipt) {
        return Json.createObjectBuilder(StandInEngine.sale(receipt)).add("offerIds", Json.createArrayBuilder()
                .add("o-1")).build();
    }

    private void write(JsonObject line) throws Exception {
        Files.writeString(folder.resolve("pos-journal.jsonl"), line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private Till till(StandInEngine engine, Duration replayBudget) {
        return new Till(new TillConfig(engine.url(), "key", "S001", "T1", "EUR", Duration.ofMillis(1_000),
                folder.resolve("pos-journal.jsonl")).withReplayBudget(replayBudget));
    }
}
