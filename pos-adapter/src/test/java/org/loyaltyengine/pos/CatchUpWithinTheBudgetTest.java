package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loyaltyengine.pos.StandInEngine.CARD;
import static org.loyaltyengine.pos.StandInEngine.sale;

import java.nio.file.Path;
import java.time.Duration;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.StandInEngine.Answer;
import org.loyaltyengine.pos.journal.Journal;

/**
 * A card looked up after the engine was restored, while 60 sales of an outage are still queued and the engine takes
 * 100 ms for each: the cashier waits no longer than the budget (1.5 s here; all 60 would take 6 s); the queue is sent
 * from where the look-up stopped by the next calls, and every sale is credited once.
 */
class CatchUpWithinTheBudgetTest {

    private static final Duration BUDGET = Duration.ofMillis(1_500);

    @TempDir
    Path folder;

    @Test
    void aLookUpAfterARestoreSendsWhatItCanInTheBudgetAndTheNextCallsTheRest() throws Exception {
        StandInEngine.Ledger ledger = new StandInEngine.Ledger();
        try (StandInEngine engine = new StandInEngine(call -> {
            Answer answer = call.path().startsWith("pos/cards/") ? Answer.of(200, ledger.card(CARD))
                    : ledger.sale(call).after(Duration.ofMillis(100));
            return answer.withHeader("Loyalty-Restore-Gap", "2026-12-05T10:00:00Z/2026-12-05T10:01:00Z");
        })) {
            Till till = new Till(new TillConfig(engine.url(), "key", "S001", "T1", "EUR", BUDGET,
                    folder.resolve("pos-journal.jsonl")));
            for (int i = 1; i <= 60; i++) {
                till.journal().append("S001/R-" + i, sale("R-" + i));
            }

            long began = System.nanoTime();
            Till.Outcome lookup = till.lookup(CARD);
            Duration waited = Duration.ofNanos(System.nanoTime() - began);

            assertThat(lookup.status()).as(lookup.message()).isEqualTo(Till.Status.DONE);
            assertThat(lookup.message()).contains("Claire D.");
            assertThat(waited).as("the cashier's wait: the budget, and a little for the till's own disk")
                    .isLessThan(BUDGET.plusMillis(1_000));
            assertThat(till.journal().waiting()).as("the rest still queued, none lost").isNotEmpty();

            Till.ReplayReport rest = till.replay(false);
            assertThat(rest.stillWaiting()).as(rest.notes().toString()).isZero();
            assertThat(till.journal().entries()).extracting(Journal.Entry::state)
                    .containsOnly(Journal.State.DELIVERED);
            assertThat(ledger.credited()).hasSize(60);
        }
    }
}
