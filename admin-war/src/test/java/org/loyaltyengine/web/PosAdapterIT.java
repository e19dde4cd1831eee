package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The till-side program as a till runs it ({@code java -jar loyalty-pos.jar}) against the real engine started by
 * its launcher: a card read from an image, a sale, a return, a redemption; then the engine stops, ten sales are
 * queued in the journal, the engine comes back, the ten are credited once each, and replaying them twice more
 * changes nothing.
 */
@Tag(LaunchedEngine.OWN_ENGINE)
class PosAdapterIT {

    private static final String CLAIRE = "2900000000018";
    private static final String[] TILL = {"X-Api-Key", "demo-pos-S001"};

    private Path dataDir = Path.of(System.getProperty("loyalty.it.data.dir") + "-pos-adapter");
    private Path work = dataDir.resolveSibling(dataDir.getFileName() + "-till");
    private LaunchedEngine engine;
    private int port;
    /** Where the till reaches the engine: directly, or through a {@link TillProxy}. */
    private String tillUrl;
    /** The till's budget.ms when not its default: a cold engine on a busy machine may take longer for a first call. */
    private String budgetMs;

    @AfterEach
    void stop() throws InterruptedException {
        stopEngine();
    }

    @Test
    void theTillSellsReturnsAndRedeemsAndKeepsSellingWhileTheEngineIsDown() throws Exception {
        Files.createDirectories(work);
        port = LaunchedEngine.freePort();
        startEngine("first");
        Http http = new Http(new URL("http://127.0.0.1:" + port + "/"));
        Path basket = write("basket.json", """
                [{"sku":"COF-250","category":"coffee","quantity":2,"unitPrice":"4.50"}]""");
        Path returned = write("returned.json", "[{\"sku\":\"COF-250\",\"quantity\":1}]");
        budgetMs = "5000";

        Run image = pos("card-image", CLAIRE, "--format", "qr", "--out", work.resolve("claire.png").toString());
        assertThat(image.exit()).as(image.output()).isZero();
        Run decode = pos("decode", work.resolve("claire.png").toString());
        assertThat(decode.output()).contains("QR_CODE\t" + CLAIRE);

        Run lookup = pos("lookup", work.resolve("claire.png").toString());
        assertThat(lookup.exit()).as(lookup.output()).isZero();
        assertThat(lookup.output()).contains("Claire D.").contains("SILVER");
        Run product = pos("lookup", "]E04006381333931");
        assertThat(product.exit()).isEqualTo(1);
        assertThat(product.output()).contains("product barcode");

        long before = balance(http);
        Run quote = pos("quote", "--card", CLAIRE, "--lines", basket.toString());
        assertThat(quote.exit()).as(quote.output()).isZero();
        assertThat(quote.output()).startsWith("DONE\twould earn 22 points; balance after " + (before + 22))
                .contains("nothing recorded");
        assertThat(balance(http)).as("a quote records nothing").isEqualTo(before);
        Run sale = pos("sale", "--card", work.resolve("claire.png").toString(), "--receipt", receipt(), "--lines",
                basket.toString());
        assertThat(sale.exit()).as(sale.output()).isZero();
        assertThat(sale.output()).startsWith("DONE").contains("22 points earned");
        String transactionId = answer(sale).getString("transactionId");
        assertThat(balance(http)).isEqualTo(before + 22);

        Run giveBack = pos("return", "--transaction", transactionId, "--return-id", "RET-" + UUID.randomUUID(),
                "--lines", returned.toString());
        assertThat(giveBack.exit()).as(giveBack.output()).isZero();
        assertThat(giveBack.output()).contains("11 points taken back");

        String firstCoffee = receipt();
        Run redeem = pos("redeem", "--card", CLAIRE, "--receipt", firstCoffee, "--reward", "r-coffee");
        assertThat(redeem.exit()).as(redeem.output()).isZero();
        assertThat(redeem.output()).contains("250 points spent");
        assertThat(balance(http)).isEqualTo(before + 22 - 11 - 250);

        // At the till, the customer asks for a free coffee: the cashier lists what the card's points buy now and
        // takes the first, on a receipt of its own; a number not listed is refused and spends nothing.
        Run rewards = pos("rewards", CLAIRE);
        assertThat(rewards.exit()).as(rewards.output()).isZero();
        assertThat(rewards.output()).startsWith("DONE\tClaire D. · SILVER · " + (before + 22 - 11 - 250) + " points;"
                + " 1 of 1 reward(s) can be taken now: 1) A coffee, 250 points (r-coffee): can take it");
        // The visit for a coffee alone ends with it: the next customer's "reward 1" is not put on Claire's card.
        Run atTheTill = posTill(CLAIRE + "\nreward 1\nrewards\nreward 2\nreward 1\nreward 1\nquit\n");
        assertThat(atTheTill.output()).as("without a list, a number means nothing")
                .contains("REFUSED\tlist the rewards first (rewards)")
                .contains("REFUSED\tno reward 2: reward 1 to reward 1")
                .contains("card " + CLAIRE + ": A coffee: 250 points spent").contains("hand over: A coffee")
                .contains("the till holds no card now").contains("REFUSED\tscan a card first");
        assertThat(atTheTill.output().lines().filter(line -> line.contains("250 points spent")).count())
                .as(atTheTill.output()).isEqualTo(1);
        assertThat(balance(http)).isEqualTo(before + 22 - 11 - 500);
        // A coffee taken with a basket, then the basket cancelled: the coffee stays spent, and the cashier is told.
        Run cancelled = posTill(CLAIRE + "\nCOF-250 coffee 1 4.50\nrewards\nreward 1\ncancel\nquit\n");
        assertThat(cancelled.output()).contains("hand over: A coffee").doesNotContain("the till holds no card")
                .contains("basket cancelled; the reward(s) taken stay spent (handed over): A coffee (250 points) on"
                        + " receipt R-T9-");
        assertThat(balance(http)).isEqualTo(before + 22 - 11 - 750);
        // The customer changes their mind: the coffee's receipt alone gives it back at the till, and the cashier
        // takes the coffee back; asked again by the receipt, nothing is given twice.
        String coffeeReceipt = cancelled.output().lines().filter(line -> line.startsWith("DONE\tR-T9-"))
                .map(line -> line.split("\t")[1]).findFirst().orElseThrow();
        Run givenBack = posTill("return " + coffeeReceipt + "\nquit\n");
        assertThat(givenBack.output()).as(givenBack.output()).startsWith("DONE\t" + coffeeReceipt
                + "\tA coffee cancelled: 250 points given back; balance " + (before + 22 - 11 - 500))
                .contains("take the reward back");
        Run askedTwice = pos("cancel-redemption", "--receipt", coffeeReceipt, "--reason", "asked twice");
        assertThat(askedTwice.exit()).as(askedTwice.output()).isZero();
        assertThat(askedTwice.output()).startsWith("DONE\talready cancelled: A coffee cancelled: 250 points were given"
                + " back at ").contains("nothing to give or take back now").doesNotContain("take the reward back");
        assertThat(pos("cancel-redemption", "--receipt", firstCoffee).output()).startsWith("DONE\tA coffee cancelled");
        // Points spent for their value, given back: the cashier is told what to take back from the customer.
        String forValue = receipt();
        assertThat(pos("redeem", "--card", CLAIRE, "--receipt", forValue, "--points", "100").exit()).isZero();
        Run valueBack = pos("cancel-redemption", "--receipt", forValue);
        assertThat(valueBack.exit()).as(valueBack.output()).isZero();
        assertThat(valueBack.output()).startsWith("DONE\t100 points given back")
                .contains("the points were worth 1.00 EUR: take that back from the customer")
                .doesNotContain("take the reward back");
        // Sent again after it was cancelled, the redemption spends nothing and the cashier hands nothing over.
        Run spentAgain = pos("redeem", "--card", CLAIRE, "--receipt", forValue, "--points", "100");
        assertThat(spentAgain.exit()).isEqualTo(1);
        assertThat(spentAgain.output()).startsWith("REFUSED\treceipt " + forValue + " was recorded and CANCELLED since")
                .contains("hand nothing over");
        // A coffee another terminal of the store gave: this till has only the receipt, and the engine finds it.
        String otherTill = "R-T8-" + UUID.randomUUID();
        Http.Reply elsewhere = http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + CLAIRE + "\",\"storeId\":"
                + "\"S001\",\"terminalId\":\"T8\",\"receiptId\":\"" + otherTill + "\",\"rewardId\":\"r-coffee\"}",
                "X-Api-Key", "demo-pos-S001");
        assertThat(elsewhere.status()).as(elsewhere.body()).isEqualTo(201);
        Run fromAnotherTill = posTill("return " + otherTill + "\nquit\n");
        assertThat(fromAnotherTill.output()).startsWith("DONE\t" + otherTill + "\tA coffee cancelled: 250 points given"
                + " back").contains("take the reward back");
        Run noSuch = pos("cancel-redemption", "--redemption", "d-nothing");
        assertThat(noSuch.exit()).isEqualTo(1);
        assertThat(noSuch.output()).startsWith("REFUSED\tNo redemption d-nothing");
        Run notAReward = pos("cancel-redemption", "--receipt", "R-NOT-HERE");
        assertThat(notAReward.exit()).isEqualTo(1);
        assertThat(notAReward.output()).contains("No redemption was recorded under receipt R-NOT-HERE of store S001");
        assertThat(balance(http)).isEqualTo(before + 22 - 11 - 250);
        // Marc, who has no points yet, is told how far he is from one.
        Run marc = pos("rewards", "2900000000025");
        assertThat(marc.output()).startsWith("DONE\tMarc P. · BRONZE · 0 points; 0 of 1 reward(s) can be taken now")
                .contains("(r-coffee): 250 points short");

