package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.loyaltyengine.pos.StandInEngine.CARD;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;


import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.StandInEngine.Answer;

/**
 * A reward taken at the till whose answer is lost: the cashier is told not to hand it over yet, and asking for it
 * again sends it under the same receipt, so that the engine takes the points once, however often the cashier tries;
 * another reward is refused until that one is known. A card the engine refuses lets go of the card held.
 */
class RewardAtTheTillTest {

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @Test
    void aRewardWithNoAnswerIsAskedAgainUnderItsReceiptAndTakenOnce() throws Exception {
        StandInEngine.Ledger ledger = new StandInEngine.Ledger();
        AtomicBoolean slow = new AtomicBoolean(true);
        try (StandInEngine engine = new StandInEngine(call -> {
            if (call.path().equals("pos/cards/2900000000032")) {
                return Answer.refusal(409, "card_blocked", "Card 2900000000032 is blocked: lost");
            }
            if (call.path().startsWith("pos/cards/")) {
                return Answer.of(200, ledger.card(CARD));
            }
            if (call.path().equals("pos/redemptions")) {
                Answer recorded = ledger.redemption(call);
                // Recorded, and the answer lost on the way while the network is slow.
                return slow.get() ? recorded.after(Duration.ofSeconds(3)) : recorded;
            }
            return ledger.sale(call);
        });
             PipedOutputStream typing = new PipedOutputStream();
             PipedInputStream typed = new PipedInputStream(typing)) {
            Map<String, String> environment = Map.of("LOYALTY_POS_ENGINE_URL", engine.url().toString(),
                    "LOYALTY_POS_API_KEY", "key", "LOYALTY_POS_STORE", "S001", "LOYALTY_POS_BUDGET_MS", "300",
                    "LOYALTY_POS_SETTLE_MS", "600", "LOYALTY_POS_JOURNAL", folder.resolve("pos-journal.jsonl")
                            .toString());
            PrintStream said = new PrintStream(out, true, StandardCharsets.UTF_8);
            CompletableFuture<Integer> till = CompletableFuture.supplyAsync(() -> new Main(typed, said, said,
                    environment).run(new String[] {"till"}));

            type(typing, CARD + "\nreward r-coffee\n");
            await("UNKNOWN\t");
            type(typing, "reward r-mug\n");
            await("was taken is NOT KNOWN yet");
            slow.set(false);
            type(typing, "reward r-coffee\n");
            await("DONE\t");
            // The visit ends with the reward: a card the engine refuses is no customer's, nothing is held.
            type(typing, CARD + "\nCOF-250 coffee 1 4.50\n2900000000032\nquit\n");

            assertThat(till.get(30, TimeUnit.SECONDS)).isZero();
            String all = out.toString(StandardCharsets.UTF_8);
            assertThat(all).contains("do not hand the reward over yet")
                    .contains("hand over: r-coffee").contains("the basket still holds 1 line(s) for card " + CARD);
            assertThat(ledger.redeemed()).as("one receipt, whatever the tries: " + all).hasSize(1);
        }
    }

    private static void type(PipedOutputStream typing, String lines) throws Exception {
        typing.write(lines.getBytes(StandardCharsets.UTF_8));
        typing.flush();
    }

    private void await(String text) throws InterruptedException {
        for (int i = 0; i < 300 && !out.toString(StandardCharsets.UTF_8).contains(text); i++) {
            Thread.sleep(50);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains(text);
    }
}
