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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.StandInEngine.Answer;

/**
 * A till whose clock is an hour slow by the engine's (a stand-in engine whose {@code Date} header says so), after the
 * engine was restored to a moment before a sale of the till: the restore's gap is told in the engine's time, and the
 * till, which knows how far its clock is off, sends the lost sale again and the customer has its points, once.
 */
class RestoreWithTheClockOffTest {


    @TempDir
    Path folder;

    private final StandInEngine.Ledger ledger = new StandInEngine.Ledger();
    private final AtomicReference<String> restoreGap = new AtomicReference<>();
    private final List<String> sentAgain = new CopyOnWriteArrayList<>();

    @Test
    void aSaleTheRestoreLostIsSentAgainThoughTheTillsClockIsAnHourSlow() throws Exception {
        try (StandInEngine engine = new StandInEngine(this::answer)) {
            engine.clockAhead = Duration.ofHours(1);
            Till till = till(engine);
            assertThat(till.lookup(CARD).status()).isEqualTo(Till.Status.DONE);
            Till.Outcome sale = till.sale(CARD, "R-1", BASKET, 0);
            assertThat(sale.status()).as(sale.message()).isEqualTo(Till.Status.DONE);

            // Restored to a minute before the sale: the engine lost it, and tells the tills so in its own time.
            ledger.lose("R-1");
            restoreGap.set(engine.now().minusSeconds(60) + "/" + engine.now());
            Till.Outcome lookup = till.lookup(CARD);

            assertThat(lookup.message()).contains("1 earlier call(s) of this till recorded again");
            assertThat(sentAgain).containsExactly("R-1");
            assertThat(ledger.credited()).containsExactly("R-1");
        }
    }

    @Test
    void aSaleKeptByAnEarlierVersionAtTheTillsOwnTimeIsSentAgainToo() throws Exception {
        try (StandInEngine engine = new StandInEngine(this::answer)) {
            engine.clockAhead = Duration.ofHours(1);
            Till till = till(engine);
            assertThat(till.lookup(CARD).status()).isEqualTo(Till.Status.DONE);
            // Kept before the sent log held the engine's time: at the till's own, an hour behind the engine's.
            JsonObject sale = Json.createObjectBuilder().add("cardNumber", CARD).add("storeId", "S001")
                    .add("terminalId", "T1").add("receiptId", "R-0").add("occurredAt", engine.now().toString())
                    .add("currency", "EUR").add("lines", BASKET).add("redeemPoints", 0)
                    .add("offerIds", Json.createArrayBuilder()).build();
            Files.writeString(till.sent().file(), Json.createObjectBuilder().add("path", "pos/transactions")
                    .add("sentAt", Instant.now().toString()).add("body", sale).add("transactionId", "t-R-0").build()
                    + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);

            restoreGap.set(engine.now().minusSeconds(60) + "/" + engine.now());
            Till.Outcome lookup = till.lookup(CARD);

            assertThat(lookup.message()).contains("1 earlier call(s) of this till recorded again");
            assertThat(ledger.credited()).containsExactly("R-0");
        }
    }

    private Answer answer(StandInEngine.Call call) {
        Answer answer;
        if (call.path().startsWith("pos/cards/")) {
            answer = Answer.of(200, ledger.card(call.path().substring("pos/cards/".length())));
        } else if (call.path().equals("pos/transactions")) {
            if (call.headers().containsKey(Resend.ORIGINAL_TRANSACTION.toLowerCase(java.util.Locale.ROOT))) {
                sentAgain.add(call.body().getString("receiptId"));
            }
            answer = ledger.sale(call);
        } else {
            answer = Answer.refusal(404, "not_found", "No such call");
        }
        String gap = restoreGap.get();
        return gap == null ? answer : answer.withHeader("Loyalty-Restore-Gap", gap);
    }

    private Till till(StandInEngine engine) {
        return new Till(new TillConfig(engine.url(), "key", "S001", "T1", "EUR", Duration.ofMillis(2_000),
                folder.resolve("pos-journal.jsonl")));
    }
}