        // A return by the receipt in the cashier's hand (the till knows its own sales' transactions); the sale was
        // paid with points as well, which the return does not give back: the cashier is told.
        String paidWithPoints = receipt();
        Run mixed = pos("sale", "--card", CLAIRE, "--receipt", paidWithPoints, "--lines", basket.toString(),
                "--redeem", "100");
        assertThat(mixed.output()).startsWith("DONE").contains("100 spent");
        Run byReceipt = pos("return", "--receipt", paidWithPoints, "--return-id", "RET-" + UUID.randomUUID(),
                "--lines", returned.toString());
        assertThat(byReceipt.exit()).as(byReceipt.output()).isZero();
        assertThat(byReceipt.output()).startsWith("DONE\t").contains(" points taken back")
                .contains("the sale was paid with 100 points as well: they are not given back by the return");
        Run unknownReceipt = pos("return", "--receipt", "R-NOT-HERE", "--return-id", "RET-" + UUID.randomUUID(),
                "--lines", returned.toString());
        assertThat(unknownReceipt.exit()).isEqualTo(1);
        assertThat(unknownReceipt.output()).contains("No sale of receipt R-NOT-HERE was recorded at this till")
                .contains("--transaction t-");
        long online = balance(http);
        assertThat(online).isEqualTo(before + 22 - 11 - 250 + answer(mixed).getJsonNumber("pointsEarned").longValue()
                - 100 - answer(byReceipt).getJsonNumber("pointsReversed").longValue());

