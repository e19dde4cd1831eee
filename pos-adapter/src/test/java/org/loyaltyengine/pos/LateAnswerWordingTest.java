package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loyaltyengine.pos.StandInEngine.CARD;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.StandInEngine.Answer;

/**
 * A cashier is told "offline" only when the engine cannot be reached: one that took the call and answers too late
 * is said to be late (it may yet do what was asked, a return taken back, say), one that failed on the call is said
 * to have failed, whatever the till asked.
 */
class LateAnswerWordingTest {

    private static final Duration BUDGET = Duration.ofMillis(300);

    @TempDir
    Path folder;

    @Test
    void aLateEngineIsSaidLateAndAnUnreachableOneOffline() throws Exception {
        StandInEngine.Ledger ledger = new StandInEngine.Ledger();
        try (StandInEngine engine = new StandInEngine(call -> Answer.of(200, ledger.card(CARD))
                .after(Duration.ofMillis(1_500)))) {
            Till till = till(engine.url());

            Till.Outcome lookup = till.lookup(CARD);
            Till.Outcome rewards = till.rewards(CARD);

            assertThat(lookup.status()).isEqualTo(Till.Status.UNAVAILABLE);
            assertThat(lookup.message()).startsWith("Loyalty did not answer in time: the card cannot be looked up now");
            assertThat(rewards.message()).startsWith("Loyalty did not answer in time: the rewards cannot be told now")
                    .contains("points cannot be spent until it answers");
        }
        try (StandInEngine engine = new StandInEngine(call -> Answer.refusal(500, "internal_error", "Incident 1"))) {
            assertThat(till(engine.url()).lookup(CARD).message()).startsWith("Loyalty failed on this call: ");
        }
        // Nothing listens on port 9.
        assertThat(till(java.net.URI.create("http://127.0.0.1:9")).lookup(CARD).message()).startsWith("Loyalty offline: ");
    }

    private Till till(java.net.URI url) throws Exception {
        return new Till(new TillConfig(url, "key", "S001", "T1", "EUR", BUDGET, folder.resolve("pos-journal.jsonl")));
    }
}
