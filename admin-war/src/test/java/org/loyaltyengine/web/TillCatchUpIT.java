package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonArray;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.infrastructure.config.Folders;
import org.loyaltyengine.pos.Till;
import org.loyaltyengine.pos.TillConfig;
import org.loyaltyengine.pos.journal.Journal;

/**
 * Tills of the POS adapter in front of an engine that lost what they sent, and of calls the engine fails on.
 * <p>
 * An engine records the calls of two tills of a store; its database is then restored by hand to a backup taken
 * before them (its files copied back), which the engine notices by itself and tells the tills. A till
 * catching up first cannot have its reward paid with points another till's lost sale earned, nor a return of that
 * sale: they are set aside and tried again, once the other till has sent its sale again, with nothing lost and
 * nothing doubled. A call the engine fails on every time is set aside after three tries and does not hold the
 * calls after it. The same holds for the offline journal: a queued sale the engine fails on is set aside after
 * three replays, tried again by itself later, and the till is not left offline behind it. The tills reach the
 * engine through a hop that can fail calls as the engine fails them ({@link FaultyProxy}): the engine behind it is
 * a real one.
 */
@Tag(LaunchedEngine.OWN_ENGINE)
class TillCatchUpIT {

    private static final String KEY = "demo-pos-S001";
    private static final String CLAIRE = "2900000000018";
    private static final String MARC = "2900000000025";
    private static final String LINA = "2900000000032";
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Pattern RECORDED_AGAIN = Pattern.compile("the engine was restored: (\\d+) earlier call");

    private final Path root = Path.of(System.getProperty("loyalty.it.data.dir") + "-catch-up");
    private LaunchedEngine engine;
    private FaultyProxy proxy;

