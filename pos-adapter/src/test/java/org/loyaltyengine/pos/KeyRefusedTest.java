package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loyaltyengine.pos.StandInEngine.BASKET;
import static org.loyaltyengine.pos.StandInEngine.CARD;
import static org.loyaltyengine.pos.StandInEngine.sale;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loyaltyengine.pos.StandInEngine.Answer;
import org.loyaltyengine.pos.journal.Journal;

/**
 * The engine refuses the till itself, not its sales: a key it no longer knows (restored from a backup older than the
 * key, or the key rotated), a key of another store, or too many calls at once. The queued sales stay queued, none is
 * refused, the cashier and the operator are told why; once the engine takes the till again, each is credited once.
 */
class KeyRefusedTest {


    @TempDir
    Path folder;

    private final StandInEngine.Ledger ledger = new StandInEngine.Ledger();
    private final AtomicBoolean tillRefused = new AtomicBoolean(true);
    private final AtomicReference<Answer> refusal = new AtomicReference<>();

    @ParameterizedTest
    @CsvSource({"401, unauthenticated, key", "403, forbidden, key", "403, store_mismatch, key",
            "429, too_many_requests, would not take", "404, not_found, check engine.url"})
    void theQueuedSalesStayQueuedAndAreCreditedOnceTheEngineTakesTheTillAgain(int status, String error, String told)
            throws Exception {
        refusal.set(Answer.refusal(status, error, "Refused: " + error));
        try (StandInEngine engine = new StandInEngine(this::answer)) {
            Till till = till(engine);
            for (String receipt : new String[] {"R-1", "R-2", "R-3"}) {
                till.journal().append("S001/" + receipt, sale(receipt));
            }

            Till.ReplayReport replay = till.replay(false);

            assertThat(replay.refused()).as(replay.notes().toString()).isZero();
            assertThat(replay.stillWaiting()).isEqualTo(3);
            assertThat(till.journal().entries()).extracting(Journal.Entry::state).containsOnly(Journal.State.QUEUED);
            assertThat(replay.notes().toString()).contains(told);

            Till.Outcome sale = till.sale(CARD, "R-4", BASKET, 0);
            assertThat(sale.status()).as(sale.message()).isEqualTo(Till.Status.QUEUED);
            assertThat(sale.message()).contains(told);

            tillRefused.set(false);
            replay = till.replay(false);
            assertThat(replay.delivered()).as(replay.notes().toString()).isEqualTo(4);
            assertThat(ledger.credited()).containsExactly("R-1", "R-2", "R-3", "R-4");
        }
    }

    @Test
    void sendingAgainByHandWhatARestoreLostStopsAtTheKeyAndRefusesNothing() throws Exception {
        refusal.set(Answer.refusal(401, "unauthenticated", "Unknown POS key"));
        tillRefused.set(false);
        try (StandInEngine engine = new StandInEngine(this::answer)) {
            Till till = till(engine);
            assertThat(till.sale(CARD, "R-1", BASKET, 0).status()).isEqualTo(Till.Status.DONE);
            assertThat(till.sale(CARD, "R-2", BASKET, 0).status()).isEqualTo(Till.Status.DONE);
            ledger.lose("R-1");
            ledger.lose("R-2");

            // Restored from a backup older than the till's key: queue resend is refused the key.
            tillRefused.set(true);
            Till.ResendReport refused = till.resend(engine.now().minusSeconds(120));
            assertThat(refused.refused()).as(refused.notes().toString()).isZero();
            assertThat(refused.notSent()).isEqualTo(2);
            assertThat(refused.notes().toString()).contains("key");

            tillRefused.set(false);
            Till.ResendReport resent = till.resend(engine.now().minusSeconds(120));
            assertThat(resent.recordedAgain()).as(resent.notes().toString()).isEqualTo(2);
            assertThat(ledger.credited()).containsExactly("R-1", "R-2");
        }
    }

    private Answer answer(StandInEngine.Call call) {
        if (tillRefused.get()) {
            return refusal.get();
        }
        return call.path().startsWith("pos/cards/") ? Answer.of(200, ledger.card(CARD)) : ledger.sale(call);
    }

    private Till till(StandInEngine engine) {
        return new Till(new TillConfig(engine.url(), "key", "S001", "T1", "EUR", Duration.ofMillis(2_000),
                folder.resolve("pos-journal.jsonl")));
    }
}
