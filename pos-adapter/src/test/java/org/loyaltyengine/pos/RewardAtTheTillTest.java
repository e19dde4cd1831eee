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
 * A reward taken at the till whose answer is lost: the cashier is told not to hand it over yet; another reward is
 * refused until that one is known; the next sale settles it, and asked for again it is not sent again (a second
 * coffee has to be asked for anew). A card the engine refuses lets go of a card held alone.
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
            // The customer buys a coffee bean bag: the sale sends the reward first, which settles it.
            type(typing, "BEANS coffee 1 9.00\npay\n");
            await("settled at last");
            // Asked for again, the settled reward is not sent again: the cashier is told it was taken, once.
            type(typing, CARD + "\nreward r-coffee\n");
            await("was taken, once");
            // A second coffee, asked for as such: taken under a receipt of its own.
            type(typing, "reward r-coffee\n");
            await("hand over: r-coffee");
            // A card the engine refuses is no customer's: a card held alone is let go, a basket's card kept.
            type(typing, CARD + "\n2900000000032\nreward 1\n" + CARD + "\nCOF-250 coffee 1 4.50\n2900000000032\n"
                    + "quit\n");

            assertThat(till.get(30, TimeUnit.SECONDS)).isZero();
            String all = out.toString(StandardCharsets.UTF_8);
            assertThat(all).contains("do not hand the reward over yet")
                    .contains("settled at last: S001/R-").contains("(card " + CARD + ", r-coffee, 250 points)")
                    .contains("the till holds no card now (card " + CARD + " let go)")
                    .contains("REFUSED\tscan a card first")
                    .contains("the basket still holds 1 line(s) for card " + CARD);
            assertThat(all.lines().filter(line -> line.contains("hand over: r-coffee")).count())
                    .as("handed over once, for the second coffee: " + all).isEqualTo(1);
            assertThat(ledger.redeemed()).as("two coffees, each once: " + all).hasSize(2);
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