    @AfterEach
    void stop() throws InterruptedException {
        if (engine != null) {
            engine.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void refusalsThatOtherTillsLiftAreTriedAgainAndACallTheEngineFailsOnHoldsNothingBack() throws Exception {
        Folders.delete(root);
        Files.createDirectories(root);
        int port = LaunchedEngine.freePort();
        URI direct = URI.create("http://127.0.0.1:" + port);
        Http http = new Http(new URL(direct + "/"));
        proxy = new FaultyProxy(direct);
        Path data = root.resolve("data");
        engine = LaunchedEngine.start(data, port, root.resolve("before.out"), Map.of());
        engine.awaitReady();
        Instant opened = Instant.now();
        // The morning's backup, taken by the engine.
        Http.Reply backup = http.post("api/v1/admin/backups", "", http.bearer("admin@demo.local", "admin-demo"));
        assertThat(backup.status()).as(backup.body()).isEqualTo(201);
        Path backedUp = data.resolve("backups").resolve(backup.json().getString("name")).resolve("database");
        // Nothing written since: the engine looks at its beat every second and writes none (an idle database stays
        // idle); the day's writes below are each followed by beats, by which the restore is noticed.
        long idle = settledBeat(data);

        // Till T8 sells Marc, who had no points, a large basket; till T7 (through the hop) pays a reward with those
        // points, takes back a coffee of T8's sale, and sells Claire two baskets.
        Till t7 = till(proxy.uri(), "T7");
        Till t8 = till(direct, "T8");
        Till.Outcome marcsSale = done(t8.sale(MARC, "R-T8-1", coffee(80), 0));
        // T8 gives Claire a coffee for her points, and she changes her mind: the redemption is cancelled.
        Till.Outcome coffee = done(t8.redeem(CLAIRE, "R-T8-2", "r-coffee", null));
        done(t8.cancelRedemption(null, "R-T8-2", "changed her mind"));
        // The day's first write waited for a beat before it committed: a restore to any backup taken while the
        // engine was quiet is noticed, even should the database fail before the next look.
        assertThat(beat(data)).as("a beat before the first write after a quiet spell").isGreaterThan(idle);
        done(t7.redeem(MARC, "R-T7-1", "r-coffee", null));
        done(t7.returnGoods(marcsSale.answer().getString("transactionId"), "RET-T7-1", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("sku", "COF-250").add("quantity", 1)).build()));
        done(t7.sale(CLAIRE, "R-T7-POISON", coffee(2), 0));
        done(t7.sale(CLAIRE, "R-T7-3", coffee(3), 0));
        done(t7.sale(CLAIRE, "R-T7-REFUSED", coffee(4), 0));
        long marc = balance(http, MARC);
        long claire = balance(http, CLAIRE);
        assertThat(marc).isPositive();

        // The engine is restored to the morning's backup by hand (its files copied back, not by restore-engine.sh, as
        // a database restored with PostgreSQL's tools): it notices that its database went back in time, and says
        // so in its answers to the tills.
        engine.kill();
        Folders.delete(data.resolve("database"));
        copy(backedUp, data.resolve("database"));
        engine = LaunchedEngine.start(data, port, root.resolve("after.out"), Map.of());
        assertThat(engine.awaitReady()).contains("The database went back in time");
        assertThat(balance(http, MARC)).as("Marc's sale is lost").isZero();
        proxy.failing.add("R-T7-POISON");
        proxy.refusing.add("R-T7-REFUSED");

        // T7 catches up first: the reward and the return need what T8 has not sent again yet, and the engine
        // fails on one of T7's sales every time.
        List<String> messages = new ArrayList<>();
        int recordedAgain = 0;
        // Each call gives the catch-up 2 s at most: the one the engine fails on takes a call's budget each time.
        for (int call = 0; call < 8 && recordedAgain == 0; call++) {
            recordedAgain += recordedAgain(done(t7.lookup(MARC)), messages);
        }
        assertThat(String.join("\n", messages))
                .contains("set aside to try again as the other tills catch up (pos/redemptions R-T7-1: refused for"
                        + " now, insufficient_points")
                .contains("RET-T7-1: refused for now, transaction_not_found")
                .contains("R-T7-POISON: no answer at 3 calls in a row");
        assertThat(messages.size()).as("a call per try of the one the engine fails on, and one more").isBetween(3, 6);
        assertThat(recordedAgain).as("the sale after the one the engine fails on: %s", messages).isEqualTo(1);
        assertThat(balance(http, CLAIRE)).isLessThan(claire);

        // T8 catches up: Marc's sale is recorded again, under its transaction id; Claire's coffee too, under its
        // redemption id, and its cancellation after it.
        assertThat(recordedAgain(done(t8.lookup(MARC)), messages)).as(String.join("\n", messages)).isEqualTo(3);
        // The coffee is back under the id it had: a cancellation naming it, from any till of the store, finds it.
        Http.Reply cancelledAgain = http.post("api/v1/pos/redemptions/" + coffee.answer().getString("redemptionId")
                + "/cancel", "", "X-Api-Key", KEY);
        assertThat(cancelledAgain.status()).as(cancelledAgain.body()).isEqualTo(200);
        assertThat(balance(http, MARC)).isGreaterThan(marc);

        // At T7's next calls (a second apart here, then twice that after each try; a minute by default) the reward
        // and the return go through.
        for (int call = 0; call < 8 && recordedAgain < 3; call++) {
            Thread.sleep(RETRY.toMillis() + 100);
            recordedAgain += recordedAgain(done(t7.lookup(MARC)), messages);
        }
        assertThat(recordedAgain).as(String.join("\n", messages)).isEqualTo(3);
        assertThat(balance(http, MARC)).as("the sale, the reward and the return, each once").isEqualTo(marc);

        // Once the engine no longer fails on it, the last call set aside goes too, and the catch-up is over.
        proxy.failing.clear();
        for (int call = 0; call < 10 && recordedAgain < 4; call++) {
            Thread.sleep(RETRY.toMillis() + 100);
            recordedAgain += recordedAgain(done(t7.lookup(CLAIRE)), messages);
        }
        assertThat(recordedAgain).as(String.join("\n", messages)).isEqualTo(4);
        assertThat(String.join("\n", messages)).contains("1 refused (pos/transactions R-T7-REFUSED: request_refused");

        // What is refused for good is left to a person: listed by queue status until a resend by hand records it.
        assertThat(t7.givenUpAfterRestore()).singleElement().asString().contains("R-T7-REFUSED")
                .contains("request_refused");
        assertThat(balance(http, CLAIRE)).isLessThan(claire);
        proxy.refusing.clear();
        Till.ResendReport byHand = t7.resend(opened.minusSeconds(1));
        assertThat(byHand.recordedAgain()).as(String.join("\n", byHand.notes())).isEqualTo(1);
        assertThat(byHand.alreadyThere()).isEqualTo(4);
        assertThat(t7.givenUpAfterRestore()).as("nothing left for a person").isEmpty();
        assertThat(balance(http, CLAIRE)).isEqualTo(claire);
        assertThat(balance(http, MARC)).isEqualTo(marc);
        Thread.sleep(RETRY.toMillis() + 100);
        assertThat(done(t7.lookup(CLAIRE)).message()).as("nothing left to send").doesNotContain("restored");
        assertThat(done(t8.lookup(MARC)).message()).doesNotContain("restored");

        whileTheGapIsToldASaleSentAgainKeepsItsIdUnlessAnotherSaleHoldsIt(http,
                marcsSale.answer().getString("transactionId"));
        aQueuedSaleTheEngineFailsOnIsSetAsideAndTheTillSellsOn(http);
    }

    /**
     * While the engine tells of a restore gap, a sale sent again under the id it had is recorded under it (Marc's
     * sale above, which T7's return then found); one that another sale holds gets a new id.
     */
    private static void whileTheGapIsToldASaleSentAgainKeepsItsIdUnlessAnotherSaleHoldsIt(Http http, String held) {
        String free = "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).replaceAll("[ilou]", "x");
        Http.Reply kept = http.post("api/v1/pos/transactions", sale("R-LOST-1"), "X-Api-Key", KEY,
                "Loyalty-Original-Transaction", free);
        assertThat(kept.status()).as(kept.body()).isEqualTo(201);
        assertThat(kept.json().getString("transactionId")).isEqualTo(free);
        Http.Reply taken = http.post("api/v1/pos/transactions", sale("R-LOST-2"), "X-Api-Key", KEY,
                "Loyalty-Original-Transaction", held);
        assertThat(taken.status()).as(taken.body()).isEqualTo(201);
        assertThat(taken.json().getString("transactionId")).as("Marc's sale holds it").startsWith("t-")
                .isNotEqualTo(held);
    }

    private static String sale(String receipt) {
        return """
                {"cardNumber":"%s","storeId":"S001","terminalId":"T1","receiptId":"%s","occurredAt":"%s",
                 "currency":"EUR","lines":[{"sku":"COF-250","category":"coffee","quantity":1,"unitPrice":"4.50"}]}"""
                .formatted(CLAIRE, receipt, Instant.now().minusSeconds(30));
    }

    /**
     * A till queues two sales while the engine is away; the engine then fails on the first every time. After three
     * replays the till sets it aside, delivers the other and sells on. It is tried again by itself at a later sale,
     * and credited once the engine takes it; {@code queue replay --again} credits nothing twice.
     */
    private void aQueuedSaleTheEngineFailsOnIsSetAsideAndTheTillSellsOn(Http http) throws Exception {
        // A sale sends the queue for half its budget at most (the rest goes at the next call): the budget leaves
        // time for the engine's failure and three sales before this till's fifth, however busy the machine is.
        Till t9 = till(proxy.uri(), "T9", Duration.ofSeconds(10));
        long lina = balance(http, LINA);
        proxy.down = true;
        assertThat(t9.sale(LINA, "R-T9-1", coffee(1), 0).status()).isEqualTo(Till.Status.QUEUED);
        assertThat(t9.sale(LINA, "R-T9-2", coffee(1), 0).status()).isEqualTo(Till.Status.QUEUED);
        proxy.down = false;
        proxy.failing.add("R-T9-1");
        assertThat(t9.sale(LINA, "R-T9-3", coffee(1), 0).status()).as("held behind R-T9-1")
                .isEqualTo(Till.Status.QUEUED);
        assertThat(t9.sale(LINA, "R-T9-4", coffee(1), 0).status()).isEqualTo(Till.Status.QUEUED);
        Till.Outcome sold = done(t9.sale(LINA, "R-T9-5", coffee(1), 0));
        assertThat(sold.message()).contains("1 queued sale(s) set aside, the engine fails on them");
        assertThat(t9.journal().waiting()).isEmpty();
        Journal.Entry setAside = t9.journal().entries().get(0);
        assertThat(setAside.receiptKey()).isEqualTo("S001/R-T9-1");
        assertThat(setAside.state()).isEqualTo(Journal.State.SET_ASIDE);
        assertThat(setAside.note()).contains("the engine failed on it 3 times in a row");
        long withoutIt = balance(http, LINA);
        assertThat(withoutIt).as("R-T9-2 to R-T9-5").isGreaterThan(lina);
        long perCoffee = (withoutIt - lina) / 4;

        // Tried again by itself a while later (RETRY here, a minute by default) at the next sale: the engine still
        // fails on it, and the sale goes on.
        Thread.sleep(RETRY.toMillis() + 200);
        assertThat(done(t9.sale(LINA, "R-T9-6", coffee(1), 0)).message()).doesNotContain("credited at last");
        Journal.Entry triedAgain = t9.journal().entries().get(0);
        assertThat(triedAgain.state()).isEqualTo(Journal.State.SET_ASIDE);
        assertThat(triedAgain.note()).contains("the engine failed on it again when tried again");
        assertThat(balance(http, LINA)).isEqualTo(withoutIt + perCoffee);

        // The fault mended, the next try (twice as long after) credits it, once.
        proxy.failing.clear();
        Thread.sleep(2 * RETRY.toMillis() + 200);
        assertThat(done(t9.sale(LINA, "R-T9-7", coffee(1), 0)).message())
                .contains("credited at last, set aside before: S001/R-T9-1");
        assertThat(t9.journal().entries().get(0).state()).isEqualTo(Journal.State.DELIVERED);
        long withIt = withoutIt + 3 * perCoffee;
        assertThat(balance(http, LINA)).as("R-T9-1, R-T9-6 and R-T9-7").isEqualTo(withIt);

        Till.ReplayReport again = t9.replay(true);
        assertThat(again.delivered()).isEqualTo(4);
        assertThat(balance(http, LINA)).as("nothing credited again").isEqualTo(withIt);
    }

    /** The engine's last beat, once it stopped writing beats (nothing written for a while). */
    private static long settledBeat(Path data) throws Exception {
        Instant giveUp = Instant.now().plusSeconds(60);
        long last = beat(data);
        Instant since = Instant.now();
        while (Duration.between(since, Instant.now()).toSeconds() < 3) {
            assertThat(Instant.now()).as("the beats stop when nothing is written").isBefore(giveUp);
            Thread.sleep(250);
            long now = beat(data);
            if (now != last) {
                last = now;
                since = Instant.now();
            }
        }
        return last;
    }

    private static long beat(Path data) throws IOException {
        try (var reader = Json.createReader(Files.newBufferedReader(data.resolve("heartbeat")))) {
            return reader.readObject().getJsonNumber("beat").longValueExact();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(from.relativize(file).toString()));
            }
        }
    }

    private Till till(URI engineUrl, String terminal) {
        return till(engineUrl, terminal, Duration.ofSeconds(2));
    }

    private Till till(URI engineUrl, String terminal, Duration budget) {
        return new Till(new TillConfig(engineUrl, KEY, "S001", terminal, "EUR", budget,
                root.resolve(terminal + "/pos-journal.jsonl"), TillConfig.KEEP_SENT, RETRY));
    }

    private static int recordedAgain(Till.Outcome outcome, List<String> messages) {
        messages.add(outcome.message());
        Matcher matcher = RECORDED_AGAIN.matcher(outcome.message());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    private static JsonArray coffee(int quantity) {
        return Json.createArrayBuilder().add(Json.createObjectBuilder().add("sku", "COF-250")
                .add("category", "coffee").add("quantity", quantity).add("unitPrice", "4.50")).build();
    }

    private static Till.Outcome done(Till.Outcome outcome) {
        assertThat(outcome.status()).as(outcome.message()).isEqualTo(Till.Status.DONE);
        return outcome;
    }

    private static long balance(Http http, String card) {
        return http.get("api/v1/pos/cards/" + card, "X-Api-Key", KEY).json().getJsonNumber("availablePoints")
                .longValue();
    }
}