        // At the till's prompt: a price mistyped is refused as it is typed, a line taken off, the transaction id
        // said at pay, and that id takes the return (as at another till, whose receipts this one does not know).
        Run session = posTill(CLAIRE + "\nCOF-250 coffee 1 4.505\nMUG-1 homeware 1 1e2\nCOF-250 coffee 2 4.50\n"
                + "MUG-1 homeware 1 12.00\nremove 2\npay\nqueue status\nquit\n");
        assertThat(session.output()).as(session.output())
                .contains("REFUSED\tthe price 4.505 has more than the 2 decimal(s) of EUR: line not added")
                .contains("REFUSED\tthe price \"1e2\" is not an amount such as 4.50")
                .contains("line 2 (MUG-1) removed; 1 line(s) in the basket").contains("0 sale(s) waiting");
        String paid = session.output().lines().filter(line -> line.startsWith("DONE\tR-T9-")).findFirst().orElseThrow();
        assertThat(paid).contains("22 points earned").containsPattern(" · transaction t-[a-z0-9]+$");
        String transaction = paid.substring(paid.lastIndexOf(" ") + 1);
        Run byTransaction = posTill("return " + transaction + " COF-250 1\nquit\n");
        assertThat(byTransaction.output()).as(byTransaction.output()).startsWith("DONE\tRET-T9-")
                .contains("11 points taken back");
        assertThat(balance(http)).as("the mug never sold").isEqualTo(online + 22 - 11);
        online = balance(http);

