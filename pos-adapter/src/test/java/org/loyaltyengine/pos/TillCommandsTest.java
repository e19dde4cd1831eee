package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.journal.Journal;

/**
 * The till's commands as a cashier types them, the engine out of reach (nothing listens on port 9): a typo, an
 * unreadable image or a refused payment leaves the session and the basket as they were; offers go with the sale; a
 * misspelt option is refused; a receipt rung up again keeps its first time; a receipt made at the till names its
 * terminal.
 */
class TillCommandsTest {

    private static final String CARD = "2900000000018";

    @TempDir
    Path folder;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aTypoAnUnreadableImageOrARefusedPaymentKeepTheSessionAndTheBasket() throws Exception {
        Path notAnImage = Files.writeString(folder.resolve("photo.png"), "not a picture");
        int exit = till("""
                %s
                COF-250 coffee two 4.50
                COF-250 coffee 2 4.50
                pay 1o
                %s
                offer o-double-coffee
                pay 100
                pay
                quit
                """.formatted(CARD, notAnImage));

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(said + err).isZero();
        assertThat(said).contains("the quantity \"two\" is not a whole number")
                .contains("pay takes a whole number of points, not \"1o\"")
                .contains("is not an image")
                .contains("the basket is kept")
                .contains("QUEUED");
        List<Journal.Entry> queued = journal().entries();
        assertThat(queued).as("the payment with points was refused offline, the basket paid without").hasSize(1);
        JsonObject sale = queued.get(0).body();
        assertThat(sale.getJsonArray("lines")).hasSize(1);
        assertThat(sale.getJsonArray("lines").getJsonObject(0).getInt("quantity")).isEqualTo(2);
        assertThat(sale.getJsonNumber("redeemPoints").longValue()).isZero();
        assertThat(sale.getJsonArray("offerIds").getValuesAs(JsonString::getString))
                .containsExactly("o-double-coffee");
    }

    @Test
    void aBasketLeftAfterARefusedPaymentIsNotTheNextCustomersAndTheSameCardAgainAddsNothing() throws Exception {
        int exit = till("""
                %s
                COF-250 coffee 2 4.50
                pay 100
                %s
                2900000000025
                BREAD food 1 3.00
                pay
                quit
                """.formatted(CARD, CARD));

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(said + err).isZero();
        assertThat(said).contains("the basket holds 1 line(s) for this card already: pay, or cancel to start again")
                .contains("a new basket: the 1 line(s) held for card " + CARD + " were dropped (never sold)");
        List<Journal.Entry> queued = journal().entries();
        assertThat(queued).hasSize(1);
        assertThat(queued.get(0).body().getString("cardNumber")).isEqualTo("2900000000025");
        assertThat(queued.get(0).body().getJsonArray("lines").getValuesAs(JsonObject.class))
                .as("the next customer's bread only").extracting(line -> line.getString("sku"))
                .containsExactly("BREAD");
    }