        stopEngine();
        budgetMs = null;
        for (int i = 0; i < 10; i++) {
            Run queued = pos("sale", "--card", CLAIRE, "--receipt", "OFF-" + i + "-" + UUID.randomUUID(), "--lines",
                    basket.toString());
            assertThat(queued.exit()).as(queued.output()).isZero();
            assertThat(queued.output()).startsWith("QUEUED").contains("will be credited");
        }
        Run offlineRedeem = pos("redeem", "--card", CLAIRE, "--receipt", receipt(), "--points", "100");
        assertThat(offlineRedeem.exit()).isEqualTo(3);
        assertThat(offlineRedeem.output()).contains("points cannot be spent");
        Run offlineSpend = pos("sale", "--card", CLAIRE, "--receipt", receipt(), "--lines", basket.toString(),
                "--redeem", "100");
        assertThat(offlineSpend.exit()).as("a sale paying with points is not queued: offline, not refused")
                .isEqualTo(3);
        assertThat(offlineSpend.output()).startsWith("UNAVAILABLE").contains("points cannot be spent now");
        Run status = pos("queue", "status");
        assertThat(status.output()).contains("10 sale(s) waiting");

        startEngine("second");
        assertThat(balance(http)).as("nothing was credited while the engine was down").isEqualTo(online);
        Run replay = pos("queue", "replay");
        assertThat(replay.exit()).as(replay.output()).isZero();
        assertThat(replay.output()).contains("10 delivered, 0 refused, 0 still waiting");
        assertThat(balance(http)).as("ten sales, credited once each").isEqualTo(online + 10 * 22);

        for (int again = 0; again < 2; again++) {
            Run audit = pos("queue", "replay", "--again");
            assertThat(audit.exit()).as(audit.output()).isZero();
            assertThat(audit.output()).contains("already credited").doesNotContain(": 201");
        }
        assertThat(balance(http)).as("replayed twice more, nothing changed").isEqualTo(online + 10 * 22);
        assertThat(pos("queue", "status").output()).contains("0 sale(s) waiting");