    @Test
    void theLookUpNumbersTheMembersOffersAndTheCashierAppliesOneByItsNumberNeverOneNotListed() throws Exception {
        StandInEngine.Ledger ledger = new StandInEngine.Ledger();
        try (StandInEngine engine = new StandInEngine(call -> {
            if (call.path().startsWith("pos/cards/")) {
                return StandInEngine.Answer.of(200, Json.createObjectBuilder(ledger.card(CARD)).add("offers",
                        Json.createArrayBuilder()
                                .add(Json.createObjectBuilder().add("offerId", "o-7k2").add("title", "Double coffee"))
                                .add(Json.createObjectBuilder().add("offerId", "o-9x1").add("title", "50 bonus")))
                        .build());
            }
            return ledger.sale(call);
        })) {
            int exit = new Main(new ByteArrayInputStream("""
                    %s
                    COF-250 coffee 2 4.50
                    offer SECOND
                    offer 3
                    offer 2
                    pay
                    quit
                    """.formatted(CARD).getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    online(engine)).run(new String[] {"till"});

            String said = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(said + err).isZero();
            assertThat(said).contains("offers: 1) Double coffee (o-7k2), 2) 50 bonus (o-9x1)")
                    .contains("\"SECOND\" is not one of this member's offers: offer 1 to offer 2 (o-7k2, o-9x1)")
                    .contains("\"3\" is not one of this member's offers").contains("offer o-9x1 applied")
                    .contains("DONE");
            assertThat(ledger.credited()).hasSize(1);
            assertThat(ledger.recorded(ledger.credited().get(0)).getJsonArray("offerIds")
                    .getValuesAs(JsonString::getString)).containsExactly("o-9x1");
        }
    }

    @Test
    void goodsBroughtBackWithAReceiptOfThisTillAreReturnedByItsNumber() throws Exception {
        StandInEngine.Ledger ledger = new StandInEngine.Ledger();
        java.util.List<String> returns = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (StandInEngine engine = new StandInEngine(call -> {
            if (call.path().startsWith("pos/cards/")) {
                return StandInEngine.Answer.of(200, ledger.card(CARD));
            }
            if (call.path().endsWith("/returns")) {
                returns.add(call.path() + " " + call.body().getJsonArray("lines"));
                return StandInEngine.Answer.of(201, Json.createObjectBuilder().add("pointsReversed", 9)
                        .add("availablePoints", 1231).add("pendingPoints", 0).build());
            }
            return ledger.sale(call);
        })) {
            String typed = CARD + "\nCOF-250 coffee 2 4.50\npay\n";
            Main main = new Main(new ByteArrayInputStream((typed + "quit\n").getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    online(engine));
            assertThat(main.run(new String[] {"till"})).isZero();
            String receipt = ledger.credited().get(0);
            out.reset();

            int exit = new Main(new ByteArrayInputStream(("return " + receipt + " COF-250 1\nreturn R-NOT-HERE COF-250 1\n"
                    + "return " + receipt + " COF-250\nquit\n").getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                    online(engine)).run(new String[] {"till"});

            String said = out.toString(StandardCharsets.UTF_8);
            assertThat(exit).as(said + err).isZero();
            assertThat(said).contains("DONE\tRET-T1-").contains("9 points taken back; balance 1231")
                    .contains("No sale of receipt R-NOT-HERE was recorded at this till")
                    .contains("return takes the receipt and what came back");
            assertThat(returns).singleElement().asString().contains("/returns").contains("COF-250");
        }
    }

    private Map<String, String> online(StandInEngine engine) {
        return Map.of("LOYALTY_POS_ENGINE_URL", engine.url().toString(), "LOYALTY_POS_API_KEY", "key",
                "LOYALTY_POS_STORE", "S001", "LOYALTY_POS_BUDGET_MS", "2000",
                "LOYALTY_POS_JOURNAL", folder.resolve("pos-journal.jsonl").toString());
    }

    @Test
    void aPriceTypedWithItsDigitsTwiceIsRefusedBeforeItEarnsAFortune() throws Exception {
        int exit = till("""
                %s
                TV-1 electronics 1 99999999999.99
                TV-1 electronics 1 999.99
                pay
                quit
                """.formatted(CARD));

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(said + err).isZero();
        assertThat(said).contains("Line 1 (TV-1) comes to 99,999,999,999.99 EUR, more than this till's limit of"
                + " 10,000.00 (line.max.amount): check its price and quantity: line not added").contains("line 1 added");
        assertThat(journal().entries()).singleElement().satisfies(sale -> assertThat(sale.body()
                .getJsonArray("lines").getJsonObject(0).getString("unitPrice")).isEqualTo("999.99"));

        out.reset();
        Path lines = Files.writeString(folder.resolve("lines.json"), """
                [{"sku":"COF-250","category":"coffee","quantity":2,"unitPrice":"4.50"},
                 {"sku":"COF-250","category":"coffee","quantity":4500,"unitPrice":4.50}]""");
        assertThat(run("sale", "--card", CARD, "--receipt", "R-BIG", "--lines", lines.toString()))
                .isEqualTo(Main.REFUSED);
        assertThat(out.toString(StandardCharsets.UTF_8)).as("a price given as a JSON number, as API.md allows")
                .contains("Line 2 (COF-250) comes to 20,250.00 EUR")
                .contains("nothing was sent");
        assertThat(journal().entries()).as("not queued either").hasSize(1);
    }

    @Test
    void aCardNumberTypedInGroupsIsTheCardNotALineOfTheBasket() throws Exception {
        int exit = till("""
                2900 0000 0001 8
                COF-250 coffee 2 4.50
                2900 0000 0001 9
                2900 000 0001 8
                pay
                quit
                """);

        String said = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(said + err).isZero();
        assertThat(said).as("the card looked up, the engine out of reach").contains("UNAVAILABLE\t" + CARD)
                .contains("line 1 added").doesNotContain("line 2 added")
                .contains("Misread: 2900000000019 has a wrong check digit")
                .as("a group short, still a card typed wrong, not a line").doesNotContain("line 2 added");
        List<Journal.Entry> queued = journal().entries();
        assertThat(queued).hasSize(1);
        assertThat(queued.get(0).body().getString("cardNumber")).isEqualTo(CARD);
        assertThat(queued.get(0).body().getJsonArray("lines")).as("only the coffee was bought").hasSize(1);

        out.reset();
        assertThat(run("lookup", "2900-0000-0001-8")).as("offline, but read as the card").isEqualTo(Main.UNAVAILABLE);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("the card cannot be looked up now")
                .doesNotContain("is not a number");
    }

    @Test
    void aPictureThatIsNotThereIsSaidMissingNotNotANumber() throws Exception {
        assertThat(run("lookup", folder.resolve("img/18-coupon.png").toString())).isEqualTo(Main.REFUSED);

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("No picture " + folder.resolve("img/18-coupon.png")
                + " was found").contains("type the card's number").doesNotContain("is not a number");
    }

    @Test
    void aBasketLineOfNumbersIsStillALine() throws Exception {
        // The second: 13 digits in all with a right check digit and an in-store first digit, a price in whole units.
        int exit = till(CARD + "\n4006381 12 1 3\n2000011 10 1 251\n4006381 12 2 450\npay\nquit\n");

        assertThat(exit).as(out + "" + err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("line 1 added").contains("line 2 added")
                .contains("line 3 added").doesNotContain("Misread");
        assertThat(journal().entries().get(0).body().getJsonArray("lines").getValuesAs(JsonObject.class))
                .extracting(line -> line.getString("sku")).containsExactly("4006381", "2000011", "4006381");
        assertThat(journal().entries().get(0).body().getString("cardNumber")).isEqualTo(CARD);
    }

    @Test
    void offersGoWithTheSaleAndAMisspeltOptionIsRefused() throws Exception {
        Path basket = basket();
        int exit = run("sale", "--card", CARD, "--receipt", "R-1", "--lines", basket.toString(), "--offer", "o-1",
                "--offer", "o-2");
        assertThat(exit).as(out + "" + err).isZero();
        assertThat(journal().entries().get(0).body().getJsonArray("offerIds").getValuesAs(JsonString::getString))
                .containsExactly("o-1", "o-2");

        int misspelt = run("sale", "--card", CARD, "--receipt", "R-2", "--lines", basket.toString(),
                "--redeem-points", "500");
        assertThat(misspelt).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option --redeem-points");
        assertThat(journal().entries()).as("nothing queued for the misspelt command").hasSize(1);

        assertThat(run("queue", "replay", "--agian")).isEqualTo(Main.USAGE);
    }

    @Test
    void aReceiptRungUpAgainKeepsItsFirstTimeSoTheEngineSeesAReplay() throws Exception {
        Path basket = basket();
        assertThat(run("sale", "--card", CARD, "--receipt", "R-7", "--lines", basket.toString())).isZero();
        Thread.sleep(1_100);
        assertThat(run("sale", "--card", CARD, "--receipt", "R-7", "--lines", basket.toString())).isZero();
        assertThat(run("sale", "--card", CARD, "--receipt", "R-8", "--lines", basket.toString(), "--occurred-at",
                "2026-12-05T10:15:00+01:00")).isZero();

        List<Journal.Entry> queued = journal().entries();
        assertThat(queued).hasSize(3);
        assertThat(queued.get(1).body()).as("the same receipt, sent again as it was").isEqualTo(queued.get(0).body());
        assertThat(queued.get(2).body().getString("occurredAt")).isEqualTo("2026-12-05T10:15:00+01:00");
    }

    @Test
    void receiptsMadeAtTheTillNameTheirTerminalSoTwoTerminalsOfAStoreNeverShareOne() throws Exception {
        String typed = CARD + "\nCOF-250 coffee 2 4.50\npay\nquit\n";
        assertThat(main(typed, "T1").run(new String[] {"till"})).isZero();
        assertThat(main(typed, "T2").run(new String[] {"till"})).isZero();

        List<String> receipts = journal().entries().stream().map(entry -> entry.body().getString("receiptId"))
                .toList();
        assertThat(receipts).hasSize(2).doesNotHaveDuplicates();
        assertThat(receipts.get(0)).startsWith("R-T1-");
        assertThat(receipts.get(1)).startsWith("R-T2-");
    }

    private Path basket() throws Exception {
        return Files.writeString(folder.resolve("basket.json"),
                "[{\"sku\":\"COF-250\",\"category\":\"coffee\",\"quantity\":2,\"unitPrice\":\"4.50\"}]");
    }

    private Journal journal() {
        return new Journal(folder.resolve("pos-journal.jsonl"));
    }

    private int till(String typed) {
        return main(typed).run(new String[] {"till"});
    }

    private int run(String... args) {
        return main("").run(args);
    }

    private Main main(String typed) {
        return main(typed, "T1");
    }

    private Main main(String typed, String terminal) {
        return new Main(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("LOYALTY_POS_ENGINE_URL", "http://127.0.0.1:9", "LOYALTY_POS_API_KEY", "key",
                        "LOYALTY_POS_STORE", "S001", "LOYALTY_POS_TERMINAL", terminal, "LOYALTY_POS_BUDGET_MS", "300",
                        "LOYALTY_POS_JOURNAL", folder.resolve("pos-journal.jsonl").toString()));
    }
}