        // What the till sent in the last hour, sent again (as after a restore of the engine): all of it is there.
        Run resend = pos("queue", "resend", "--hours", "1");
        assertThat(resend.exit()).as(resend.output()).isZero();
        assertThat(resend.output()).as("a sale, its return, the three rewards, two of them cancelled (one twice), points"
                + " spent for their value and given back (then sent again), another till's coffee given back here, a sale"
                + " paid with points and its return, a sale at the prompt and its return by the transaction id, and"
                + " the ten sales queued while offline")
                .contains("0 recorded again (the engine had lost them), 26 already recorded, 0 refused, 0 not sent");
        assertThat(balance(http)).as("nothing credited twice").isEqualTo(online + 10 * 22);
        Run noWindow = pos("queue", "resend");
        assertThat(noWindow.exit()).as(noWindow.output()).isEqualTo(2);
        assertThat(noWindow.output()).contains("--since TIME");
    }

    /**
     * The engine's answers slow to come back (a shop's network): a sale paying with points whose first answer is
     * lost is sent again as it was and found recorded once; one that never gets an answer is said to be unknown, not
     * "not spent", kept in the journal, and settled by a replay, the points taken once. A receipt or a return sent
     * twice is a replay, said so. A sale queued while the till's clock ran an hour fast is credited at a corrected
     * time, not refused for good. After an outage, the first sale does not wait for the whole queue.
     */
    @Test
    void theTillTellsTheTruthWhenAnswersAreSlowAndItsClockIsOff() throws Exception {
        dataDir = Path.of(System.getProperty("loyalty.it.data.dir") + "-pos-adapter-slow");
        work = dataDir.resolveSibling(dataDir.getFileName() + "-till");
        Files.createDirectories(work);
        port = LaunchedEngine.freePort();
        startEngine("slow");
        Http http = new Http(new URL("http://127.0.0.1:" + port + "/"));
        Path basket = write("basket.json", """
                [{"sku":"COF-250","category":"coffee","quantity":2,"unitPrice":"4.50"}]""");
        Path returned = write("returned.json", "[{\"sku\":\"COF-250\",\"quantity\":1}]");
        try (TillProxy proxy = new TillProxy(port)) {
            tillUrl = proxy.url();

            // The engine takes the points; its answer comes after the till's budget. Sent again as it was: a replay.
            long before = balance(http);
            proxy.delay = java.time.Duration.ofSeconds(2);
            proxy.delayAnswers.set(1);
            Run lateAnswer = pos("sale", "--card", CLAIRE, "--receipt", receipt(), "--lines", basket.toString(),
                    "--redeem", "100");
            assertThat(lateAnswer.exit()).as(lateAnswer.output()).isZero();
            assertThat(lateAnswer.output()).startsWith("DONE\talready recorded: ").contains(", 100 spent")
                    .doesNotContain("cannot be spent");
            long earned = answer(lateAnswer).getJsonNumber("pointsEarned").longValue();
            assertThat(balance(http)).as("the points taken once").isEqualTo(before + earned - 100);

            // No answer at all within the time it is sent again: unknown, said so, kept, settled by a replay.
            before = balance(http);
            proxy.delay = java.time.Duration.ofSeconds(8);
            proxy.delayAnswers.set(10);
            String unknownReceipt = receipt();
            Run noAnswer = pos("sale", "--card", CLAIRE, "--receipt", unknownReceipt, "--lines", basket.toString(),
                    "--redeem", "100");
            assertThat(noAnswer.exit()).as(noAnswer.output()).isEqualTo(3);
            assertThat(noAnswer.output()).startsWith("UNKNOWN").contains("NOT KNOWN")
                    .contains("Do not ring it up again under another receipt").doesNotContain("cannot be spent");
            assertThat(pos("queue", "status").output()).contains("1 sale(s) waiting").contains(unknownReceipt)
                    .contains("not known");
            proxy.delayAnswers.set(0);
            // The next sale sends it first, and tells the cashier how it ended.
            Run next = pos("sale", "--card", CLAIRE, "--receipt", receipt(), "--lines", basket.toString());
            assertThat(next.exit()).as(next.output()).isZero();
            assertThat(next.output()).startsWith("DONE").contains("settled at last: S001/" + unknownReceipt
                    + " (card " + CLAIRE + ", 100 points) (the points not known to be spent are spent, once: hand over"
                    + " what they pay for, if not done)");
            assertThat(balance(http)).as("spent once, earned once, and the next sale's").isEqualTo(before + earned - 100
                    + 22);
            assertThat(pos("queue", "status").output()).contains("0 sale(s) waiting");

            // A sale whose answer is late is not "offline": the engine may have it; kept, sent again, credited once.
            before = balance(http);
            proxy.delay = java.time.Duration.ofSeconds(3);
            proxy.delayAnswers.set(1);
            Run late = pos("sale", "--card", CLAIRE, "--receipt", receipt(), "--lines", basket.toString());
            assertThat(late.output()).startsWith("QUEUED").contains("Loyalty did not answer in time")
                    .contains("will be credited, once").doesNotContain("offline");
            Run replayed = pos("queue", "replay");
            assertThat(replayed.output()).contains("200 already credited (replay)");
            assertThat(balance(http)).as("credited once").isEqualTo(before + 22);
            before = balance(http);

            // A redemption whose answer comes late is found recorded, not said to be unspent.
            before = balance(http);
            proxy.delay = java.time.Duration.ofSeconds(2);
            proxy.delayAnswers.set(1);
            Run lateRedeem = pos("redeem", "--card", CLAIRE, "--receipt", receipt(), "--points", "100");
            assertThat(lateRedeem.exit()).as(lateRedeem.output()).isZero();
            assertThat(lateRedeem.output()).startsWith("DONE").contains("already recorded: 100 points spent (take"
                    + " 1.00 EUR off the bill)");
            assertThat(balance(http)).isEqualTo(before - 100);

            // A return whose answer is lost, typed again at the till's prompt: sent again under its first return
            // id, and the points taken back once (each try used to be a return of its own: twice the points).
            String sold = receipt();
            assertThat(pos("sale", "--card", CLAIRE, "--receipt", sold, "--lines", basket.toString()).output())
                    .startsWith("DONE");
            before = balance(http);
            proxy.delay = java.time.Duration.ofSeconds(3);
            proxy.delayAnswers.set(1);
            Run retried = posTill("return " + sold + " COF-250 1\nreturn " + sold + " COF-250 1\nquit\n");
            List<String> said = retried.output().lines().filter(line -> line.startsWith("UNKNOWN")
                    || line.startsWith("DONE")).toList();
            assertThat(said).as(retried.output()).hasSize(2);
            String returnId = said.get(0).split("\t")[1];
            assertThat(said.get(0)).startsWith("UNKNOWN\tRET-T9-").contains("whether return " + returnId
                    + " was recorded is NOT KNOWN");
            assertThat(said.get(1)).startsWith("DONE\t" + returnId + "\tsent again as " + returnId
                    + ": already recorded: 11 points taken back");
            assertThat(balance(http)).as("one coffee back, its points taken once").isEqualTo(before - 11);
        }
        tillUrl = null;
        budgetMs = "5000";

        // The same receipt sent twice with the same basket, the same return twice: replays, said so.
        long before = balance(http);
        String twice = receipt();
        Run first = pos("sale", "--card", CLAIRE, "--receipt", twice, "--lines", basket.toString());
        assertThat(first.output()).startsWith("DONE").contains("22 points earned");
        Thread.sleep(1_100);
        Run again = pos("sale", "--card", CLAIRE, "--receipt", twice, "--lines", basket.toString());
        assertThat(again.exit()).as(again.output()).isZero();
        assertThat(again.output()).startsWith("DONE").contains("already recorded: 22 points earned");
        String returnId = "RET-" + UUID.randomUUID();
        String transactionId = answer(first).getString("transactionId");
        assertThat(pos("return", "--transaction", transactionId, "--return-id", returnId, "--lines",
                returned.toString()).output()).startsWith("DONE\t11 points taken back");
        assertThat(pos("return", "--transaction", transactionId, "--return-id", returnId, "--lines",
                returned.toString()).output()).startsWith("DONE\talready recorded: 11 points taken back");
        assertThat(balance(http)).isEqualTo(before + 22 - 11);

        // A sale queued while the till's clock ran an hour fast: the engine refuses it as in the future; it is sent
        // again at the engine's time and credited.
        before = balance(http);
        String fast = receipt();
        Files.writeString(work.resolve("journal.jsonl"), queued(1_000, fast, java.time.OffsetDateTime.now()
                .plusHours(1)), java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Run corrected = pos("queue", "replay");
        assertThat(corrected.exit()).as(corrected.output()).isZero();
        assertThat(corrected.output()).contains(fast + ": 201 credited, its time corrected");
        assertThat(balance(http)).isEqualTo(before + 22);
        Run audit = pos("queue", "replay", "--again");
        assertThat(audit.output()).as("sent again as the engine has it").contains(fast + ": 200 already credited")
                .doesNotContain(": refused");
        assertThat(balance(http)).isEqualTo(before + 22);

        // After an outage of 60 sales, with every answer 200 ms slow: the next sale waits for part of the queue
        // only (before: 12 s for the whole queue), is queued behind the rest, and a replay sends them all.
        before = balance(http);
        StringBuilder outage = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            outage.append(queued(2_000 + i, "OUT-" + i + "-" + UUID.randomUUID(), java.time.OffsetDateTime.now()));
        }
        Files.writeString(work.resolve("journal.jsonl"), outage, java.nio.file.StandardOpenOption.APPEND);
        budgetMs = null;
        try (TillProxy proxy = new TillProxy(port)) {
            tillUrl = proxy.url();
            proxy.everyAnswer = java.time.Duration.ofMillis(200);
            long began = System.nanoTime();
            Run next = pos("sale", "--card", CLAIRE, "--receipt", receipt(), "--lines", basket.toString());
            long millis = (System.nanoTime() - began) / 1_000_000;
            assertThat(next.exit()).as(next.output()).isZero();
            // Behind the queue either way: still being sent, or, when the one queued sale sent in the time left took
            // longer than it (the machine busy with other tests: 200 ms here plus the engine's time), said offline.
            assertThat(next.output()).startsWith("QUEUED")
                    .containsPattern("earlier sale\\(s\\) still being sent|60 earlier sale\\(s\\) waiting, The engine"
                            + " did not answer within");
            assertThat(millis).as("the cashier waits for half the budget of the queue, not 12 s").isLessThan(6_000);
            Run rest = pos("queue", "replay");
            assertThat(rest.output()).as(rest.output()).contains("0 still waiting");
        }
        tillUrl = null;
        assertThat(balance(http)).as("60 queued sales and the new one, once each").isEqualTo(before + 61 * 22);
    }

    /** A journal line of a sale queued offline, as the till writes it. */
    private static String queued(long seq, String receipt, java.time.OffsetDateTime occurredAt) {
        JsonObject body = Json.createObjectBuilder().add("cardNumber", CLAIRE).add("storeId", "S001")
                .add("terminalId", "T9").add("receiptId", receipt).add("occurredAt", occurredAt
                        .truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).add("currency", "EUR")
                .add("lines", Json.createArrayBuilder().add(Json.createObjectBuilder().add("sku", "COF-250")
                        .add("category", "coffee").add("quantity", 2).add("unitPrice", "4.50")))
                .add("redeemPoints", 0).add("offerIds", Json.createArrayBuilder()).build();
        return Json.createObjectBuilder().add("seq", seq).add("receipt", "S001/" + receipt)
                .add("queuedAt", java.time.Instant.now().toString()).add("body", body).build() + "\n";
    }

    private record Run(int exit, String output) {
    }

    private Run pos(String... args) throws IOException, InterruptedException {
        return pos(null, args);
    }

    /** The till's session ({@code till}), the cashier's lines typed on its standard input. */
    private Run posTill(String typed) throws IOException, InterruptedException {
        return pos(write("typed-" + UUID.randomUUID() + ".txt", typed), "till");
    }

    private Run pos(Path typed, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", System.getProperty("loyalty.pos.jar")));
        command.addAll(List.of(args));
        Path output = work.resolve("pos-" + UUID.randomUUID() + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .directory(work.toFile());
        if (typed != null) {
            builder.redirectInput(typed.toFile());
        }
        Map<String, String> env = builder.environment();
        env.put("LOYALTY_POS_ENGINE_URL", tillUrl != null ? tillUrl : "http://127.0.0.1:" + port);
        env.put("LOYALTY_POS_API_KEY", "demo-pos-S001");
        env.put("LOYALTY_POS_STORE", "S001");
        env.put("LOYALTY_POS_TERMINAL", "T9");
        env.put("LOYALTY_POS_JOURNAL", work.resolve("journal.jsonl").toString());
        if (budgetMs != null) {
            env.put("LOYALTY_POS_BUDGET_MS", budgetMs);
        }
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the adapter answers").isTrue();
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static JsonObject answer(Run run) {
        String json = run.output().lines().filter(line -> line.startsWith("{")).findFirst().orElseThrow();
        return Json.createReader(new java.io.StringReader(json)).readObject();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(work.resolve(name), content);
    }

    private void startEngine(String name) throws IOException, InterruptedException {
        engine = LaunchedEngine.start(dataDir, port, dataDir.resolveSibling(dataDir.getFileName() + "-" + name
                + ".out"), Map.of());
        engine.awaitReady();
    }

    private void stopEngine() throws InterruptedException {
        if (engine != null) {
            engine.close();
        }
    }

    private static long balance(Http http) {
        return http.get("api/v1/pos/cards/" + CLAIRE, TILL).json().getJsonNumber("availablePoints").longValue();
    }

    private static String receipt() {
        return "R-" + UUID.randomUUID();
    }
}
