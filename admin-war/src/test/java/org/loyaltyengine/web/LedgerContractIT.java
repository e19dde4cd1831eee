package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import javax.imageio.ImageIO;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ledger and the whole POS and customer contract, black box on the real WAR in a real Payara Micro with
 * embedded Derby. Every test enrols its own members (and, where it expires points, its own programme), so the
 * tests neither depend on each other nor on the demo members' balances.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LedgerContractIT {

    private static final String[] TILL_S001 = {"X-Api-Key", "demo-pos-S001"};
    private static final String[] TILL_S002 = {"X-Api-Key", "demo-pos-S002"};

    @ArquillianResource
    URL base;

    private Http http;
    private String[] manager;

    @Deployment(testable = false)
    static WebArchive engine() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("loyalty.war")));
    }

    @BeforeEach
    void client() {
        http = new Http(base);
        manager = http.bearer("manager@demo.local", "manager-demo");
    }

    @Test
    void twentyParallelSubmissionsOfOneReceiptCreditOnce() throws Exception {
        Member member = enrol("DEMO", null);
        String body = sale(member.card(), receipt(), now(), 0, line("COF-250", "coffee", 2, "4.50"));

        List<Http.Reply> replies = parallel(20, i -> http.post("api/v1/pos/transactions", body, TILL_S001));

        assertThat(replies).extracting(Http.Reply::status).containsOnly(200, 201);
        assertThat(replies.stream().filter(reply -> reply.status() == 201)).hasSize(1);
        assertThat(replies.stream().map(Http.Reply::json).distinct()).hasSize(1);
        assertThat(available(member.card())).isEqualTo(18);
        assertThat(ledger(member).stream().filter(line -> line.getString("kind").equals("EARN"))).hasSize(1);
        assertConsistent(member);
    }

    @Test
    void sixteenDesksEnrollingAtOnceAreNeverAnsweredBusyAndEachMemberGetsACardOfTheirOwn() throws Exception {
        // 1,120 enrolments: more than Derby's block of 1,000 identity values. Renewing the block while other desks
        // insert can fail fast with a lock time-out (seen in about one load run in three); the engine now runs such a
        // transaction again rather than answering 503 (BusyRetryTest checks the retry itself).
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<List<Http.Reply>> desks = parallel(16, desk -> {
            List<Http.Reply> replies = new ArrayList<>();
            for (int i = 0; i < 70; i++) {
                replies.add(http.post("api/v1/admin/programmes/DEMO/members", "{\"email\":\"desk" + desk + "-" + i
                        + "-" + run + "@example.org\",\"firstName\":\"Desk\",\"lastName\":\"Rush\"}", manager));
            }
            return replies;
        });

        List<Http.Reply> replies = desks.stream().flatMap(List::stream).toList();
        assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).as(reply.body()).isEqualTo(201));
        assertThat(replies.stream().map(reply -> reply.json().getString("cardNumber")).distinct()).hasSize(1_120);
        assertThat(replies.stream().map(reply -> reply.json().getString("memberId")).distinct()).hasSize(1_120);
    }

    @Test
    void fiftyParallelRedemptionsOfOneHundredPointsOnAThousandPointBalanceSucceedTenTimes() throws Exception {
        Member member = enrol("DEMO", null);
        adjust(member, 1_000, "Opening balance for the test");

        List<Http.Reply> replies = parallel(50, i -> http.post("api/v1/pos/redemptions", "{\"cardNumber\":\""
                + member.card() + "\",\"storeId\":\"S001\",\"terminalId\":\"T" + (i % 5) + "\",\"receiptId\":\""
                + receipt() + "\",\"points\":100}", TILL_S001));

        assertThat(replies.stream().filter(reply -> reply.status() == 201)).hasSize(10);
        assertThat(replies.stream().filter(reply -> reply.status() == 409))
                .hasSize(40)
                .allSatisfy(reply -> assertThat(reply.json().getString("error")).isEqualTo("insufficient_points"));
        assertThat(available(member.card())).isZero();
        assertConsistent(member);
    }

    @Test
    void aReturnTakesBackThePointsOfTheReturnedLinesInProportionAndAReplayChangesNothing() {
        Member member = enrol("DEMO", null);
        // 2 x 4.50 coffee + 1 x 11.00 mug = 20.00: base 20, coffee bonus 9 = 29 points (BRONZE: no tier bonus).
        JsonObject sale = http.post("api/v1/pos/transactions", sale(member.card(), receipt(), now(), 0,
                line("COF-250", "coffee", 2, "4.50"), line("MUG-1", "kitchen", 1, "11.00")), TILL_S001).json();
        assertThat(sale.getJsonNumber("pointsEarned").longValue()).isEqualTo(29);
        String returns = "api/v1/pos/transactions/" + sale.getString("transactionId") + "/returns";

        Http.Reply first = http.post(returns, "{\"returnId\":\"RET-1\",\"lines\":[{\"sku\":\"COF-250\",\"quantity\":1}]}",
                TILL_S002);
        Http.Reply replay = http.post(returns, "{\"returnId\":\"RET-1\",\"lines\":[{\"sku\":\"COF-250\",\"quantity\":1}]}",
                TILL_S001);

        assertThat(first.status()).isEqualTo(201);
        // 4.50 of 20.00 is 22.5 % of 29 points = 6.525: 6 taken back.
        assertThat(first.json().getJsonNumber("pointsReversed").longValue()).isEqualTo(6);
        assertThat(first.json().getJsonNumber("availablePoints").longValue()).isEqualTo(23);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json()).isEqualTo(first.json());
        assertThat(available(member.card())).isEqualTo(23);

        assertError(http.post(returns, "{\"returnId\":\"RET-1\",\"lines\":[{\"sku\":\"MUG-1\",\"quantity\":1}]}",
                TILL_S001), 409, "return_conflict");
        Http.Reply tooMany = http.post(returns, "{\"returnId\":\"RET-2\",\"lines\":[{\"sku\":\"COF-250\",\"quantity\":2}]}",
                TILL_S001);
        assertError(tooMany, 422, "return_exceeds_purchase");
        assertThat(tooMany.json().getString("field")).isEqualTo("lines[0].quantity");
        assertError(http.post(returns, "{\"returnId\":\"RET-3\",\"lines\":[{\"sku\":\"NOT-BOUGHT\",\"quantity\":1}]}",
                TILL_S001), 422, "return_exceeds_purchase");
        assertError(http.post("api/v1/pos/transactions/t-unknown/returns",
                "{\"returnId\":\"RET-4\",\"lines\":[{\"sku\":\"COF-250\",\"quantity\":1}]}", TILL_S001),
                404, "transaction_not_found");
        assertThat(available(member.card())).isEqualTo(23);

        Http.Reply rest = http.post(returns, "{\"returnId\":\"RET-5\",\"lines\":[{\"sku\":\"COF-250\",\"quantity\":1},"
                + "{\"sku\":\"MUG-1\",\"quantity\":1}]}", TILL_S001);
        assertThat(rest.json().getJsonNumber("pointsReversed").longValue())
                .as("with everything back, the returns add up to exactly what the sale earned").isEqualTo(23);
        assertThat(available(member.card())).isZero();
        assertConsistent(member);
    }

    @Test
    void aReturnAfterTheRedemptionTakesTheBalanceBelowZeroAndRedemptionWaitsUntilItIsPositive() {
        Member member = enrol("DEMO", null);
        JsonObject sale = http.post("api/v1/pos/transactions", sale(member.card(), receipt(), now(), 0,
                line("TV-1", "electronics", 1, "300.00")), TILL_S001).json();
        assertThat(sale.getJsonNumber("pointsEarned").longValue()).isEqualTo(300);
        assertThat(redeemPoints(member, 250).status()).isEqualTo(201);

        JsonObject returned = http.post("api/v1/pos/transactions/" + sale.getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-TV\",\"lines\":[{\"sku\":\"TV-1\",\"quantity\":1}]}", TILL_S001).json();

        assertThat(returned.getJsonNumber("pointsReversed").longValue()).isEqualTo(300);
        assertThat(returned.getJsonNumber("availablePoints").longValue()).isEqualTo(-250);
        assertThat(available(member.card())).isEqualTo(-250);
        Http.Reply refused = redeemPoints(member, 1);
        assertError(refused, 409, "insufficient_points");
        assertThat(refused.json().getString("message")).contains("-250");

        http.post("api/v1/pos/transactions", sale(member.card(), receipt(), now(), 0,
                line("BIKE", "sport", 1, "400.00")), TILL_S001);
        assertThat(available(member.card())).as("new points repay the debt first").isEqualTo(150);
        assertThat(redeemPoints(member, 150).status()).isEqualTo(201);
        assertConsistent(member);
    }

    @Test
    void aReturnTakesWhatIsLeftOfTheSalesOwnPointsThenTheMembersOtherPointsThenOwesTheRest() {
        Member member = enrol("DEMO", null);
        JsonObject tv = http.post("api/v1/pos/transactions", sale(member.card(), receipt(), now(), 0,
                line("TV-1", "electronics", 1, "300.00")), TILL_S001).json();
        http.post("api/v1/pos/transactions", sale(member.card(), receipt(), now(), 0,
                line("BIKE", "sport", 1, "100.00")), TILL_S001);
        assertThat(redeemPoints(member, 250).status()).isEqualTo(201);
        assertThat(available(member.card())).isEqualTo(150);

        JsonObject returned = http.post("api/v1/pos/transactions/" + tv.getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-TV\",\"lines\":[{\"sku\":\"TV-1\",\"quantity\":1}]}", TILL_S001).json();

        assertThat(returned.getJsonNumber("pointsReversed").longValue()).isEqualTo(300);
        assertThat(returned.getJsonNumber("availablePoints").longValue())
                .as("the bike's 100 points and what the TV's lot still held go, 150 become a debt").isEqualTo(-150);
        assertThat(available(member.card())).isEqualTo(-150);
        assertConsistent(member);
    }

    @Test
    void expiryRunsAsOfADayConsumesTheOldestLotFirstAndExpiresNothingTwice() {
        Programme programme = newProgramme(30, 0);
        Member member = enrol(programme.code(), "expiry-pass");
        String[] till = programme.till();
        String old = OffsetDateTime.now(ZoneOffset.UTC).minusDays(20).withNano(0).toString();
        http.post("api/v1/pos/transactions", sale(member.card(), programme.store(), receipt(), old, "EUR", 0,
                line("A", "food", 1, "100.00")), till);
        http.post("api/v1/pos/transactions", sale(member.card(), programme.store(), receipt(), now(), "EUR", 0,
                line("B", "food", 1, "60.00")), till);
        String[] customer = http.bearer(member.email(), "expiry-pass");
        JsonArray expiring = http.get("api/v1/me", customer).json().getJsonArray("expiringPoints");
        assertThat(expiring).hasSize(2);
        assertThat(expiring.getJsonObject(0).getJsonNumber("points").longValue()).isEqualTo(100);
        assertThat(expiring.getJsonObject(1).getJsonNumber("points").longValue()).isEqualTo(60);

        // 30 points spent come from the lot that expires first.
        assertThat(http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + member.card() + "\",\"storeId\":\""
                + programme.store() + "\",\"receiptId\":\"" + receipt() + "\",\"points\":30}", till).status())
                .isEqualTo(201);
        expiring = http.get("api/v1/me", customer).json().getJsonArray("expiringPoints");
        assertThat(expiring.getJsonObject(0).getJsonNumber("points").longValue()).isEqualTo(70);
        assertThat(expiring.getJsonObject(1).getJsonNumber("points").longValue()).isEqualTo(60);

        // A day after today takes points before their day: refused unless the manager brings the expiry forward.
        Http.Reply early = http.post("api/v1/admin/programmes/" + programme.code() + "/expiry", "{\"asOf\":\""
                + LocalDate.now(ZoneOffset.UTC).plusDays(15) + "\"}", programme.admin());
        assertError(early, 422, "expiry_in_future");
        assertThat(early.json().getString("field")).isEqualTo("asOf");
        assertThat(http.get("api/v1/me", customer).json().getJsonNumber("availablePoints").longValue())
                .isEqualTo(130);
        String asOf = "{\"asOf\":\"" + LocalDate.now(ZoneOffset.UTC).plusDays(15) + "\",\"bringForward\":true}";
        JsonObject run = http.post("api/v1/admin/programmes/" + programme.code() + "/expiry", asOf,
                programme.admin()).json();
        JsonObject again = http.post("api/v1/admin/programmes/" + programme.code() + "/expiry", asOf,
                programme.admin()).json();

        assertThat(run.getJsonNumber("pointsExpired").longValue()).isEqualTo(70);
        assertThat(again.getJsonNumber("pointsExpired").longValue()).isZero();
        assertThat(http.get("api/v1/admin/programmes/" + programme.code() + "/audit", programme.admin()).array()
                .getValuesAs(JsonObject.class)).filteredOn(event -> event.getString("action").equals("EXPIRY_RUN"))
                .extracting(event -> event.getString("detail")).hasSize(2)
                .allSatisfy(detail -> assertThat(detail).contains("(brought forward from "))
                .anySatisfy(detail -> assertThat(detail).endsWith(": 70 points of 1 member(s)"));
        JsonObject me = http.get("api/v1/me", customer).json();
        assertThat(me.getJsonNumber("availablePoints").longValue()).isEqualTo(60);
        assertThat(me.getJsonArray("expiringPoints")).hasSize(1);
        JsonObject expiry = http.get("api/v1/me/transactions?size=1", customer).json().getJsonArray("items")
                .getJsonObject(0);
        assertThat(expiry.getString("kind")).isEqualTo("EXPIRY");
        assertThat(expiry.getJsonNumber("points").longValue()).isEqualTo(-70);
        assertError(http.post("api/v1/pos/transactions", sale(member.card(), programme.store(), receipt(),
                OffsetDateTime.now(ZoneOffset.UTC).minusDays(40).withNano(0).toString(), "EUR", 0,
                line("C", "food", 1, "10.00")), till), 422, "sale_too_old");
    }

    @Test
    void theScheduledJobsRunOncePerPeriodAndTheJournalSaysWhichInstanceRanThemAndWhatTheyDid() throws Exception {
        // This engine runs the expiry every 2 s and the tier reviews every 2 s, 1 s into each period
        // (payara.cmdOptions in admin-war's pom), in place of every hour.
        Instant since = Instant.now();
        String[] auditor = http.bearer("auditor@demo.local", "auditor-demo");
        List<JsonObject> expiries = List.of();
        List<JsonObject> reviews = List.of();
        for (int i = 0; i < 60 && (expiries.size() < 3 || reviews.size() < 3); i++) {
            Thread.sleep(500);
            Http.Reply reply = http.get("api/v1/admin/jobs?limit=500&since=" + since, auditor);
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            List<JsonObject> runs = reply.array().getValuesAs(JsonObject.class);
            expiries = runs.stream().filter(run -> run.getString("job").equals("expiry")).toList();
            reviews = runs.stream().filter(run -> run.getString("job").equals("tier-review")).toList();
        }

        LocalDate utcToday = LocalDate.now(ZoneOffset.UTC);
        String today = "(" + utcToday.minusDays(1) + "|" + utcToday + "|" + utcToday.plusDays(1) + ")";
        assertThat(expiries).as("expiry runs within 30 s").hasSizeGreaterThanOrEqualTo(3);
        assertThat(expiries).extracting(run -> run.getString("period")).as("one run per period").doesNotHaveDuplicates()
                .allSatisfy(period -> assertThat(Instant.parse(period).getEpochSecond() % 2).isZero());
        assertThat(reviews).hasSizeGreaterThanOrEqualTo(3);
        assertThat(reviews).extracting(run -> run.getString("period")).doesNotHaveDuplicates()
                .allSatisfy(period -> assertThat(Instant.parse(period).getEpochSecond() % 2).isOne());
        // Newest first; every run but maybe the newest has ended, on this engine, and says what it did per programme.
        JsonObject done = expiries.get(expiries.size() - 1);
        assertThat(done.getString("outcome")).isEqualTo("DONE");
        assertThat(done.getString("instance")).isEqualTo("it-engine");
        // Each programme's figures, in code order: the other tests' programmes come before DEMO, and a long list is
        // cut to the journal's column, so the first programme's stands for all. Its day is today in its own zone
        // (DEMO's is Paris, a day ahead of UTC after 23:00).
        assertThat(done.getString("detail")).containsPattern("^[A-Z0-9_-]+ as of "
                + today + ": \\d+ points of \\d+ member\\(s\\)");
        Instant started = Instant.parse(done.getString("startedAt"));
        assertThat(started).isAfterOrEqualTo(Instant.parse(done.getString("period")));
        assertThat(Instant.parse(done.getString("finishedAt"))).isAfterOrEqualTo(started);
        assertThat(reviews.get(reviews.size() - 1).getString("detail")).containsPattern("^[A-Z0-9_-]+ on " + today + ": ");

        assertError(http.get("api/v1/admin/jobs?since=yesterday", auditor), 400, "invalid_field");
        assertError(http.get("api/v1/admin/jobs?limit=0", auditor), 400, "invalid_limit");
        assertError(http.get("api/v1/admin/jobs?limit=ten", auditor), 400, "invalid_limit");
        assertThat(http.get("api/v1/admin/jobs?limit=1", auditor).array()).hasSize(1);
    }

    @Test
    void pointsOfAProgrammeWithPendingDaysWaitBeforeTheyCanBeSpent() {
        Programme programme = newProgramme(365, 14);
        Member member = enrol(programme.code(), null);

        JsonObject sale = http.post("api/v1/pos/transactions", sale(member.card(), programme.store(), receipt(), now(),
                "EUR", 0, line("A", "food", 1, "42.00")), programme.till()).json();

        assertThat(sale.getJsonNumber("pointsEarned").longValue()).isEqualTo(42);
        assertThat(sale.getJsonNumber("pendingPoints").longValue()).isEqualTo(42);
        assertThat(sale.getJsonNumber("availablePoints").longValue()).isZero();
        Http.Reply gift = http.post("api/v1/admin/members/" + member.id() + "/adjustments",
                "{\"points\":30,\"reason\":\"Welcome gift\"}", programme.admin());
        assertThat(gift.status()).as(gift.body()).isEqualTo(201);
        JsonObject card = http.get("api/v1/pos/cards/" + member.card(), programme.till()).json();
        assertThat(card.getJsonNumber("pendingPoints").longValue()).isEqualTo(42);
        assertThat(card.getJsonNumber("availablePoints").longValue()).isEqualTo(30);
        assertError(http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + member.card() + "\",\"storeId\":\""
                + programme.store() + "\",\"receiptId\":\"" + receipt() + "\",\"points\":40}", programme.till()),
                409, "insufficient_points");
    }

    @Test
    void aReplacedCardAnswersCardReplacedAndTheNewCardKeepsTheAccount() {
        Member member = enrol("DEMO", null);
        adjust(member, 400, "Welcome gift");
        String rungUpBefore = now();

        Http.Reply replaced = http.post("api/v1/admin/cards/" + member.card() + "/replace", "{\"reason\":\"damaged\"}",
                manager);

        assertThat(replaced.status()).isEqualTo(201);
        String newCard = replaced.json().getString("cardNumber");
        assertThat(newCard).startsWith("2").hasSize(13).isNotEqualTo(member.card());
        Http.Reply old = http.get("api/v1/pos/cards/" + member.card(), TILL_S001);
        assertError(old, 409, "card_replaced");
        assertThat(old.json().getString("message")).contains(newCard.substring(9));
        JsonObject card = http.get("api/v1/pos/cards/" + newCard, TILL_S001).json();
        assertThat(card.getString("memberId")).isEqualTo(member.id());
        assertThat(card.getJsonNumber("availablePoints").longValue()).isEqualTo(400);
        assertError(http.post("api/v1/pos/transactions", sale(member.card(), receipt(), justNow(), 0,
                line("A", "food", 1, "5.00")), TILL_S001), 409, "card_replaced");
        // A till that was offline sends a sale rung up with the old card before it was replaced: it earns, on the
        // account the new card holds.
        Http.Reply late = http.post("api/v1/pos/transactions", sale(member.card(), receipt(), rungUpBefore, 0,
                line("A", "food", 1, "12.00")), TILL_S001);
        assertThat(late.status()).as(late.body()).isEqualTo(201);
        assertThat(late.json().getJsonNumber("pointsEarned").longValue()).isEqualTo(12);
        assertThat(http.get("api/v1/pos/cards/" + newCard, TILL_S001).json().getJsonNumber("availablePoints")
                .longValue()).isEqualTo(412);
        assertError(http.post("api/v1/admin/cards/" + member.card() + "/replace", "{}", manager), 409, "card_replaced");
        // The contract gives a replacement no body: an empty one labelled JSON, as many clients send, is none.
        Http.Reply again = http.post("api/v1/admin/cards/" + newCard + "/replace", "", manager);
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        assertThat(again.json().getString("replaces")).isEqualTo(newCard);
        JsonArray audit = http.get("api/v1/admin/cards/" + member.card() + "/audit", manager).array();
        assertThat(audit.getJsonObject(0).getString("action")).isEqualTo("CARD_REPLACED");
        assertThat(audit.getJsonObject(0).getString("actor")).isEqualTo("manager@demo.local");

        // The desk hands over pre-printed cards: one replaces the newest card, one more is issued; each number once.
        String printed = prePrintedCard();
        Http.Reply handedOver = http.post("api/v1/admin/cards/" + again.json().getString("cardNumber") + "/replace",
                "{\"reason\":\"lost\",\"cardNumber\":\"" + printed + "\"}", manager);
        assertThat(handedOver.status()).as(handedOver.body()).isEqualTo(201);
        assertThat(handedOver.json().getString("cardNumber")).isEqualTo(printed);
        assertThat(available(printed)).isEqualTo(412);
        String second = prePrintedCard();
        Http.Reply issued = http.post("api/v1/admin/members/" + member.id() + "/cards", "{\"cardNumber\":\"" + second
                + "\"}", manager);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        assertThat(issued.json().getString("cardNumber")).isEqualTo(second);
        assertThat(available(second)).isEqualTo(412);
        assertError(http.post("api/v1/admin/members/" + member.id() + "/cards", "{\"cardNumber\":\"" + printed + "\"}",
                manager), 409, "card_exists");
        assertError(http.post("api/v1/admin/members/" + member.id() + "/cards", "{\"cardNumber\":\"" + printed
                .substring(0, 12) + ((printed.charAt(12) - '0' + 1) % 10) + "\"}", manager), 400, "invalid_card_number");
        assertThat(http.post("api/v1/admin/members/" + member.id() + "/cards", "", manager).status())
                .as("no body: a new number").isEqualTo(201);
    }

    /** A number of the in-store range no card has, as the desk's stack of pre-printed cards holds them. */
    private static String prePrintedCard() {
        String body = "29" + String.format("%010d", java.util.concurrent.ThreadLocalRandom.current()
                .nextLong(10_000_000_000L));
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (body.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return body + (10 - sum % 10) % 10;
    }

    @Test
    void aStolenCardReplacedAndReactivatedAtOnceStaysReplacedAndIsReplacedOnce() throws Exception {
        for (int round = 0; round < 5; round++) {
            Member member = enrol("DEMO", null);
            adjust(member, 500, "Opening");
            assertThat(http.post("api/v1/admin/cards/" + member.card() + "/block", "{\"reason\":\"stolen\"}", manager)
                    .status()).isEqualTo(200);

            // Two managers (or a double click, a retry) replace the stolen card while a third reactivates it.
            List<Http.Reply> replies = parallel(3, i -> i == 1
                    ? http.post("api/v1/admin/cards/" + member.card() + "/activate", "{}", manager)
                    : http.post("api/v1/admin/cards/" + member.card() + "/replace", "{\"reason\":\"stolen\"}",
                    manager));

            assertThat(replies.stream().filter(reply -> reply.status() == 201)).as("one replacement").hasSize(1);
            replies.stream().filter(reply -> reply.status() != 201 && reply.status() != 200)
                    .forEach(reply -> assertError(reply, 409, "card_replaced"));
            JsonArray cards = http.get("api/v1/admin/members/" + member.id(), manager).json().getJsonArray("cards");
            assertThat(cards).hasSize(2);
            assertThat(cards.getValuesAs(JsonObject.class)).filteredOn(card -> card.getString("cardNumber")
                    .equals(member.card())).singleElement().satisfies(card -> assertThat(card.getString("status"))
                    .as("the stolen card, never active again beside its replacement").isEqualTo("REPLACED"));
            assertError(http.get("api/v1/pos/cards/" + member.card(), TILL_S001), 409, "card_replaced");
            assertError(http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + member.card() + "\",\"storeId\":"
                    + "\"S001\",\"receiptId\":\"" + receipt() + "\",\"points\":500}", TILL_S001), 409, "card_replaced");
        }
    }

    @Test
    void aReceiptWithBlanksAroundItIsTheReceiptAndTheSameThingCreatedTwiceAtOnceIsNeverA500() throws Exception {
        Member member = enrol("DEMO", null);
        String receipt = receipt();
        Http.Reply first = http.post("api/v1/pos/transactions", sale(member.card(), receipt, now(), 0,
                line("A", "food", 1, "10.00")), TILL_S001);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        String sent = sale(member.card(), receipt, now(), 0, line("A", "food", 1, "10.00"));
        for (String spelt : List.of(" " + receipt, receipt + " ", "\\t" + receipt)) {
            Http.Reply again = http.post("api/v1/pos/transactions", sent.replace("\"" + receipt + "\"", "\"" + spelt
                    + "\""), TILL_S001);
            assertThat(again.status()).as("\"" + spelt + "\" is the same receipt: " + again.body()).isEqualTo(200);
        }
        assertThat(available(member.card())).as("credited once").isEqualTo(10);

        String reward = "r-twice-" + UUID.randomUUID().toString().substring(0, 6);
        List<Http.Reply> created = parallel(8, i -> http.post("api/v1/admin/programmes/DEMO/rewards", "{\"rewardId\":\""
                + reward + "\",\"name\":\"Twice\",\"points\":100}", manager));
        assertThat(created.stream().filter(reply -> reply.status() == 201)).hasSize(1);
        // Refused as made already, or (Derby giving the race up as a deadlock) busy, to be sent again: never a 500.
        assertThat(created.stream().filter(reply -> reply.status() != 201))
                .allSatisfy(reply -> assertThat(reply.status()).as(reply.body()).isIn(409, 503));
    }

    @Test
    void aClaimOfAnAccountClosedSinceItWasFiledIsNotCredited() {
        Member member = enrol("DEMO", "closing-1");
        String[] site = http.bearer(member.email(), "closing-1");
        String claimId = fileClaim(site, receipt(), "10.00").json().getString("claimId");
        assertThat(http.post("api/v1/me/close", "{\"password\":\"closing-1\"}", site).status()).isEqualTo(204);

        assertError(http.post("api/v1/admin/claims/" + claimId + "/resolve", "{\"approve\":true}", manager), 409,
                "member_closed");
        Http.Reply rejected = http.post("api/v1/admin/claims/" + claimId + "/resolve", "{\"approve\":false,"
                + "\"note\":\"account closed\"}", manager);
        assertThat(rejected.status()).as("it can be rejected, off the queue: " + rejected.body()).isEqualTo(200);
        assertThat(http.get("api/v1/admin/members/" + member.id(), manager).json().getJsonObject("account")
                .getJsonNumber("availablePoints").longValue()).isZero();
    }

    @Test
    void aBlockedCardIsRefusedAtTheTillUntilItIsActivatedAgain() {
        Member member = enrol("DEMO", null);
        adjust(member, 100, "Opening");
        String paidWithPoints = sale(member.card(), receipt(), now(), 100, line("A", "food", 1, "5.00"));
        Http.Reply paid = http.post("api/v1/pos/transactions", paidWithPoints, TILL_S001);
        assertThat(paid.status()).isEqualTo(201);
        adjust(member, 300, "Goodwill");
        long available = http.get("api/v1/pos/cards/" + member.card(), TILL_S001).json()
                .getJsonNumber("availablePoints").longValue();
        String rungUpBefore = now();

        JsonObject blocked = http.post("api/v1/admin/cards/" + member.card() + "/block", "{\"reason\":\"lost\"}",
                manager).json();

        assertThat(blocked.getString("status")).isEqualTo("BLOCKED");
        assertError(http.get("api/v1/pos/cards/" + member.card(), TILL_S001), 409, "card_blocked");
        assertError(http.post("api/v1/pos/transactions", sale(member.card(), receipt(), justNow(), 0,
                line("A", "food", 1, "5.00")), TILL_S001), 409, "card_blocked");
        // A till that was offline sends sales rung up before the card was blocked: one that only earns is credited
        // to the member; one paying with points is refused, as spending needs a card in use now.
        assertError(http.post("api/v1/pos/transactions", sale(member.card(), receipt(), rungUpBefore, 200,
                line("A", "food", 1, "5.00")), TILL_S001), 409, "card_blocked");
        String lateSale = sale(member.card(), receipt(), rungUpBefore, 0, line("A", "food", 1, "7.00"));
        JsonObject quote = http.post("api/v1/pos/transactions/quote", lateSale, TILL_S001).json();
        assertThat(quote.getJsonNumber("pointsEarned").longValue()).as(quote.toString()).isEqualTo(7);
        // A till whose clock runs fast is told so first, so that it corrects its time (and is then refused).
        assertError(http.post("api/v1/pos/transactions", sale(member.card(), receipt(),
                OffsetDateTime.now(ZoneOffset.UTC).plusHours(1).withNano(0).toString(), 0,
                line("A", "food", 1, "5.00")), TILL_S001), 400, "occurred_in_future");
        Http.Reply late = http.post("api/v1/pos/transactions", lateSale, TILL_S001);
        assertThat(late.status()).as(late.body()).isEqualTo(201);
        assertThat(late.json().getJsonNumber("pointsEarned").longValue()).isEqualTo(7);
        assertThat(late.json().getJsonNumber("availablePoints").longValue()).isEqualTo(available + 7);
        assertError(http.post("api/v1/admin/cards/" + member.card() + "/block", "{}", manager), 400, null);
        // A till that lost the answer to a sale sends it again: it gets the answer the sale had, although the card
        // is blocked now and the points it paid with are gone.
        Http.Reply resent = http.post("api/v1/pos/transactions", paidWithPoints, TILL_S001);
        assertThat(resent.status()).isEqualTo(200);
        assertThat(resent.json()).isEqualTo(paid.json());

        assertThat(http.post("api/v1/admin/cards/" + member.card() + "/activate", "", manager).json()
                .getString("status")).isEqualTo("ACTIVE");
        assertThat(http.get("api/v1/pos/cards/" + member.card(), TILL_S001).status()).isEqualTo(200);
    }

    @Test
    void aMergeMovesTheDuplicatesPointsAndCardsByNewEntries() {
        Member keep = enrol("DEMO", "merge-pass");
        Member duplicate = enrol("DEMO", null);
        adjust(keep, 100, "Opening");
        http.post("api/v1/pos/transactions", sale(duplicate.card(), receipt(), now(), 0,
                line("A", "food", 1, "250.00")), TILL_S001);
        String[] extra = {"X-Api-Key", "demo-pos-S001"};
        long qualifyingBefore = qualifyingPoints(http.get("api/v1/me", http.bearer(keep.email(), "merge-pass")).json());

        JsonObject merged = http.post("api/v1/admin/members/" + keep.id() + "/merge",
                "{\"from\":\"" + duplicate.id() + "\"}", manager).json();

        assertThat(merged.getJsonNumber("pointsTransferred").longValue()).isEqualTo(250);
        assertThat(merged.getJsonNumber("availablePoints").longValue()).isEqualTo(350);
        JsonObject oldCard = http.get("api/v1/pos/cards/" + duplicate.card(), extra).json();
        assertThat(oldCard.getString("memberId")).as("the duplicate's card now holds the kept account")
                .isEqualTo(keep.id());
        assertThat(oldCard.getJsonNumber("availablePoints").longValue()).isEqualTo(350);

        JsonObject duplicateRecord = http.get("api/v1/admin/members/" + duplicate.id(), manager).json();
        assertThat(duplicateRecord.getString("status")).isEqualTo("MERGED");
        assertThat(duplicateRecord.getString("mergedInto")).isEqualTo(keep.id());
        List<JsonObject> duplicateLedger = ledger(duplicate);
        assertThat(duplicateLedger).extracting(line -> line.getString("kind")).containsExactly("MERGE_TRANSFER", "EARN");
        assertThat(duplicateLedger.get(0).getJsonNumber("points").longValue()).isEqualTo(-250);
        assertThat(duplicateLedger.get(1).getJsonNumber("points").longValue())
                .as("the earn is still there, unchanged").isEqualTo(250);
        JsonObject transferIn = ledger(keep).get(0);
        assertThat(transferIn.getString("kind")).isEqualTo("MERGE_TRANSFER");
        assertThat(transferIn.getString("actor")).isEqualTo("manager@demo.local");
        assertThat(transferIn.getString("reference")).isEqualTo(duplicate.id());

        JsonObject me = http.get("api/v1/me", http.bearer(keep.email(), "merge-pass")).json();
        assertThat(me.getJsonArray("cards")).hasSize(2);
        assertThat(qualifyingPoints(me)).as("the duplicate's purchase counts towards the kept member's tier")
                .isEqualTo(qualifyingBefore + 250);
        assertError(http.post("api/v1/admin/members/" + keep.id() + "/merge", "{\"from\":\"" + duplicate.id() + "\"}",
                manager), 409, "member_merged");
        assertError(http.post("api/v1/admin/members/" + keep.id() + "/merge", "{\"from\":\"" + keep.id() + "\"}",
                manager), 422, "merge_invalid");
        assertConsistent(keep);
        assertConsistent(duplicate);
    }

    @Test
    void aReturnOfAMergedDuplicatesSaleTakesItsOwnPointsAndAnAdjustmentRetriedOnTheKeptMemberIsNotMadeTwice() {
        Programme programme = newProgramme(30, 3);
        String[] till = programme.till();
        Member keep = enrol(programme.code(), null);
        Member duplicate = enrol(programme.code(), null);
        adjustIn(programme, keep, 30, null);
        sell(programme, keep, "100.00");
        String key = "ticket-" + UUID.randomUUID();
        assertThat(adjustIn(programme, duplicate, 120, key).status()).isEqualTo(201);
        String duplicateSale = sell(programme, duplicate, "80.00");
        assertThat(http.post("api/v1/admin/members/" + keep.id() + "/merge", "{\"from\":\"" + duplicate.id() + "\"}",
                programme.admin()).status()).isEqualTo(200);
        assertThat(balance(keep, till)).containsExactly(150L, 180L);
        JsonObject dashboard = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/dashboard",
                programme.admin()).json();
        assertThat(dashboard.getInt("members")).isEqualTo(1);
        assertThat(dashboard.getInt("activeMembers")).as("the duplicate's sale is the same person's").isEqualTo(1);
        // A purchase that earned nothing has no ledger entry: customer service finds it among the member's sales,
        // with the duplicate's, each as the till was answered.
        String nothing = sell(programme, keep, "0.50");
        JsonObject purchases = http.get("api/v1/admin/members/" + keep.id() + "/sales?size=2", programme.admin())
                .json();
        assertThat(purchases.getInt("total")).isEqualTo(3);
        JsonObject newest = purchases.getJsonArray("items").getJsonObject(0);
        assertThat(newest.getString("transactionId")).isEqualTo(nothing);
        assertThat(newest.getInt("pointsEarned")).isZero();
        assertThat(newest.getString("total")).as("money with its decimals, as the contract writes it").isEqualTo("0.50");
        assertThat(newest.getString("ruleSet")).isEqualTo(programme.code() + " v1");
        assertThat(purchases.getJsonArray("items").getJsonObject(1).getString("transactionId"))
                .isEqualTo(duplicateSale);
        assertThat(purchases.getJsonArray("items").getJsonObject(1).getInt("pointsEarned")).isEqualTo(80);

        // The manager's retry of the duplicate's adjustment is told where the account went, and sent there it is
        // the same adjustment, not a second one.
        assertError(adjustIn(programme, duplicate, 120, key), 409, "member_merged");
        Http.Reply again = adjustIn(programme, keep, 120, key);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(balance(keep, till)).containsExactly(150L, 180L);
        assertError(adjustIn(programme, keep, 90, key), 409, "adjustment_conflict");

        // The duplicate's sale returned takes its own 80 pending points, not the 30 the member could spend.
        JsonObject returned = http.post("api/v1/pos/transactions/" + duplicateSale + "/returns",
                "{\"returnId\":\"RET-" + UUID.randomUUID() + "\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}",
                till).json();
        assertThat(returned.getJsonNumber("pointsReversed").longValue()).isEqualTo(80);
        assertThat(balance(keep, till)).as("available, pending").containsExactly(150L, 100L);
        assertConsistent(keep, programme.admin());

        // Once a merged duplicate's points expired, a return of its sale takes none back: they are gone already.
        Member keep2 = enrol(programme.code(), null);
        Member duplicate2 = enrol(programme.code(), null);
        sell(programme, keep2, "50.00");
        String expiredSale = sell(programme, duplicate2, "40.00");
        sell(programme, duplicate2, "20.00");
        http.post("api/v1/admin/members/" + keep2.id() + "/merge", "{\"from\":\"" + duplicate2.id() + "\"}",
                programme.admin());
        JsonObject expired = http.post("api/v1/admin/programmes/" + programme.code() + "/expiry", "{\"asOf\":\""
                + LocalDate.now(ZoneOffset.UTC).plusDays(31) + "\",\"bringForward\":true}", programme.admin()).json();
        assertThat(expired.getJsonNumber("pointsExpired").longValue()).as(expired.toString()).isPositive();
        assertThat(balance(keep2, till)).containsExactly(0L, 0L);
        JsonObject late = http.post("api/v1/pos/transactions/" + expiredSale + "/returns",
                "{\"returnId\":\"RET-" + UUID.randomUUID() + "\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}",
                till).json();
        assertThat(late.getJsonNumber("pointsReversed").longValue()).as(late.toString()).isZero();
        assertThat(balance(keep2, till)).as("no debt for points that expired").containsExactly(0L, 0L);
        assertConsistent(keep2, programme.admin());

        // Merged in turn, the member kept takes its duplicate's purchases with it: one person, two merges deep.
        assertThat(http.post("api/v1/admin/members/" + keep.id() + "/merge", "{\"from\":\"" + keep2.id() + "\"}",
                programme.admin()).status()).isEqualTo(200);
        JsonObject after = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/dashboard",
                programme.admin()).json();
        assertThat(after.getInt("members")).isEqualTo(1);
        assertThat(after.getInt("activeMembers")).isEqualTo(1);
        // The activity report counts buyers the same way: the four accounts' purchases are one buyer's, who bought
        // more than once (the duplicate of the duplicate's purchase too, two merges from the member kept).
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        JsonObject activity = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/activity?from="
                + today.minusDays(1) + "&to=" + today.plusDays(1), programme.admin()).json();
        assertThat(activity.getJsonNumber("buyers").longValue()).as(activity.toString()).isEqualTo(1);
        assertThat(activity.getJsonNumber("repeatBuyers").longValue()).isEqualTo(1);

        // Found once more and merged a third time: every duplicate names the account kept now, however deep.
        Member keep3 = enrol(programme.code(), null);
        long held = balance(keep, till).get(0);
        assertThat(http.post("api/v1/admin/members/" + keep3.id() + "/merge", "{\"from\":\"" + keep.id() + "\"}",
                programme.admin()).status()).isEqualTo(200);
        for (Member merged : List.of(duplicate, keep2, duplicate2, keep)) {
            assertThat(http.get("api/v1/admin/members/" + merged.id(), programme.admin()).json()
                    .getString("mergedInto")).as(merged.id()).isEqualTo(keep3.id());
        }
        assertThat(balance(keep3, till).get(0)).isEqualTo(held);
        assertConsistent(keep3, programme.admin());
        JsonObject third = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/activity?from="
                + today.minusDays(1) + "&to=" + today.plusDays(1), programme.admin()).json();
        assertThat(third.getJsonNumber("buyers").longValue()).as("three merges deep, one buyer: " + third)
                .isEqualTo(1);
        assertThat(third.getJsonNumber("repeatBuyers").longValue()).isEqualTo(1);
        JsonObject kept = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/dashboard",
                programme.admin()).json();
        assertThat(kept.getInt("members")).isEqualTo(1);
        assertThat(kept.getInt("activeMembers")).isEqualTo(1);
    }

    @Test
    void pointsPayNoMoreThanTheBasketAndAQualifyingCreditMadeByMistakeIsReversedByItsEntry() {
        Member member = enrol("DEMO", "undo-pass");
        adjust(member, 1_000, "Opening");
        long available = available(member.card());
        Http.Reply tooMuch = http.post("api/v1/pos/transactions", sale(member.card(), receipt(), now(), 1_000,
                line("COF-250", "coffee", 1, "4.50")), TILL_S001);
        assertError(tooMuch, 422, "redemption_exceeds_total");
        assertThat(tooMuch.json().getString("field")).isEqualTo("redeemPoints");
        assertThat(tooMuch.json().getString("message")).contains("at most 450 points");
        assertError(http.post("api/v1/pos/transactions/quote", sale(member.card(), receipt(), now(), 1_000,
                line("COF-250", "coffee", 1, "4.50")), TILL_S001), 422, "redemption_exceeds_total");
        assertThat(available(member.card())).as("nothing written").isEqualTo(available);

        String[] customer = http.bearer(member.email(), "undo-pass");
        long qualifying = qualifying(customer);
        Http.Reply credit = http.post("api/v1/admin/members/" + member.id() + "/adjustments",
                "{\"points\":5000,\"reason\":\"Opening\",\"qualifying\":true}", manager);
        assertThat(credit.status()).as(credit.body()).isEqualTo(201);
        assertThat(qualifying(customer)).isEqualTo(qualifying + 5_000);
        long afterCredit = available(member.card());
        Http.Reply undo = http.post("api/v1/admin/members/" + member.id() + "/adjustments",
                "{\"points\":-5000,\"reason\":\"Opening credited twice\",\"qualifying\":true}", manager);
        assertError(undo, 400, "invalid_field");
        assertThat(undo.json().getString("field")).as("refused, not taken as a plain debit").isEqualTo("qualifying");
        assertThat(available(member.card())).isEqualTo(afterCredit);
        assertThat(qualifying(customer)).isEqualTo(qualifying + 5_000);
        // The credit made by mistake is reversed by its entry: points and standing back, dated with it.
        long entry = credit.json().getJsonNumber("entryId").longValue();
        String reversal = "{\"points\":-5000,\"reason\":\"Opening credited twice\",\"reverses\":" + entry + "}";
        Http.Reply reversed = http.post("api/v1/admin/members/" + member.id() + "/adjustments", reversal, manager);
        assertThat(reversed.status()).as(reversed.body()).isEqualTo(201);
        assertThat(available(member.card())).isEqualTo(afterCredit - 5_000);
        assertThat(qualifying(customer)).isEqualTo(qualifying);
        assertError(http.post("api/v1/admin/members/" + member.id() + "/adjustments", reversal, manager), 422,
                "not_reversible");
        assertError(http.post("api/v1/admin/members/" + member.id() + "/adjustments", "{\"points\":-10,\"reason\""
                + ":\"x\",\"reverses\":" + reversed.json().getJsonNumber("entryId").longValue() + "}", manager),
                422, "not_reversible");
        assertConsistent(member);
        // The tier the mistaken credit reached stays until the member's yearly review: the manager puts the member
        // back by hand, with a reason, and is told which tier the member's own points reach.
        String reached = tier(member);
        Http.Reply set = http.post("api/v1/admin/members/" + member.id() + "/tier", "{\"tier\":\"bronze\","
                + "\"reason\":\"Opening credited twice\"}", manager);
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        assertThat(set.json().getString("before")).isEqualTo(reached).isNotEqualTo("BRONZE");
        assertThat(set.json().getJsonNumber("qualifyingPoints").longValue()).isEqualTo(qualifying);
        assertThat(set.json().getString("reaches")).isEqualTo(qualifying >= 5_000 ? "GOLD" : qualifying >= 1_000
                ? "SILVER" : "BRONZE");
        assertThat(tier(member)).isEqualTo("BRONZE");
        assertError(http.post("api/v1/admin/members/" + member.id() + "/tier", "{\"tier\":\"BRONZE\",\"reason\":"
                + "\"again\"}", manager), 409, "tier_unchanged");
        assertError(http.post("api/v1/admin/members/" + member.id() + "/tier", "{\"tier\":\"PLATINUM\",\"reason\":"
                + "\"x\"}", manager), 422, "tier_not_found");
        assertError(http.post("api/v1/admin/members/" + member.id() + "/tier", "{\"tier\":\"GOLD\",\"reason\":"
                + "\"x\"}", http.bearer("auditor@demo.local", "auditor-demo")), 403, "forbidden");
        assertThat(tier(member)).isEqualTo("BRONZE");
        assertThat(http.get("api/v1/admin/members/" + member.id() + "/audit", manager).body()).contains("TIER_SET")
                .contains(reached + " -> BRONZE: Opening credited twice");

        // A purchase the till sends from before the tier window counts for no tier: its points are outside it.
        Member late = enrol("DEMO", null);
        String before = tier(late);
        Http.Reply old = http.post("api/v1/pos/transactions", sale(late.card(), receipt(),
                OffsetDateTime.now(ZoneOffset.UTC).minusDays(400).withNano(0).toString(), 0,
                line("TV", "electronics", 1, "2000.00")), TILL_S001);
        assertThat(old.status()).as(old.body()).isEqualTo(201);
        assertThat(old.json().getJsonNumber("pointsEarned").longValue()).isPositive();
        assertThat(old.json().getString("tier")).isEqualTo(before);
        assertThat(tier(late)).isEqualTo(before);
    }

    @Test
    void aDayTheDatabaseCannotHoldOrAYesThatIsNotTrueIsRefusedAndChangesNothing() {
        Member member = enrol("DEMO", "consent-pass");
        String[] customer = http.bearer(member.email(), "consent-pass");
        JsonObject before = http.get("api/v1/me/consents", customer).json();
        for (String wrong : List.of("\"yes\"", "1", "\"no\"")) {
            Http.Reply refused = http.put("api/v1/me/consents", "{\"email\":" + wrong + "}", customer);
            assertThat(refused.status()).as(wrong + ": " + refused.body()).isEqualTo(400);
        }
        assertThat(http.get("api/v1/me/consents", customer).json()).isEqualTo(before);

        assertError(http.post("api/v1/admin/programmes/DEMO/members", "{\"email\":\"old-" + UUID.randomUUID()
                + "@example.org\",\"firstName\":\"O\",\"lastName\":\"L\",\"birthDate\":\"-999999999-01-01\"}",
                manager), 400, "invalid_date");
        assertError(http.post("api/v1/admin/programmes/DEMO/expiry", "{\"asOf\":\"+999999999-12-31\"}", manager),
                400, "invalid_date");
    }

    private Http.Reply adjustIn(Programme programme, Member member, long points, String key) {
        String body = "{\"points\":" + points + ",\"reason\":\"R-88\"}";
        return key == null ? http.post("api/v1/admin/members/" + member.id() + "/adjustments", body, programme.admin())
                : http.post("api/v1/admin/members/" + member.id() + "/adjustments", body,
                        concat(programme.admin(), "Idempotency-Key", key));
    }

    /** Sells one article at the price to the member in the programme's store; the sale's transaction id. */
    private String sell(Programme programme, Member member, String price) {
        Http.Reply sold = http.post("api/v1/pos/transactions", sale(member.card(), programme.store(), receipt(), now(),
                "EUR", 0, line("A", "food", 1, price)), programme.till());
        assertThat(sold.status()).as(sold.body()).isEqualTo(201);
        return sold.json().getString("transactionId");
    }

    private List<Long> balance(Member member, String[] till) {
        JsonObject card = http.get("api/v1/pos/cards/" + member.card(), till).json();
        return List.of(card.getJsonNumber("availablePoints").longValue(),
                card.getJsonNumber("pendingPoints").longValue());
    }

    @Test
    void twoMembersWhosePointsTogetherReachATierAreMergedIntoThatTierAndTheDuplicateSignsInAgain() {
        Member keep = enrol("DEMO", "keep-pass");
        Member duplicate = enrol("DEMO", "duplicate-pass");
        http.post("api/v1/pos/transactions", sale(keep.card(), receipt(), now(), 0, line("A", "food", 1, "600.00")),
                TILL_S001);
        http.post("api/v1/pos/transactions", sale(duplicate.card(), receipt(), now(), 0,
                line("A", "food", 1, "500.00")), TILL_S001);
        Member earlier = enrol("DEMO", null);
        assertThat(http.post("api/v1/admin/members/" + duplicate.id() + "/merge", "{\"from\":\"" + earlier.id()
                + "\"}", manager).status()).as("a duplicate of the duplicate, merged into it before").isEqualTo(200);
        String[] duplicateSession = http.bearer(duplicate.email(), "duplicate-pass");
        assertThat(http.get("api/v1/pos/cards/" + keep.card(), TILL_S001).json().getString("tier")).isEqualTo("BRONZE");
        assertThat(http.get("api/v1/me", duplicateSession).status()).isEqualTo(200);

        JsonObject merged = http.post("api/v1/admin/members/" + keep.id() + "/merge",
                "{\"from\":\"" + duplicate.id() + "\"}", manager).json();

        assertThat(merged.getString("tier")).as("1,100 qualifying points together: SILVER").isEqualTo("SILVER");
        assertThat(http.get("api/v1/pos/cards/" + keep.card(), TILL_S001).json().getString("tier"))
                .as("what the till shows").isEqualTo("SILVER");
        JsonObject upgrade = ledger(keep).stream().filter(line -> line.getString("kind").equals("TIER_CHANGE"))
                .findFirst().orElseThrow();
        assertThat(upgrade.getString("reference")).isEqualTo("BRONZE->SILVER");
        assertThat(upgrade.getString("reason")).contains(duplicate.id());
        assertThat(http.get("api/v1/me", duplicateSession).status())
                .as("the duplicate's session, whose token names the emptied account, ends").isEqualTo(401);
        JsonObject me = http.get("api/v1/me", http.bearer(duplicate.email(), "duplicate-pass")).json();
        assertThat(me.getString("memberId")).as("signing in again opens the member kept").isEqualTo(keep.id());
        assertThat(me.getJsonArray("cards")).as("the cards of all three").hasSize(3);
        assertThat(me.getString("tier")).isEqualTo("SILVER");
        List<String> exported = http.get("api/v1/me/export", http.bearer(keep.email(), "keep-pass")).json()
                .getJsonArray("records").getValuesAs(JsonObject.class).stream()
                .map(record -> record.getJsonObject("member").getString("memberId")).toList();
        assertThat(exported).as("the export holds every record merged in, however deep")
                .containsExactlyInAnyOrder(keep.id(), duplicate.id(), earlier.id());
        assertConsistent(keep);
    }

    @Test
    void aMergeTakesTheDuplicatesOpenOfferAlongAndTheTillTakesItOnTheKeptCard() {
        Programme programme = newProgramme(365, 0);
        Http.Reply defined = http.post("api/v1/admin/programmes/" + programme.code() + "/offers", "{\"code\":"
                + "\"SECOND\",\"title\":\"Come again\",\"kind\":\"BONUS_POINTS\",\"points\":50,\"validDays\":10,"
                + "\"holdoutPercent\":0}", programme.admin());
        assertThat(defined.status()).as(defined.body()).isEqualTo(201);
        Member keep = enrol(programme.code(), null);
        Member duplicate = enrol(programme.code(), null);
        assertThat(http.post("api/v1/pos/transactions", sale(duplicate.card(), programme.store(), receipt(),
                now(), "EUR", 0, line("A", "food", 1, "30.00")), programme.till()).status()).isEqualTo(201);
        Http.Reply recomputed = http.post("api/v1/admin/programmes/" + programme.code() + "/knowledge/recompute", "{}",
                programme.admin());
        assertThat(recomputed.status()).as(recomputed.body()).isEqualTo(200);
        List<JsonObject> offered = http.get("api/v1/pos/cards/" + duplicate.card(), programme.till()).json()
                .getJsonArray("offers").getValuesAs(JsonObject.class);
        assertThat(offered).as("the second-purchase nudge, for the duplicate's one purchase").hasSize(1);
        String offerId = offered.get(0).getString("offerId");

        Http.Reply merged = http.post("api/v1/admin/members/" + keep.id() + "/merge", "{\"from\":\"" + duplicate.id()
                + "\"}", programme.admin());

        assertThat(merged.status()).as(merged.body()).isEqualTo(200);
        assertThat(http.get("api/v1/pos/cards/" + keep.card(), programme.till()).json().getJsonArray("offers")
                .getValuesAs(JsonObject.class)).extracting(offer -> offer.getString("offerId")).containsExactly(offerId);
        Http.Reply used = http.post("api/v1/pos/transactions", sale(keep.card(), programme.store(), receipt(), now(),
                "EUR", 0, line("B", "food", 1, "10.00")).replace("\"offerIds\":[]", "\"offerIds\":[\"" + offerId
                + "\"]"), programme.till());
        assertThat(used.status()).as(used.body()).isEqualTo(201);
        assertThat(used.json().getJsonNumber("pointsEarned").longValue()).as("10 for the purchase, 50 for the offer")
                .isEqualTo(60);
        Http.Reply coffee = http.post("api/v1/admin/programmes/" + programme.code() + "/offers", "{\"code\":"
                + "\"COFFEE\",\"title\":\"Double on coffee\",\"kind\":\"CATEGORY_MULTIPLIER\",\"multiplier\":2,"
                + "\"category\":\" Coffee \",\"validDays\":10,\"holdoutPercent\":0}", programme.admin());
        assertThat(coffee.json().getString("category")).as("kept as the tills' lines are: in lower case")
                .isEqualTo("coffee");
    }

    private static long qualifyingPoints(JsonObject me) {
        return me.getJsonObject("tierProgress").getJsonNumber("qualifyingPoints").longValue();
    }

    @Test
    void aCustomerSeesOnlyTheirOwnAccountAndATillOnlyItsOwnProgramme() {
        Member other = enrol("DEMO", null);
        String[] claire = http.bearer("claire@demo.local", "claire-demo");

        assertError(http.get("api/v1/admin/members/" + other.id(), claire), 403, "forbidden");
        assertError(http.get("api/v1/admin/members/" + other.id() + "/transactions", claire), 403, "forbidden");
        assertError(http.get("api/v1/me", TILL_S001), 403, "forbidden");
        assertError(http.get("api/v1/me"), 401, "unauthenticated");
        assertError(http.get("api/v1/me", "Authorization", "Bearer not.a.token"), 401, "unauthenticated");
        assertThat(http.get("api/v1/me", claire).json().getString("email")).isEqualTo("claire@demo.local");
        String[] auditor = http.bearer("auditor@demo.local", "auditor-demo");
        assertThat(http.get("api/v1/admin/members/" + other.id(), auditor).status()).isEqualTo(200);
        assertError(http.post("api/v1/admin/members/" + other.id() + "/adjustments",
                "{\"points\":10,\"reason\":\"try\"}", auditor), 403, "forbidden");

        Programme second = newProgramme(365, 0);
        assertError(http.get("api/v1/pos/cards/" + other.card(), second.till()), 404, "card_not_found");
        JsonObject demoSale = http.post("api/v1/pos/transactions", sale(other.card(), receipt(), now(), 0,
                line("A", "food", 1, "10.00")), TILL_S001).json();
        assertError(http.post("api/v1/pos/transactions/" + demoSale.getString("transactionId") + "/returns",
                "{\"returnId\":\"X\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}", second.till()),
                404, "transaction_not_found");
        assertError(http.get("api/v1/admin/members/" + enrol(second.code(), null).id(), manager),
                404, "member_not_found");
        assertError(http.post("api/v1/pos/transactions", sale(other.card(), "S002", receipt(), now(), "EUR", 0,
                line("A", "food", 1, "10.00")), TILL_S001), 403, "store_mismatch");
    }

    @Test
    void rewardsHaveAPointsPriceAnOptionalTierAndAStockThatIsNeverOversold() {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        assertThat(http.post("api/v1/admin/programmes/DEMO/rewards", "{\"rewardId\":\"r-gold-" + suffix
                + "\",\"name\":\"Lounge\",\"points\":100,\"tier\":\"GOLD\"}", manager).status()).isEqualTo(201);
        assertThat(http.post("api/v1/admin/programmes/DEMO/rewards", "{\"rewardId\":\"r-last-" + suffix
                + "\",\"name\":\"Last bag\",\"points\":100,\"stock\":1}", manager).status()).isEqualTo(201);
        Member bronze = enrol("DEMO", null);
        adjust(bronze, 1_000, "Test points");

        assertError(redeemReward(bronze, "r-gold-" + suffix, receipt()), 409, "reward_tier_restricted");
        Http.Reply coffee = redeemReward(bronze, "r-coffee", "RC-" + suffix);
        assertThat(coffee.status()).isEqualTo(201);
        assertThat(coffee.json().getJsonNumber("pointsRedeemed").longValue()).isEqualTo(250);
        assertThat(redeemReward(bronze, "r-coffee", "RC-" + suffix).json()).as("a replay").isEqualTo(coffee.json());
        assertError(redeemReward(bronze, "r-last-" + suffix, "RC-" + suffix), 409, "receipt_conflict");
        assertThat(redeemReward(bronze, "r-last-" + suffix, receipt()).status()).isEqualTo(201);
        assertError(redeemReward(bronze, "r-last-" + suffix, receipt()), 409, "reward_out_of_stock");
        assertError(redeemReward(bronze, "r-none", receipt()), 404, "reward_not_found");
        String tomorrow = LocalDate.now(java.time.ZoneId.of("Europe/Paris")).plusDays(1).toString();
        assertThat(http.post("api/v1/admin/programmes/DEMO/rewards", "{\"rewardId\":\"r-soon-" + suffix
                + "\",\"name\":\"Advent gift\",\"points\":10,\"validFrom\":\"" + tomorrow + "\"}", manager).status())
                .isEqualTo(201);
        assertError(redeemReward(bronze, "r-soon-" + suffix, receipt()), 409, "reward_not_available");
        // A reward that could never be taken, and one whose id differs from another's in case only, are refused.
        String yesterday = LocalDate.now(java.time.ZoneId.of("Europe/Paris")).minusDays(1).toString();
        assertError(http.post("api/v1/admin/programmes/DEMO/rewards", "{\"rewardId\":\"r-gone-" + suffix
                + "\",\"name\":\"Summer gift\",\"points\":10,\"validUntil\":\"" + yesterday + "\"}", manager), 422,
                "reward_in_the_past");
        assertError(http.post("api/v1/admin/programmes/DEMO/rewards", "{\"rewardId\":\"R-SOON-" + suffix
                + "\",\"name\":\"Advent gift\",\"points\":10}", manager), 409, "reward_exists");
        assertThat(http.get("api/v1/pos/rewards", TILL_S001).body()).doesNotContain("r-soon-" + suffix);
        assertThat(available(bronze.card())).isEqualTo(650);
        assertThat(http.get("api/v1/pos/rewards", TILL_S001).body()).contains("r-coffee");
        assertError(http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + bronze.card()
                + "\",\"storeId\":\"S001\",\"receiptId\":\"" + receipt() + "\",\"rewardId\":\"r-coffee\",\"points\":5}",
                TILL_S001), 400, null);
    }

    @Test
    void aRedemptionCancelledAtItsStoreGivesItsPointsAndItsRewardBackOnce() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        assertThat(http.post("api/v1/admin/programmes/DEMO/rewards", "{\"rewardId\":\"r-mug-" + suffix
                + "\",\"name\":\"Last mug\",\"points\":100,\"stock\":1}", manager).status()).isEqualTo(201);
        Member member = enrol("DEMO", null);
        adjust(member, 1_000, "Test points");
        Http.Reply mug = redeemReward(member, "r-mug-" + suffix, receipt());
        assertThat(mug.status()).as(mug.body()).isEqualTo(201);
        String redemption = mug.json().getString("redemptionId");
        Member other = enrol("DEMO", null);
        adjust(other, 1_000, "Test points");
        assertError(redeemReward(other, "r-mug-" + suffix, receipt()), 409, "reward_out_of_stock");
        assertThat(available(member.card())).isEqualTo(900);

        // Another store's till, a store the key does not hold, an id of no redemption and an overlong reason:
        // refused, and nothing given back.
        assertError(http.post("api/v1/pos/redemptions/" + redemption + "/cancel", "{}", TILL_S002), 409,
                "redemption_other_store");
        assertError(http.post("api/v1/pos/redemptions/" + redemption + "/cancel", "{\"storeId\":\"S002\"}",
                TILL_S001), 403, "store_mismatch");
        assertError(http.post("api/v1/pos/redemptions/d-nothing/cancel", "{}", TILL_S001), 404,
                "redemption_not_found");
        assertError(http.post("api/v1/pos/redemptions/" + redemption + "/cancel", "{\"reason\":\""
                + "x".repeat(201) + "\"}", TILL_S001), 400, null);
        assertThat(available(member.card())).isEqualTo(900);

        // Ten tills asking at once (a cashier pressing twice, a till sending again): one cancellation.
        List<Http.Reply> replies = parallel(10, i -> http.post("api/v1/pos/redemptions/" + redemption + "/cancel",
                "{\"terminalId\":\"T" + i + "\",\"reason\":\"Customer changed their mind\"}", TILL_S001));

        assertThat(replies).extracting(Http.Reply::status).containsOnly(200, 201);
        assertThat(replies.stream().filter(reply -> reply.status() == 201)).hasSize(1);
        assertThat(replies.stream().map(Http.Reply::json).distinct()).hasSize(1);
        JsonObject cancelled = replies.get(0).json();
        assertThat(cancelled.getString("redemptionId")).isEqualTo(redemption);
        assertThat(cancelled.getString("rewardId")).isEqualTo("r-mug-" + suffix);
        assertThat(cancelled.getJsonNumber("pointsReturned").longValue()).isEqualTo(100);
        assertThat(cancelled.getJsonNumber("availablePoints").longValue()).isEqualTo(1_000);
        assertThat(available(member.card())).isEqualTo(1_000);
        List<JsonObject> given = ledger(member).stream()
                .filter(line -> line.getString("kind").equals("REDEEM") && line.getJsonNumber("points").longValue() > 0)
                .toList();
        assertThat(given).hasSize(1);
        assertThat(given.get(0).getString("reason")).as("the cashier's words stay off the customer's history")
                .contains("Redemption cancelled", "Last mug").doesNotContain("Customer changed their mind");
        assertConsistent(member);
        // The mug is back in stock: the other customer takes it.
        assertThat(redeemReward(other, "r-mug-" + suffix, receipt()).status()).isEqualTo(201);
        assertThat(available(other.card())).isEqualTo(900);
        // A redemption for points' value comes back the same way, with no body at all.
        Http.Reply points = redeemPoints(member, 300);
        assertThat(points.status()).as(points.body()).isEqualTo(201);
        Http.Reply back = http.post("api/v1/pos/redemptions/" + points.json().getString("redemptionId") + "/cancel",
                "", TILL_S001);
        assertThat(back.status()).as(back.body()).isEqualTo(201);
        assertThat(back.json().getJsonNumber("pointsReturned").longValue()).isEqualTo(300);
        assertThat(back.json().getString("redemptionValue")).as("what the points were worth, to take back")
                .isEqualTo(points.json().getString("redemptionValue"));
        assertThat(available(member.card())).isEqualTo(1_000);
        assertConsistent(member);
    }

    @Test
    void aCancelledRedemptionsPointsComeBackInTheirLotsToTheMemberWhoHoldsThemNow() {
        Programme programme = newProgramme(30, 0);
        Member member = enrol(programme.code(), "cancel-pass");
        String[] till = programme.till();
        buy(programme, member, 20, "100.00", "food");
        buy(programme, member, 0, "60.00", "food");
        String[] customer = http.bearer(member.email(), "cancel-pass");
        JsonArray before = http.get("api/v1/me", customer).json().getJsonArray("expiringPoints");
        assertThat(before).hasSize(2);
        Http.Reply spent = http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + member.card()
                + "\",\"storeId\":\"" + programme.store() + "\",\"receiptId\":\"" + receipt() + "\",\"points\":30}",
                till);
        assertThat(spent.status()).as(spent.body()).isEqualTo(201);
        assertThat(http.get("api/v1/me", customer).json().getJsonArray("expiringPoints").getJsonObject(0)
                .getJsonNumber("points").longValue()).as("taken from the lot that expires first").isEqualTo(70);

        // Given back, the 30 points expire when they would have (in 10 days), not a month from now: a redemption
        // and its cancellation renew no points.
        Http.Reply back = http.post("api/v1/pos/redemptions/" + spent.json().getString("redemptionId") + "/cancel",
                "{\"terminalId\":\"T1\"}", till);
        assertThat(back.status()).as(back.body()).isEqualTo(201);
        assertThat(http.get("api/v1/me", customer).json().getJsonArray("expiringPoints")).isEqualTo(before);
        assertThat(http.get("api/v1/me/transactions?size=1", customer).json().getJsonArray("items").getJsonObject(0)
                .getJsonNumber("points").longValue()).isEqualTo(30);

        // A redemption of a duplicate account merged since: the points go to the member kept.
        Member duplicate = enrol(programme.code(), null);
        buy(programme, duplicate, 0, "100.00", "food");
        Http.Reply duplicateSpent = http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + duplicate.card()
                + "\",\"storeId\":\"" + programme.store() + "\",\"receiptId\":\"" + receipt() + "\",\"points\":40}",
                till);
        assertThat(duplicateSpent.status()).as(duplicateSpent.body()).isEqualTo(201);
        Http.Reply merged = http.post("api/v1/admin/members/" + member.id() + "/merge", "{\"from\":\""
                + duplicate.id() + "\"}", programme.admin());
        assertThat(merged.status()).as(merged.body()).isEqualTo(200);
        long kept = http.get("api/v1/me", customer).json().getJsonNumber("availablePoints").longValue();
        Http.Reply duplicateBack = http.post("api/v1/pos/redemptions/" + duplicateSpent.json()
                .getString("redemptionId") + "/cancel", "", till);
        assertThat(duplicateBack.status()).as(duplicateBack.body()).isEqualTo(201);
        assertThat(duplicateBack.json().getJsonNumber("availablePoints").longValue()).isEqualTo(kept + 40);
        assertThat(http.get("api/v1/me", customer).json().getJsonNumber("availablePoints").longValue())
                .isEqualTo(kept + 40);
        assertConsistent(member, programme.admin());
        assertConsistent(duplicate, programme.admin());
        // By its receipt, from any till of the store (the one that made it kept the id); sent again afterwards, the
        // redemption says it was cancelled.
        String byReceipt = receipt();
        String spendBody = "{\"cardNumber\":\"" + member.card() + "\",\"storeId\":\"" + programme.store()
                + "\",\"receiptId\":\"" + byReceipt + "\",\"points\":20}";
        assertThat(http.post("api/v1/pos/redemptions", spendBody, till).status()).isEqualTo(201);
        assertError(http.post("api/v1/pos/redemptions/receipts/" + byReceipt + "/cancel", "", TILL_S001), 404,
                "redemption_not_found");
        Http.Reply receiptBack = http.post("api/v1/pos/redemptions/receipts/" + byReceipt + "/cancel", "", till);
        assertThat(receiptBack.status()).as(receiptBack.body()).isEqualTo(201);
        Http.Reply spentAgain = http.post("api/v1/pos/redemptions", spendBody, till);
        assertThat(spentAgain.status()).isEqualTo(200);
        assertThat(spentAgain.json().getString("cancelledAt")).isEqualTo(receiptBack.json().getString("cancelledAt"));
        assertError(http.post("api/v1/pos/redemptions/receipts/" + "R".repeat(300) + "/cancel", "", till), 404,
                "redemption_not_found");
        // An id that is none of the engine's, of any length: no such redemption, named in the field.
        Http.Reply hostile = http.post("api/v1/pos/redemptions/" + "d-".repeat(40) + "/cancel", "", till);
        assertError(hostile, 404, "redemption_not_found");
        assertThat(hostile.json().getString("field")).isEqualTo("redemptionId");
    }

    @Test
    void staffCancelARedemptionOfAnyStoreFromTheBackOfficeOnceWithAReason() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        assertThat(http.post("api/v1/admin/programmes/DEMO/rewards", "{\"rewardId\":\"r-post-" + suffix
                + "\",\"name\":\"Mug by post\",\"points\":100,\"stock\":1}", manager).status()).isEqualTo(201);
        Member member = enrol("DEMO", null);
        adjust(member, 1_000, "Test points");
        // Made at store S002: a manager of the programme cancels it whatever the store.
        Http.Reply mug = http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + member.card()
                + "\",\"storeId\":\"S002\",\"receiptId\":\"" + receipt() + "\",\"rewardId\":\"r-post-" + suffix
                + "\"}", TILL_S002);
        assertThat(mug.status()).as(mug.body()).isEqualTo(201);
        String redemption = mug.json().getString("redemptionId");
        Http.Reply value = redeemPoints(member, 200);
        assertThat(value.status()).as(value.body()).isEqualTo(201);
        JsonArray listed = http.get("api/v1/admin/members/" + member.id() + "/redemptions", manager).json()
                .getJsonArray("items");
        assertThat(listed).hasSize(2);
        assertThat(listed.getJsonObject(1).getString("redemptionId")).as("newest first").isEqualTo(redemption);
        assertThat(listed.getJsonObject(1).getString("reward")).isEqualTo("Mug by post");
        assertThat(listed.getJsonObject(1).containsKey("cancelledAt")).isFalse();
        assertThat(listed.getJsonObject(0).getString("redemptionValue"))
                .isEqualTo(value.json().getString("redemptionValue"));

        // No reason, an overlong one, an id of no redemption, another member's redemption: refused, nothing back.
        String cancel = "api/v1/admin/members/" + member.id() + "/redemptions/" + redemption + "/cancel";
        assertError(http.post(cancel, "{}", manager), 400, null);
        assertError(http.post(cancel, "{\"reason\":\"  \"}", manager), 400, null);
        assertError(http.post(cancel, "{\"reason\":\"" + "x".repeat(201) + "\"}", manager), 400, null);
        assertError(http.post(cancel, "{\"reason\":\"lost\",\"channel\":\"SHOP\"}", manager), 400, null);
        Http.Reply unknown = http.post("api/v1/admin/members/" + member.id() + "/redemptions/d-nothing/cancel",
                "{\"reason\":\"lost\"}", manager);
        assertError(unknown, 404, "redemption_not_found");
        assertThat(unknown.json().getString("field")).isEqualTo("redemptionId");
        Member other = enrol("DEMO", null);
        assertError(http.post("api/v1/admin/members/" + other.id() + "/redemptions/" + redemption + "/cancel",
                "{\"reason\":\"lost\"}", manager), 404, "redemption_not_found");
        assertThat(available(member.card())).isEqualTo(700);
        adjust(other, 100, "Test points");
        assertError(redeemReward(other, "r-post-" + suffix, receipt()), 409, "reward_out_of_stock");

        // Staff on the phone and a till of the store at once, five each: one cancellation, one answer.
        List<Http.Reply> replies = parallel(10, i -> i % 2 == 0
                ? http.post(cancel, "{\"reason\":\"Never arrived by post\",\"channel\":\"CALL_CENTRE\"}", manager)
                : http.post("api/v1/pos/redemptions/" + redemption + "/cancel", "{\"terminalId\":\"T" + i + "\"}",
                        TILL_S002));
        assertThat(replies).extracting(Http.Reply::status).containsOnly(200, 201);
        assertThat(replies.stream().filter(reply -> reply.status() == 201)).hasSize(1);
        assertThat(replies.stream().map(Http.Reply::json).distinct()).hasSize(1);
        JsonObject cancelled = replies.get(0).json();
        assertThat(cancelled.getJsonNumber("pointsReturned").longValue()).isEqualTo(100);
        assertThat(cancelled.getJsonNumber("pointsExpiredMeanwhile").longValue()).isZero();
        assertThat(cancelled.getJsonNumber("availablePoints").longValue()).isEqualTo(800);
        assertThat(available(member.card())).isEqualTo(800);
        assertConsistent(member);
        // The unit is back in stock for the next customer.
        assertThat(redeemReward(other, "r-post-" + suffix, receipt()).status()).isEqualTo(201);

        // The list says what became of it; whoever won the race, the reason or the till is kept.
        JsonObject line = http.get("api/v1/admin/members/" + member.id() + "/redemptions", manager).json()
                .getJsonArray("items").getJsonObject(1);
        assertThat(line.getString("cancelledAt")).isNotEmpty();
        boolean byStaff = line.containsKey("cancelledBy");
        if (byStaff) {
            assertThat(line.getString("cancelledBy")).isEqualTo("manager@demo.local");
            assertThat(line.getString("cancelReason")).isEqualTo("Never arrived by post");
            assertThat(http.get("api/v1/admin/members/" + member.id() + "/audit", manager).body())
                    .contains("REDEMPTION_CANCELLED", redemption, "Never arrived by post");
        } else {
            assertThat(line.getString("cancelStoreId")).isEqualTo("S002");
        }

        // The redemption for the points' value, by staff alone: the reason stays off the customer's history.
        String valueId = value.json().getString("redemptionId");
        Http.Reply back = http.post("api/v1/admin/members/" + member.id() + "/redemptions/" + valueId + "/cancel",
                "{\"reason\":\"Charged twice at the till\"}", manager);
        assertThat(back.status()).as(back.body()).isEqualTo(201);
        assertThat(back.json().getJsonNumber("availablePoints").longValue()).isEqualTo(1_000);
        Http.Reply again = http.post("api/v1/admin/members/" + member.id() + "/redemptions/" + valueId + "/cancel",
                "{\"reason\":\"Another reason\"}", manager);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(back.json());
        JsonObject entry = ledger(member).get(0);
        assertThat(entry.getString("kind")).isEqualTo("REDEEM");
        assertThat(entry.getJsonNumber("points").longValue()).isEqualTo(200);
        assertThat(entry.getString("actor")).isEqualTo("manager@demo.local");
        assertThat(entry.getString("reason")).contains("Redemption cancelled").doesNotContain("Charged twice");
        assertThat(http.get("api/v1/admin/members/" + member.id() + "/audit", manager).body())
                .contains(valueId, "Charged twice at the till");
        assertThat(available(member.card())).isEqualTo(1_000);
        assertConsistent(member);

        // A duplicate's redemption, merged since: cancelled from the account kept, the points go there.
        Member duplicate = enrol("DEMO", null);
        adjust(duplicate, 300, "Test points");
        Http.Reply spent = redeemPoints(duplicate, 300);
        assertThat(spent.status()).as(spent.body()).isEqualTo(201);
        assertThat(http.post("api/v1/admin/members/" + member.id() + "/merge", "{\"from\":\"" + duplicate.id()
                + "\"}", manager).status()).isEqualTo(200);
        JsonArray merged = http.get("api/v1/admin/members/" + member.id() + "/redemptions?size=1", manager).json()
                .getJsonArray("items");
        assertThat(merged.getJsonObject(0).getString("memberId")).isEqualTo(duplicate.id());
        Http.Reply duplicateBack = http.post("api/v1/admin/members/" + member.id() + "/redemptions/"
                + spent.json().getString("redemptionId") + "/cancel", "{\"reason\":\"Merged account\"}", manager);
        assertThat(duplicateBack.status()).as(duplicateBack.body()).isEqualTo(201);
        assertThat(available(member.card())).isEqualTo(1_300);
        assertConsistent(member);
        assertConsistent(duplicate);
        assertThat(http.get("api/v1/admin/members/" + member.id() + "/audit", manager).body())
                .contains(spent.json().getString("redemptionId"), "Merged account");

        // Merged twice (first into second, second into the member): the first's redemption is on the page of the
        // member who holds its points now (the middle one holds no account: its page shows its own alone), and they
        // go back there.
        Member first = enrol("DEMO", null);
        Member second = enrol("DEMO", null);
        adjust(first, 50, "Test points");
        Http.Reply firstSpent = redeemPoints(first, 50);
        assertThat(firstSpent.status()).as(firstSpent.body()).isEqualTo(201);
        assertThat(http.post("api/v1/admin/members/" + second.id() + "/merge", "{\"from\":\"" + first.id() + "\"}",
                manager).status()).isEqualTo(200);
        assertThat(http.post("api/v1/admin/members/" + member.id() + "/merge", "{\"from\":\"" + second.id()
                + "\"}", manager).status()).isEqualTo(200);
        assertThat(http.get("api/v1/admin/members/" + second.id() + "/redemptions", manager).json()
                .getJsonArray("items")).isEmpty();
        Http.Reply fromKept = http.post("api/v1/admin/members/" + member.id() + "/redemptions/"
                + firstSpent.json().getString("redemptionId") + "/cancel", "{\"reason\":\"Two merges\"}", manager);
        assertThat(fromKept.status()).as(fromKept.body()).isEqualTo(201);
        assertThat(available(member.card())).isEqualTo(1_350);
        assertConsistent(member);

        // A member who closed their account is given nothing back.
        Member closing = enrol("DEMO", "closing-pass");
        adjust(closing, 80, "Test points");
        Http.Reply closingSpent = redeemPoints(closing, 80);
        assertThat(closingSpent.status()).as(closingSpent.body()).isEqualTo(201);
        assertThat(http.post("api/v1/me/close", "{\"password\":\"closing-pass\"}",
                http.bearer(closing.email(), "closing-pass")).status()).isEqualTo(204);
        assertError(http.post("api/v1/admin/members/" + closing.id() + "/redemptions/"
                + closingSpent.json().getString("redemptionId") + "/cancel", "{\"reason\":\"Too late\"}", manager),
                409, "member_closed");
        assertThat(http.get("api/v1/admin/members/" + closing.id() + "/redemptions", manager).json()
                .getJsonArray("items").getJsonObject(0).containsKey("cancelledAt")).isFalse();
    }

    @Test
    void aMemberBelowTheirTiersThresholdIsToldWhatKeepingItAtTheReviewTakes() {
        Programme programme = newProgramme(365, 0);
        assertThat(http.post("api/v1/admin/programmes/" + programme.code() + "/tiers", "{\"code\":\"SILVER\","
                + "\"minimumPoints\":100}", programme.admin()).status()).isIn(200, 201);
        Member member = enrol(programme.code(), "keep-pass");
        String[] customer = http.bearer(member.email(), "keep-pass");
        assertThat(http.get("api/v1/me", customer).json().getJsonObject("tierProgress").containsKey("keeping"))
                .as("the entry tier is kept by everyone").isFalse();

        // 150 EUR: SILVER at once; then 100 EUR of it brought back: 50 qualifying points, still SILVER until the review.
        String sale = sell(programme, member, "150.00");
        assertThat(http.get("api/v1/me", customer).json().getString("tier")).isEqualTo("SILVER");
        JsonObject progress = http.get("api/v1/me", customer).json().getJsonObject("tierProgress");
        // The review counts the purchases of the window's days before its day: today's, unless a 29 February falls
        // between them and the window (of days, not a year) starts after today.
        boolean todayCounts = !java.time.LocalDate.parse(progress.getString("windowEnds"))
                .minusDays(progress.getInt("windowDays")).isAfter(java.time.LocalDate.now(ZoneOffset.UTC));
        assertThat(progress.getJsonObject("keeping").getJsonNumber("needed").longValue())
                .as("150 count at the review").isEqualTo(todayCounts ? 0 : 100);
        Http.Reply back = http.post("api/v1/pos/transactions/" + sale + "/returns", "{\"returnId\":\"RET-"
                + UUID.randomUUID() + "\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}", programme.till());
        assertThat(back.status()).as(back.body()).isEqualTo(201);
        sell(programme, member, "50.00");

        JsonObject me = http.get("api/v1/me", customer).json();
        assertThat(me.getString("tier")).isEqualTo("SILVER");
        JsonObject keeping = me.getJsonObject("tierProgress").getJsonObject("keeping");
        assertThat(keeping.getString("tier")).isEqualTo("SILVER");
        assertThat(keeping.getJsonNumber("minimumPoints").longValue()).isEqualTo(100);
        assertThat(keeping.getJsonNumber("counting").longValue()).isEqualTo(todayCounts ? 50 : 0);
        assertThat(keeping.getJsonNumber("needed").longValue()).isEqualTo(todayCounts ? 50 : 100);
        assertThat(keeping.getString("on")).isEqualTo(me.getJsonObject("tierProgress").getString("windowEnds"));
    }

    @Test
    void badInputGetsAClearErrorAndWritesNothing() {
        Member member = enrol("DEMO", null);
        adjust(member, 50, "Test points");
        String receipt = receipt();

        assertError(http.post("api/v1/pos/transactions", sale(member.card(), receipt, now(), 0,
                line("A", "food", 1, "4.505")), TILL_S001), 400, "invalid_amount");
        assertError(http.post("api/v1/pos/transactions", sale(member.card(), receipt, now(), 0,
                line("A", "food", 0, "4.50")), TILL_S001), 400, null);
        assertError(http.post("api/v1/pos/transactions", sale(member.card(), "S001", receipt, now(), "XYZ", 0,
                line("A", "food", 1, "4.50")), TILL_S001), 400, "unknown_currency");
        assertError(http.post("api/v1/pos/transactions", sale(member.card(), receipt,
                OffsetDateTime.now(ZoneOffset.UTC).plusHours(2).withNano(0).toString(), 0,
                line("A", "food", 1, "4.50")), TILL_S001), 400, "occurred_in_future");
        assertError(http.post("api/v1/pos/transactions", "text/plain",
                "not json".getBytes(StandardCharsets.UTF_8), TILL_S001), 415, "unsupported_media_type");
        String huge = sale(member.card(), receipt, now(), 0, line("A", "food", 1, "4.50"))
                .replace("\"offerIds\":[]", "\"offerIds\":[\"" + "x".repeat(300_000) + "\"]");
        assertError(http.post("api/v1/pos/transactions", huge, TILL_S001), 413, "body_too_large");
        assertError(http.post("api/v1/pos/transactions", "{\"cardNumber\":", TILL_S001), 400, "malformed_body");
        assertError(http.post("api/v1/admin/programmes", "{\"code\":\"NOMONEY\",\"name\":\"No money\","
                + "\"currency\":\"XXX\",\"pointsExpireAfterDays\":365,\"pendingDays\":0,\"timeZone\":\"UTC\"}",
                http.bearer("admin@demo.local", "admin-demo")), 400, "unknown_currency");
        assertError(http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + member.card()
                + "\",\"storeId\":\"S001\",\"receiptId\":\"" + receipt + "\",\"points\":-5}", TILL_S001), 400, null);

        assertThat(available(member.card())).isEqualTo(50);
        assertThat(ledger(member)).hasSize(1);
        assertThat(http.post("api/v1/pos/transactions", sale(member.card(), receipt, now(), 0,
                line("A", "food", 1, "4.50")), TILL_S001).status()).as("the receipt is still free").isEqualTo(201);
    }

    @Test
    void membersAreScoredAndSegmentedFromTheirPurchases() {
        Programme programme = newProgramme(730, 0);
        Member regular = enrol(programme.code(), null);
        Member lapsed = enrol(programme.code(), null);
        Member newcomer = enrol(programme.code(), null);
        for (int daysAgo : new int[] {2, 10, 20, 40}) {
            buy(programme, regular, daysAgo, "100.00", "wine");
        }
        buy(programme, lapsed, 200, "50.00", "grocery");
        buy(programme, newcomer, 5, "30.00", "grocery");

        JsonObject summary = http.post("api/v1/admin/programmes/" + programme.code() + "/knowledge/recompute", "{}",
                programme.admin()).json();

        assertThat(summary.getInt("members")).isEqualTo(3);
        assertThat(summary.getJsonObject("perSegment").toString())
                .isEqualTo("{\"champions\":1,\"hibernating\":1,\"new\":1}");
        JsonObject best = http.get("api/v1/admin/members/" + regular.id() + "/knowledge", programme.admin()).json();
        assertThat(best.getString("segment")).isEqualTo("champions");
        assertThat(best.getInt("frequency")).isEqualTo(4);
        assertThat(best.getJsonNumber("monetary").bigDecimalValue()).isEqualByComparingTo("400");
        assertThat(best.getJsonNumber("averageBasket").bigDecimalValue()).isEqualByComparingTo("100");
        assertThat(best.getString("favouriteCategory")).isEqualTo("wine");
        assertThat("" + best.getInt("recencyScore") + best.getInt("frequencyScore") + best.getInt("monetaryScore"))
                .as("the best of three on each: 1 + floor(5 x 2.5 / 3)").isEqualTo("555");
        assertThat(http.get("api/v1/admin/members/" + lapsed.id() + "/knowledge", programme.admin()).json()
                .getString("segment")).isEqualTo("hibernating");
    }

    private void buy(Programme programme, Member member, int daysAgo, String price, String category) {
        Http.Reply reply = http.post("api/v1/pos/transactions", sale(member.card(), programme.store(), receipt(),
                OffsetDateTime.now(ZoneOffset.UTC).minusDays(daysAgo).withNano(0).toString(), "EUR", 0,
                line("A", category, 1, price)), programme.till());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    @Test
    void staffFindMembersByNameOrPhone() {
        String email = "phone-" + UUID.randomUUID() + "@example.org";
        String surname = "Zq" + UUID.randomUUID().toString().substring(0, 6);
        Http.Reply joined = http.post("api/v1/admin/programmes/DEMO/members", "{\"email\":\"" + email
                + "\",\"firstName\":\"Ines\",\"lastName\":\"" + surname + "\",\"phone\":\"+33 6 12 34 56 78\"}", manager);
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);

        assertThat(http.get("api/v1/admin/programmes/DEMO/members/search?name=" + surname.substring(0, 4), manager).body())
                .contains(joined.json().getString("memberId"));
        assertThat(http.get("api/v1/admin/programmes/DEMO/members/search?name=06-12-34-56-78", manager).body())
                .as("a national number finds the international one").contains(joined.json().getString("memberId"));
        assertError(http.get("api/v1/admin/programmes/DEMO/members/search?name=a", manager), 400, null);

        // Typed as the desk hears it: without accents, first name and last name, in either order.
        String accented = "Lóp" + surname.substring(2).toLowerCase() + "ez-Ñúñez";
        Http.Reply ana = http.post("api/v1/admin/programmes/DEMO/members", "{\"email\":\"ana-" + UUID.randomUUID()
                + "@example.org\",\"firstName\":\"Ána María\",\"lastName\":\"" + accented + "\"}", manager);
        assertThat(ana.status()).as(ana.body()).isEqualTo(201);
        String plain = "lop" + surname.substring(2).toLowerCase() + "ez";
        for (String typed : List.of(plain, "ana " + plain, plain + " ana", "ana maria " + plain + " nunez",
                "ANA " + plain.toUpperCase(), "ana maria", plain + " nunez")) {
            assertThat(http.get("api/v1/admin/programmes/DEMO/members/search?name=" + java.net.URLEncoder.encode(
                    typed, java.nio.charset.StandardCharsets.UTF_8), manager).body()).as(typed)
                    .contains(ana.json().getString("memberId"));
        }
        assertThat(http.get("api/v1/admin/programmes/DEMO/members/search?name=" + java.net.URLEncoder.encode("ines "
                + plain, java.nio.charset.StandardCharsets.UTF_8), manager).body()).as("another first name")
                .doesNotContain(ana.json().getString("memberId"));
    }

    @Test
    void adjustmentsNeedAReasonRecordWhoMadeThemAndARetriedAdjustmentCountsOnce() {
        Member member = enrol("DEMO", null);
        String path = "api/v1/admin/members/" + member.id() + "/adjustments";
        String[] withKey = concat(manager, "Idempotency-Key", "adj-" + UUID.randomUUID());

        Http.Reply first = http.post(path, "{\"points\":120,\"reason\":\"Missing points, receipt 88\"}", withKey);
        Http.Reply retry = http.post(path, "{\"points\":120,\"reason\":\"Missing points, receipt 88\"}", withKey);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json().getJsonNumber("entryId")).isEqualTo(first.json().getJsonNumber("entryId"));
        assertThat(available(member.card())).isEqualTo(120);
        // The same key with another adjustment is a mistake, refused: neither replayed nor recorded.
        assertError(http.post(path, "{\"points\":-5000,\"reason\":\"Fraud\",\"allowNegative\":true}", withKey),
                409, "adjustment_conflict");
        assertError(http.post(path, "{\"points\":120,\"reason\":\"Missing points, receipt 89\"}", withKey),
                409, "adjustment_conflict");
        assertError(http.post(path, "{\"points\":120,\"reason\":\"Missing points, receipt 88\","
                + "\"qualifying\":true}", withKey), 409, "adjustment_conflict");
        Http.Reply longKey = http.post(path, "{\"points\":120,\"reason\":\"Missing points, receipt 90\"}",
                concat(manager, "Idempotency-Key", "k".repeat(100)));
        assertError(longKey, 400, "invalid_field");
        assertThat(longKey.json().getString("field")).isEqualTo("Idempotency-Key");
        assertThat(longKey.json().getString("message")).contains("at most 80 characters");
        assertThat(available(member.card())).isEqualTo(120);
        assertError(http.post(path, "{\"points\":50}", manager), 400, null);
        assertError(http.post(path, "{\"points\":-500,\"reason\":\"Fraud\"}", manager), 409, "insufficient_points");
        assertThat(http.post(path, "{\"points\":-500,\"reason\":\"Fraud\",\"allowNegative\":true,"
                + "\"channel\":\"CALL_CENTRE\"}", manager).status()).isEqualTo(201);
        assertThat(available(member.card())).isEqualTo(-380);

        JsonObject debit = ledger(member).get(0);
        assertThat(debit.getString("kind")).isEqualTo("ADJUSTMENT");
        assertThat(debit.getString("actor")).isEqualTo("manager@demo.local");
        assertThat(debit.getString("channel")).isEqualTo("CALL_CENTRE");
        assertThat(debit.getString("reason")).isEqualTo("Fraud");
        assertConsistent(member);
    }

    @Test
    void aCustomerClaimsMissingPointsAManagerApprovesThemAndTheExportHoldsEverything() {
        Member member = enrol("DEMO", "claim-pass");
        String[] customer = http.bearer(member.email(), "claim-pass");
        String receipt = receipt();

        Http.Reply claim = http.post("api/v1/me/claims", "{\"storeId\":\"S002\",\"receiptId\":\"" + receipt
                + "\",\"occurredAt\":\"" + now() + "\",\"total\":\"35.20\"}", customer);

        assertThat(claim.status()).isEqualTo(201);
        String claimId = claim.json().getString("claimId");
        assertThat(claim.json().getString("status")).isEqualTo("OPEN");
        assertError(http.post("api/v1/me/claims", "{\"storeId\":\"S002\",\"receiptId\":\"" + receipt
                + "\",\"occurredAt\":\"" + now() + "\",\"total\":\"35.20\"}", customer), 409, "claim_exists");
        Http.Reply otherStore = http.post("api/v1/me/claims", "{\"storeId\":\"S999\",\"receiptId\":\"" + receipt()
                + "\",\"occurredAt\":\"" + now() + "\",\"total\":\"35.20\"}", customer);
        assertError(otherStore, 422, "unknown_store");
        assertThat(otherStore.json().getString("field")).isEqualTo("storeId");
        assertThat(http.get("api/v1/admin/programmes/DEMO/claims?status=OPEN&size=100", manager).body())
                .contains(claimId);
        String[] auditor = http.bearer("auditor@demo.local", "auditor-demo");
        assertError(http.post("api/v1/admin/claims/" + claimId + "/resolve", "{\"approve\":true,\"points\":35}",
                auditor), 403, "forbidden");

        JsonObject resolved = http.post("api/v1/admin/claims/" + claimId + "/resolve",
                "{\"approve\":true,\"note\":\"Receipt checked\"}", manager).json();

        assertThat(resolved.getString("status")).isEqualTo("APPROVED");
        assertThat(resolved.getJsonNumber("pointsCredited").longValue())
                .as("what the demo rules earn on 35.20 for a BRONZE member").isEqualTo(35);
        assertThat(available(member.card())).isEqualTo(35);
        Http.Reply mine = http.get("api/v1/me/claims", customer);
        assertThat(mine.array().getJsonObject(0).getString("status")).isEqualTo("APPROVED");
        assertThat(mine.body()).as("the member sees the outcome, not the staff member's email")
                .doesNotContain("manager@demo.local");
        assertError(http.post("api/v1/admin/claims/" + claimId + "/resolve", "{\"approve\":false}", manager),
                409, "claim_resolved");
        http.post("api/v1/pos/transactions", sale(member.card(), receipt(), now(), 0, line("A", "food", 1, "9.00")),
                TILL_S001);

        JsonObject export = http.get("api/v1/me/export", customer).json();
        JsonObject record = export.getJsonArray("records").getJsonObject(0);
        assertThat(record.getJsonObject("member").getString("email")).isEqualTo(member.email());
        assertThat(record.getJsonArray("ledger")).hasSize(2);
        assertThat(record.getJsonArray("sales")).hasSize(1);
        assertThat(record.getJsonArray("claims").getJsonObject(0).getString("claimId")).isEqualTo(claimId);
        assertThat(record.getJsonArray("signIns").getJsonObject(0).getString("email")).isEqualTo(member.email());
        assertThat(export.toString()).doesNotContain("password").doesNotContain("pbkdf2");
        assertThat(http.get("api/v1/me/offers", customer).body()).isEqualTo("[]");
    }

    @Test
    void aReceiptIsCreditedOnceWhetherItsClaimOrItsLateSaleComesFirst() {
        Member lina = enrol("DEMO", "late-pass");
        Member claire = enrol("DEMO", "other-pass");
        String[] linaSite = http.bearer(lina.email(), "late-pass");
        String[] claireSite = http.bearer(claire.email(), "other-pass");

        // The claim first, then the till's delayed sale: approving the claim would credit the receipt twice.
        String late = receipt();
        String claimId = fileClaim(linaSite, late, "40.00").json().getString("claimId");
        assertThat(http.post("api/v1/pos/transactions", sale(lina.card(), late, now(), 0,
                line("A", "food", 1, "80.00")), TILL_S001).status()).isEqualTo(201);
        assertError(http.post("api/v1/admin/claims/" + claimId + "/resolve", "{\"approve\":true}", manager), 409,
                "receipt_already_credited");
        assertThat(http.get("api/v1/me/claims", linaSite).array().getJsonObject(0).getString("status"))
                .as("left open, for the manager to reject with a note").isEqualTo("OPEN");
        assertThat(available(lina.card())).isEqualTo(80);
        assertThat(ledger(lina)).noneMatch(line -> line.getString("kind").equals("ADJUSTMENT"));
        // Another member cannot claim a receipt the till credited to someone else's card.
        assertError(fileClaim(claireSite, late, "80.00"), 409, "receipt_already_credited");

        // The claim approved first, then the sale: it is recorded and earns only what goes beyond the claim.
        String offline = receipt();
        String approvedId = fileClaim(linaSite, offline, "40.00").json().getString("claimId");
        Http.Reply approved = http.post("api/v1/admin/claims/" + approvedId + "/resolve", "{\"approve\":true}",
                manager);
        assertThat(approved.status()).as(approved.body()).isEqualTo(200);
        assertThat(available(lina.card())).isEqualTo(120);
        Http.Reply sale = http.post("api/v1/pos/transactions", sale(lina.card(), offline, now(), 0,
                line("A", "food", 1, "80.00")), TILL_S001);
        assertThat(sale.status()).as(sale.body()).isEqualTo(201);
        assertThat(sale.json().getJsonNumber("pointsEarned").longValue()).isEqualTo(40);
        assertThat(sale.body()).contains("credited-by-claim");
        assertThat(available(lina.card())).isEqualTo(160);
        assertError(fileClaim(claireSite, offline, "80.00"), 409, "receipt_already_credited");
        assertThat(available(claire.card())).isZero();

        // The goods come back whole: the return takes back all the receipt earned, the claim's 40 and the sale's 40.
        Http.Reply back = http.post("api/v1/pos/transactions/" + sale.json().getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-CLAIMED\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}", TILL_S001);
        assertThat(back.status()).as(back.body()).isEqualTo(201);
        assertThat(available(lina.card())).as("the 80 of the first receipt, nothing of the one brought back")
                .isEqualTo(80);
        assertConsistent(lina);
    }

    @Test
    void aClaimApprovedWhileTheSameReceiptIsRungUpOnAnotherCardIsCreditedOnce() throws Exception {
        Member claimant = enrol("DEMO", "claim-race");
        Member other = enrol("DEMO", null);
        String[] site = http.bearer(claimant.email(), "claim-race");
        int receipts = 8;
        List<String> ids = new ArrayList<>();
        List<String> claimIds = new ArrayList<>();
        for (int i = 0; i < receipts; i++) {
            ids.add(receipt());
            claimIds.add(fileClaim(site, ids.get(i), "40.00").json().getString("claimId"));
        }

        // For each receipt at once: the manager approves the claim (40 points) and a till rings up the receipt,
        // 80.00, on the other member's card.
        List<Http.Reply> replies = parallel(2 * receipts, i -> i % 2 == 0
                ? http.post("api/v1/admin/claims/" + claimIds.get(i / 2) + "/resolve", "{\"approve\":true}", manager)
                : http.post("api/v1/pos/transactions", sale(other.card(), ids.get(i / 2), now(), 0,
                        line("A", "food", 1, "80.00")), TILL_S001));

        for (int i = 0; i < receipts; i++) {
            Http.Reply approval = replies.get(2 * i);
            Http.Reply sale = replies.get(2 * i + 1);
            assertThat(sale.status()).as(sale.body()).isEqualTo(201);
            long earned = sale.json().getJsonNumber("pointsEarned").longValue();
            if (approval.status() == 200) {
                assertThat(earned).as("the approval came first: the sale earns beyond the claim").isEqualTo(40);
            } else {
                assertError(approval, 409, "receipt_already_credited");
                assertThat(earned).isEqualTo(80);
            }
        }
        assertThat(available(claimant.card()) + available(other.card()))
                .as("each receipt of 80.00 credited 80 points in all, never 120").isEqualTo(80L * receipts);
        assertConsistent(claimant);
        assertConsistent(other);
    }

    @Test
    void aReceiptTypedInSmallLettersIsTheTillsReceiptInCapitalsCreditedOnce() {
        Member claimant = enrol("DEMO", "small-letters");
        String[] site = http.bearer(claimant.email(), "small-letters");
        // Claimed first, in small letters; the till's offline sale of it comes after the approval, in capitals.
        String first = receipt().toUpperCase(java.util.Locale.ROOT);
        Http.Reply claimed = fileClaim(site, first.toLowerCase(java.util.Locale.ROOT), "20.00");
        assertThat(claimed.status()).as(claimed.body()).isEqualTo(201);
        assertThat(claimed.json().getString("receiptId")).as("kept as typed")
                .isEqualTo(first.toLowerCase(java.util.Locale.ROOT));
        assertThat(http.post("api/v1/admin/claims/" + claimed.json().getString("claimId") + "/resolve",
                "{\"approve\":true}", manager).status()).isEqualTo(200);
        long credited = available(claimant.card());
        Http.Reply sale = http.post("api/v1/pos/transactions", sale(claimant.card(), first, now(), 0,
                line("A", "food", 1, "20.00")), TILL_S001);
        assertThat(sale.status()).as(sale.body()).isEqualTo(201);
        assertThat(sale.json().getJsonNumber("pointsEarned").longValue()).as("the claim credited it").isZero();
        assertThat(available(claimant.card())).isEqualTo(credited);

        // Rung up first, in capitals; claimed after, in small letters: refused, it was credited.
        String second = receipt().toUpperCase(java.util.Locale.ROOT);
        assertThat(http.post("api/v1/pos/transactions", sale(claimant.card(), second, now(), 0,
                line("A", "food", 1, "15.00")), TILL_S001).status()).isEqualTo(201);
        assertError(fileClaim(site, second.toLowerCase(java.util.Locale.ROOT), "15.00"), 409,
                "receipt_already_credited");
        assertConsistent(claimant);
    }

    @Test
    void parallelApprovalsOfOneClaimCreditItOnce() throws Exception {
        Member member = enrol("DEMO", "race-pass");
        String claimId = fileClaim(http.bearer(member.email(), "race-pass"), receipt(), "35.20").json()
                .getString("claimId");

        List<Http.Reply> replies = parallel(4, i -> http.post("api/v1/admin/claims/" + claimId + "/resolve",
                "{\"approve\":true}", manager));

        assertThat(replies.stream().filter(reply -> reply.status() == 200)).hasSize(1);
        assertThat(replies.stream().filter(reply -> reply.status() != 200)).hasSize(3)
                .allSatisfy(reply -> assertError(reply, 409, "claim_resolved"));
        assertThat(ledger(member).stream().filter(line -> line.getString("kind").equals("ADJUSTMENT"))).hasSize(1);
        assertThat(available(member.card())).isEqualTo(35);
        assertConsistent(member);
    }

    @Test
    void qualifyingPointsOfAnApprovedClaimOrAnAdjustmentUpgradeTheTierAtOnce() {
        Member claimant = enrol("DEMO", "tier-pass");
        String claimId = fileClaim(http.bearer(claimant.email(), "tier-pass"), receipt(), "1000.00").json()
                .getString("claimId");
        assertThat(http.post("api/v1/admin/claims/" + claimId + "/resolve", "{\"approve\":true}", manager)
                .status()).isEqualTo(200);
        assertThat(tier(claimant)).as("1,000 qualifying points reach SILVER").isEqualTo("SILVER");
        assertThat(ledger(claimant).get(0).getString("kind")).isEqualTo("TIER_CHANGE");
        assertThat(ledger(claimant).get(0).getString("reference")).isEqualTo("BRONZE->SILVER");

        Member carried = enrol("DEMO", null);
        assertThat(http.post("api/v1/admin/members/" + carried.id() + "/adjustments", "{\"points\":5000,"
                + "\"reason\":\"Balance of the old scheme\",\"qualifying\":true}", manager).status()).isEqualTo(201);
        assertThat(tier(carried)).isEqualTo("GOLD");
        Member gift = enrol("DEMO", null);
        adjust(gift, 5_000, "Not qualifying");
        assertThat(tier(gift)).isEqualTo("BRONZE");
    }

    @Test
    void aReturnOfAnOldSaleTakesNeitherItsExpiredPointsNorTheCurrentTierStanding() {
        Programme programme = newProgramme(730, 0);
        Member marc = enrol(programme.code(), "old-pass");
        String[] till = programme.till();
        String[] site = http.bearer(marc.email(), "old-pass");
        JsonObject old = http.post("api/v1/pos/transactions", sale(marc.card(), programme.store(), receipt(),
                OffsetDateTime.now(ZoneOffset.UTC).minusDays(400).withNano(0).toString(), "EUR", 0,
                line("A", "food", 1, "100.00")), till).json();
        JsonObject recent = http.post("api/v1/pos/transactions", sale(marc.card(), programme.store(), receipt(),
                now(), "EUR", 0, line("B", "food", 1, "50.00")), till).json();
        assertThat(qualifying(site)).as("the old sale is outside the 365-day window").isEqualTo(50);
        JsonObject run = http.post("api/v1/admin/programmes/" + programme.code() + "/expiry", "{\"asOf\":\""
                + LocalDate.now(ZoneOffset.UTC).plusDays(330) + "\",\"bringForward\":true}", programme.admin()).json();
        assertThat(run.getJsonNumber("pointsExpired").longValue()).isEqualTo(100);

        Http.Reply back = http.post("api/v1/pos/transactions/" + old.getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-OLD\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}", till);

        assertThat(back.status()).as(back.body()).isEqualTo(201);
        assertThat(back.json().getJsonNumber("pointsReversed").longValue()).as("its 100 points expired").isZero();
        assertThat(back.json().getJsonNumber("availablePoints").longValue()).isEqualTo(50);
        assertThat(qualifying(site)).isEqualTo(50);
        // A return of a sale inside the window still takes its points and its qualifying points.
        JsonObject recentBack = http.post("api/v1/pos/transactions/" + recent.getString("transactionId")
                + "/returns", "{\"returnId\":\"RET-NEW\",\"lines\":[{\"sku\":\"B\",\"quantity\":1}]}", till)
                .json();
        assertThat(recentBack.getJsonNumber("pointsReversed").longValue()).isEqualTo(50);
        assertThat(qualifying(site)).isZero();
        assertThat(http.get("api/v1/me", site).json().getJsonNumber("availablePoints").longValue()).isZero();
        JsonObject check = http.get("api/v1/admin/members/" + marc.id() + "/ledger-check", programme.admin()).json();
        assertThat(check.getBoolean("consistent")).as(check.toString()).isTrue();
    }

    @Test
    void aReturnOfARecentSaleWhosePointsExpiredStillTakesItsQualifyingPoints() {
        Programme programme = newProgramme(30, 0);
        Member ines = enrol(programme.code(), "short-pass");
        String[] till = programme.till();
        String[] site = http.bearer(ines.email(), "short-pass");
        JsonObject sale = http.post("api/v1/pos/transactions", sale(ines.card(), programme.store(), receipt(),
                now(), "EUR", 0, line("A", "food", 2, "50.00"), line("B", "food", 2, "50.00")), till).json();
        assertThat(qualifying(site)).isEqualTo(200);
        JsonObject run = http.post("api/v1/admin/programmes/" + programme.code() + "/expiry", "{\"asOf\":\""
                + LocalDate.now(ZoneOffset.UTC).plusDays(40) + "\",\"bringForward\":true}", programme.admin()).json();
        assertThat(run.getJsonNumber("pointsExpired").longValue()).isEqualTo(200);

        Http.Reply half = http.post("api/v1/pos/transactions/" + sale.getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-1\",\"lines\":[{\"sku\":\"A\",\"quantity\":2}]}", till);

        assertThat(half.status()).as(half.body()).isEqualTo(201);
        assertThat(half.json().getJsonNumber("pointsReversed").longValue()).as("its points expired").isZero();
        assertThat(qualifying(site)).as("what was brought back no longer counts towards the tier").isEqualTo(100);
        http.post("api/v1/pos/transactions/" + sale.getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-2\",\"lines\":[{\"sku\":\"B\",\"quantity\":2}]}", till);
        assertThat(qualifying(site)).isZero();
        assertThat(http.get("api/v1/me", site).json().getJsonNumber("availablePoints").longValue()).isZero();
        JsonObject history = http.get("api/v1/me/transactions", site).json();
        assertThat(history.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .filter(item -> item.getString("kind").equals("RETURN_REVERSAL")))
                .as(history.toString()).hasSize(2)
                .allSatisfy(item -> assertThat(item.getJsonNumber("points").longValue()).isZero());
        JsonObject check = http.get("api/v1/admin/members/" + ines.id() + "/ledger-check", programme.admin()).json();
        assertThat(check.getBoolean("consistent")).as(check.toString()).isTrue();
    }

    @Test
    void aPageBeyondWhatCanBeAddressedIsRefusedNeverAnsweredWithAnotherPage() {
        Member member = enrol("DEMO", "page-pass");
        String[] site = http.bearer(member.email(), "page-pass");
        adjust(member, 10, "A row to page through");
        for (String page : new String[] {"30000000", "42949673", "21474837"}) {
            Http.Reply reply = http.get("api/v1/me/transactions?page=" + page + "&size=100", site);
            assertError(reply, 400, "invalid_field");
            assertThat(reply.json().getString("field")).isEqualTo("page");
            assertError(http.get("api/v1/admin/members/" + member.id() + "/transactions?page=" + page + "&size=100",
                    manager), 400, "invalid_field");
            assertError(http.get("api/v1/admin/programmes/DEMO/claims?page=" + page + "&size=100", manager), 400,
                    "invalid_field");
        }
        assertThat(http.get("api/v1/me/transactions?page=21474836&size=100", site).json().getJsonArray("items"))
                .isEmpty();
        assertThat(http.get("api/v1/me/transactions?page=0&size=100", site).json().getJsonArray("items")).hasSize(1);
    }

    @Test
    void pointsCannotBePendingForAsLongAsTheyLive() {
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = "IT" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Http.Reply refused = http.post("api/v1/admin/programmes", "{\"code\":\"" + code + "\",\"name\":\"Odd\","
                + "\"currency\":\"EUR\",\"pointsExpireAfterDays\":30,\"pendingDays\":60}", admin);
        assertError(refused, 400, "invalid_field");
        assertThat(refused.json().getString("field")).isEqualTo("pendingDays");
        assertThat(http.get("api/v1/admin/programmes/" + code, admin).status()).isEqualTo(404);

        Programme programme = newProgramme(365, 0);
        for (String days : new String[] {"\"pointsExpireAfterDays\":30,\"pendingDays\":60",
                "\"pointsExpireAfterDays\":30,\"pendingDays\":30"}) {
            Http.Reply edit = http.put("api/v1/admin/programmes/" + programme.code(), "{\"name\":\"Edited\"," + days
                    + ",\"pointValue\":\"0.01\",\"tierWindowDays\":365}", programme.admin());
            assertError(edit, 400, "invalid_field");
            assertThat(edit.json().getString("field")).isEqualTo("pendingDays");
        }
        JsonObject kept = http.get("api/v1/admin/programmes/" + programme.code(), programme.admin()).json();
        assertThat(kept.getInt("pendingDays")).isZero();
        assertThat(kept.getInt("pointsExpireAfterDays")).isEqualTo(365);
    }

    @Test
    void aProgrammeCreatedInTheWrongCurrencyIsPutRightUntilItsFirstSaleAndMovesZoneAtAnyTime() {
        Programme programme = newProgramme(365, 0);
        String path = "api/v1/admin/programmes/" + programme.code();
        String terms = "{\"name\":\"Nord\",\"pointsExpireAfterDays\":365,\"pendingDays\":0,\"pointValue\":\"0.01\","
                + "\"tierWindowDays\":365";

        Http.Reply unknownZone = http.put(path, terms + ",\"currency\":\"SEK\",\"timeZone\":\"Mars/Olympus\"}",
                programme.admin());
        assertError(unknownZone, 400, "unknown_time_zone");
        assertThat(unknownZone.json().getString("field")).isEqualTo("timeZone");
        Http.Reply noMoney = http.put(path, terms + ",\"currency\":\"XXX\"}", programme.admin());
        assertError(noMoney, 400, "unknown_currency");
        JsonObject unchanged = http.get(path, programme.admin()).json();
        assertThat(unchanged.getString("currency") + " " + unchanged.getString("timeZone")).isEqualTo("EUR UTC");

        // An offer without a minimum spend holds no amount; one with a minimum spend (in another programme) does.
        Http.Reply free = http.post(path + "/offers", "{\"code\":\"FREE\",\"title\":\"No minimum\",\"points\":5}",
                programme.admin());
        assertThat(free.status()).as(free.body()).isEqualTo(201);
        Programme priced = newProgramme(365, 0);
        String pricedPath = "api/v1/admin/programmes/" + priced.code();
        Http.Reply offer = http.post(pricedPath + "/offers", "{\"code\":\"MIN\",\"title\":\"Spend 10\",\"points\":5,"
                + "\"minimumSpend\":\"10.50\"}", priced.admin());
        assertThat(offer.status()).as(offer.body()).isEqualTo(201);
        Http.Reply inPricedOffer = http.put(pricedPath, terms + ",\"currency\":\"SEK\"}", priced.admin());
        assertError(inPricedOffer, 409, "currency_in_use");
        assertThat(inPricedOffer.json().getString("message")).contains("offers with a minimum spend");

        Http.Reply corrected = http.put(path, terms + ",\"currency\":\"SEK\",\"timeZone\":\"Europe/Stockholm\"}",
                programme.admin());
        assertThat(corrected.status()).as(corrected.body()).isEqualTo(200);
        assertThat(corrected.json().getString("currency")).isEqualTo("SEK");
        assertThat(corrected.json().getString("timeZone")).isEqualTo("Europe/Stockholm");
        Member member = enrol(programme.code(), null);
        String euros = sale(member.card(), programme.store(), receipt(), now(), "EUR", 0,
                "{\"sku\":\"A\",\"category\":\"food\",\"quantity\":1,\"unitPrice\":\"100.00\"}");
        Http.Reply inEuros = http.post("api/v1/pos/transactions", euros, programme.till());
        assertError(inEuros, 400, "invalid_field");
        assertThat(inEuros.json().getString("message")).as("now a SEK programme").contains("earns on SEK purchases");
        Http.Reply sold = http.post("api/v1/pos/transactions", sale(member.card(), programme.store(), receipt(), now(),
                "SEK", 0, "{\"sku\":\"A\",\"category\":\"food\",\"quantity\":1,\"unitPrice\":\"100.00\"}"),
                programme.till());
        assertThat(sold.status()).as(sold.body()).isEqualTo(201);

        // Once it has sold, its amounts are in SEK for good; its days may still move.
        Http.Reply inUse = http.put(path, terms + ",\"currency\":\"NOK\"}", programme.admin());
        assertError(inUse, 409, "currency_in_use");
        assertThat(inUse.json().getString("field")).isEqualTo("currency");
        assertThat(inUse.json().getString("message")).contains("sales");
        Http.Reply moved = http.put(path, terms + ",\"currency\":\"SEK\",\"timeZone\":\"Europe/Helsinki\"}",
                programme.admin());
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(moved.json().getString("timeZone")).isEqualTo("Europe/Helsinki");
        assertThat(http.get(path, programme.admin()).json().getString("currency")).isEqualTo("SEK");
        assertThat(http.get("api/v1/admin/programmes/" + programme.code() + "/audit", programme.admin()).array()
                .getValuesAs(JsonObject.class)).filteredOn(line -> line.getString("action").equals("PROGRAMME_EDITED"))
                .extracting(line -> line.getString("detail")).as("what changed, not both versions whole")
                .contains("timeZone: Europe/Stockholm → Europe/Helsinki")
                .anySatisfy(detail -> assertThat(detail).contains("currency: EUR → SEK; timeZone: UTC → Europe/Stockholm")
                        .doesNotContain("ProgrammeView"));
    }

    @Test
    void aStoreIsNamedForTheCustomersWhoPickItByNameInAClaim() throws Exception {
        Programme programme = newProgramme(365, 0);
        String stores = "api/v1/admin/programmes/" + programme.code() + "/stores";
        assertThat(http.get(stores, programme.admin()).array().getValuesAs(JsonObject.class))
                .as("added with its tills' first key, named by its number")
                .extracting(s -> s.getString("storeId") + " " + s.getString("name") + " " + s.getInt("workingKeys"))
                .containsExactly("X01 X01 1");

        Http.Reply named = http.put(stores + "/X01", "{\"name\":\"  Malmö Triangeln \"}", programme.admin());
        assertThat(named.status()).as(named.body()).isEqualTo(200);
        assertThat(named.json().getString("name")).isEqualTo("Malmö Triangeln");
        Http.Reply added = http.put(stores + "/X02", "{\"name\":\"Lund Centrum\"}", programme.admin());
        assertThat(added.json().getInt("workingKeys")).as("no till of it has a key yet").isZero();
        assertError(http.put(stores + "/X01", "{\"name\":\"  \"}", programme.admin()), 400, "invalid_field");
        assertError(http.put(stores + "/" + "X".repeat(33), "{\"name\":\"Too long\"}", programme.admin()), 400,
                "invalid_field");
        assertThat(http.get(stores, manager).status()).as("another programme's manager").isEqualTo(403);
        // Two managers (or a name and a till's key) adding one new store at the same moment: each is answered.
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(8);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<Integer>> answers = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> callers.submit(() -> {
                    start.await();
                    return i % 2 == 0 ? http.put(stores + "/X03", "{\"name\":\"Kiruna " + i + "\"}",
                            programme.admin()).status() : http.post("api/v1/admin/programmes/" + programme.code()
                            + "/pos-keys", "{\"storeId\":\"X03\"}", programme.admin()).status();
                })).toList();
        start.countDown();
        List<Integer> statuses = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<Integer> answer : answers) {
            statuses.add(answer.get(60, java.util.concurrent.TimeUnit.SECONDS));
        }
        callers.shutdown();
        assertThat(statuses).as("no 500 when the store's row is added twice at once").allMatch(st -> st == 200 || st == 201);
        assertThat(http.get(stores, programme.admin()).array().getValuesAs(JsonObject.class))
                .filteredOn(st -> st.getString("storeId").equals("X03")).singleElement()
                .satisfies(st -> assertThat(st.getInt("workingKeys")).isEqualTo(4));

        Member member = enrol(programme.code(), "store-pass");
        String[] customer = http.bearer(member.email(), "store-pass");
        assertThat(http.get("api/v1/me/stores", customer).array().getValuesAs(JsonObject.class))
                .as("by name, for the customer to pick")
                .extracting(s -> s.getString("storeId") + " " + s.getString("name").replaceAll(" \\d$", ""))
                .containsExactly("X03 Kiruna", "X02 Lund Centrum", "X01 Malmö Triangeln");
        Http.Reply claim = http.post("api/v1/me/claims", "{\"storeId\":\"X02\",\"receiptId\":\"" + receipt()
                + "\",\"occurredAt\":\"" + now() + "\",\"total\":\"12.00\"}", customer);
        assertThat(claim.status()).as(claim.body()).isEqualTo(201);
        Http.Reply unknown = http.post("api/v1/me/claims", "{\"storeId\":\"S001\",\"receiptId\":\"" + receipt()
                + "\",\"occurredAt\":\"" + now() + "\",\"total\":\"12.00\"}", customer);
        assertError(unknown, 422, "unknown_store");
        assertThat(http.get("api/v1/me/stores", http.bearer("claire@demo.local", "claire-demo")).array()
                .getValuesAs(JsonObject.class)).as("each programme its own stores")
                .extracting(s -> s.getString("storeId")).containsSubsequence("S002", "S001").doesNotContain("X01", "X02");
        assertThat(http.get("api/v1/admin/programmes/" + programme.code() + "/audit", programme.admin()).body())
                .contains("STORE_RENAMED").contains("Malmö Triangeln").contains("STORE_ADDED");
    }

    @Test
    void aFractionSentForAWholeNumberIsRefusedNamingTheField() {
        Member member = enrol("DEMO", null);
        Http.Reply points = http.post("api/v1/admin/members/" + member.id() + "/adjustments",
                "{\"points\":1.7,\"reason\":\"Goodwill\"}", manager);
        assertError(points, 400, "invalid_field");
        assertThat(points.json().getString("field")).isEqualTo("points");
        assertThat(available(member.card())).isZero();
        assertThat(http.post("api/v1/admin/members/" + member.id() + "/adjustments",
                "{\"points\":2.0,\"reason\":\"Goodwill\"}", manager).status()).isEqualTo(201);
        assertThat(available(member.card())).isEqualTo(2);

        Http.Reply quantity = http.post("api/v1/pos/transactions/quote", sale(member.card(), receipt(), now(), 0,
                "{\"sku\":\"A\",\"category\":\"food\",\"quantity\":1.9,\"unitPrice\":\"10.00\"}"), TILL_S001);
        assertError(quantity, 400, "invalid_field");
        assertThat(quantity.json().getString("field")).isEqualTo("lines.quantity");

        Programme programme = newProgramme(365, 0);
        Http.Reply days = http.put("api/v1/admin/programmes/" + programme.code(), "{\"name\":\"Edited\","
                + "\"pointsExpireAfterDays\":1.5,\"pendingDays\":0,\"pointValue\":\"0.01\",\"tierWindowDays\":365}",
                programme.admin());
        assertError(days, 400, "invalid_field");
        assertThat(days.json().getString("field")).isEqualTo("pointsExpireAfterDays");
    }

    @Test
    void theCardImageDecodesBackToTheCardNumberInEachFormat() throws Exception {
        Member member = enrol("DEMO", "card-pass");
        String[] customer = http.bearer(member.email(), "card-pass");

        for (String format : List.of("QR_CODE", "CODE_128", "EAN_13")) {
            Http.Binary png = http.getBytes("api/v1/me/card.png?format=" + format, customer);
            assertThat(png.status()).isEqualTo(200);
            assertThat(png.contentType()).isEqualTo("image/png");
            assertThat(png.cacheControl()).as("not shown from the cache after a sign-out").isEqualTo("no-store");
            Result decoded = decode(png.body());
            assertThat(decoded.getText()).as(format).isEqualTo(member.card());
            assertThat(decoded.getBarcodeFormat().name()).isEqualTo(format);
        }
        assertError(http.get("api/v1/me/card.png?format=PDF_417", customer), 400, "invalid_format");

        // A blocked card is not drawn: the till would refuse the barcode.
        assertThat(http.post("api/v1/admin/cards/" + member.card() + "/block", "{\"reason\":\"Lost\"}", manager)
                .status()).isEqualTo(200);
        assertError(http.get("api/v1/me/card.png?format=QR_CODE&card=" + member.card(), customer), 409,
                "card_blocked");
        assertError(http.get("api/v1/me/card.png?format=QR_CODE", customer), 404, "card_not_found");
    }

    @Test
    void anAdministratorBacksTheEngineUpWhileTheTillsSellAndTheBackupHoldsTheLedgerOfThatMoment() throws Exception {
        Member kept = enrol("DEMO", null);
        Member busy = enrol("DEMO", null);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        assertThat(http.post("api/v1/pos/transactions", sale(kept.card(), receipt(), now(), 0,
                line("COF-1", "coffee", 3, "10.00")), TILL_S001).status()).isEqualTo(201);
        long atBackup = available(kept.card());
        assertError(http.post("api/v1/admin/backups", "", manager), 403, "forbidden");
        assertError(http.post("api/v1/admin/backups", "", http.bearer("auditor@demo.local", "auditor-demo")), 403,
                "forbidden");

        // Another member's sales go on at the till while the backup is taken.
        ExecutorService till = Executors.newSingleThreadExecutor();
        Future<List<Integer>> selling = till.submit(() -> {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                statuses.add(http.post("api/v1/pos/transactions", sale(busy.card(), receipt(), now(), 0,
                        line("TEA-1", "tea", 1, "5.00")), TILL_S001).status());
            }
            return statuses;
        });
        Http.Reply taken = http.post("api/v1/admin/backups", "", admin);
        for (int i = 0; i < 20 && taken.status() == 409; i++) {
            // The scheduled backup of this engine (every 30 s) was being taken at that moment.
            assertThat(taken.json().getString("error")).isEqualTo("backup_running");
            Thread.sleep(250);
            taken = http.post("api/v1/admin/backups", "", admin);
        }
        List<Integer> statuses = selling.get(2, TimeUnit.MINUTES);
        till.shutdown();

        assertThat(taken.status()).as(taken.body()).isEqualTo(201);
        assertThat(statuses).as("every sale during the backup is recorded").containsOnly(201);
        Path folder = Path.of(taken.json().getString("folder"));
        assertThat(folder.resolve("keys/token-signing.key")).exists();
        assertThat(taken.json().getJsonNumber("bytes").longValue()).isPositive();
        assertThat(http.get("api/v1/admin/backups", admin).body())
                .contains("\"name\":\"" + taken.json().getString("name") + "\"");
        assertError(http.get("api/v1/admin/backups", manager), 403, "forbidden");
        assertThat(http.post("api/v1/pos/transactions", sale(kept.card(), receipt(), now(), 0,
                line("COF-1", "coffee", 2, "10.00")), TILL_S001).status()).isEqualTo(201);
        assertThat(available(kept.card())).isGreaterThan(atBackup);

        // The backup is a database of its own, as of one moment: the first member's points as they were, and of
        // the second member's sales, whole ones only (each with its ledger entry).
        String url = "jdbc:derby:" + folder.resolve("database");
        try (Connection backup = DriverManager.getConnection(url)) {
            assertThat(single(backup, "SELECT SUM(e.points) FROM ledger_entry e JOIN member m ON m.id = e.member_id"
                    + " WHERE m.public_id = ?", kept.id())).isEqualTo(atBackup);
            long sales = single(backup, "SELECT COUNT(*) FROM sale s JOIN member m ON m.id = s.member_id"
                    + " WHERE m.public_id = ?", busy.id());
            long earned = single(backup, "SELECT COUNT(*) FROM ledger_entry e JOIN member m ON m.id = e.member_id"
                    + " WHERE m.public_id = ? AND e.kind = 'EARN'", busy.id());
            assertThat(earned).isEqualTo(sales).isBetween(0L, 30L);
        } finally {
            try {
                DriverManager.getConnection(url + ";shutdown=true").close();
            } catch (SQLException expected) {
                // Derby reports a database shut down as 08006.
            }
        }

        // The scheduled jobs take one every night; this engine every 30 s, 15 s into each period, and it keeps the
        // newest 3 (payara.cmdOptions in admin-war's pom). A copy someone put beside them is left alone; what a
        // backup cut short left is removed.
        Path ownCopy = Files.createDirectories(folder.resolveSibling("before-upgrade")
                .resolve("database"));
        Path cutShort = Files.createDirectories(folder.resolveSibling("20260101T000000Z.partial")
                .resolve("database"));
        Instant since = Instant.now();
        List<JsonObject> scheduled = List.of();
        for (int i = 0; i < 90 && scheduled.isEmpty(); i++) {
            Thread.sleep(500);
            scheduled = http.get("api/v1/admin/jobs?job=backup&since=" + since, admin).array()
                    .getValuesAs(JsonObject.class).stream()
                    .filter(run -> run.getString("outcome").equals("DONE")).toList();
        }
        assertThat(scheduled).as("a scheduled backup within 45 s").isNotEmpty();
        String detail = scheduled.get(0).getString("detail");
        assertThat(detail).contains("/backups/").contains(" bytes in ");
        assertThat(Path.of(detail.substring(0, detail.indexOf(": ")))).isDirectory();
        List<JsonObject> listed = http.get("api/v1/admin/backups", admin).array().getValuesAs(JsonObject.class);
        assertThat(listed).hasSizeBetween(2, 3);
        assertThat(listed).extracting(backup -> backup.getString("name")).allMatch(name -> name.matches("\\d{8}T.*"));
        assertThat(ownCopy).isDirectory();
        assertThat(cutShort.getParent()).doesNotExist();
    }

    private static long single(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A member enrolled for the test, and the card issued. */
    private record Member(String id, String card, String email) {
    }

    /** A programme made for the test, with a till key of one store and an administrator's token. */
    private record Programme(String code, String store, String[] till, String[] admin) {
    }

    private Member enrol(String programme, String password) {
        String email = "it-" + UUID.randomUUID() + "@example.org";
        String[] who = programme.equals("DEMO") ? manager : http.bearer("admin@demo.local", "admin-demo");
        Http.Reply reply = http.post("api/v1/admin/programmes/" + programme + "/members", "{\"email\":\"" + email
                + "\",\"firstName\":\"Test\",\"lastName\":\"Member\",\"birthDate\":\"1990-04-02\""
                + (password == null ? "" : ",\"password\":\"" + password + "\"") + "}", who);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return new Member(reply.json().getString("memberId"), reply.json().getString("cardNumber"), email);
    }

    private Programme newProgramme(int expireAfterDays, int pendingDays) {
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String code = "IT" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Http.Reply created = http.post("api/v1/admin/programmes", "{\"code\":\"" + code + "\",\"name\":\"Test "
                + code + "\",\"currency\":\"EUR\",\"pointsExpireAfterDays\":" + expireAfterDays + ",\"pendingDays\":"
                + pendingDays + ",\"timeZone\":\"UTC\"}", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String key = http.post("api/v1/admin/programmes/" + code + "/pos-keys", "{\"storeId\":\"X01\"}", admin).json()
                .getString("key");
        return new Programme(code, "X01", new String[] {"X-Api-Key", key}, admin);
    }

    private void adjust(Member member, long points, String reason) {
        Http.Reply reply = http.post("api/v1/admin/members/" + member.id() + "/adjustments",
                "{\"points\":" + points + ",\"reason\":\"" + reason + "\"}", manager);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    private Http.Reply fileClaim(String[] customer, String receipt, String total) {
        return http.post("api/v1/me/claims", "{\"storeId\":\"S001\",\"receiptId\":\"" + receipt
                + "\",\"occurredAt\":\"" + now() + "\",\"total\":\"" + total + "\"}", customer);
    }

    private String tier(Member member) {
        return http.get("api/v1/pos/cards/" + member.card(), TILL_S001).json().getString("tier");
    }

    private long qualifying(String[] customer) {
        return http.get("api/v1/me", customer).json().getJsonObject("tierProgress").getJsonNumber("qualifyingPoints")
                .longValue();
    }

    private Http.Reply redeemPoints(Member member, long points) {
        return http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + member.card() + "\",\"storeId\":\"S001\","
                + "\"receiptId\":\"" + receipt() + "\",\"points\":" + points + "}", TILL_S001);
    }

    private Http.Reply redeemReward(Member member, String reward, String receipt) {
        return http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + member.card() + "\",\"storeId\":\"S001\","
                + "\"receiptId\":\"" + receipt + "\",\"rewardId\":\"" + reward + "\"}", TILL_S001);
    }

    private long available(String card) {
        Http.Reply reply = http.get("api/v1/pos/cards/" + card, TILL_S001);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().getJsonNumber("availablePoints").longValue();
    }

    private List<JsonObject> ledger(Member member) {
        return http.get("api/v1/admin/members/" + member.id() + "/transactions?size=100", manager).json()
                .getJsonArray("items").getValuesAs(JsonObject.class);
    }

    private void assertConsistent(Member member) {
        assertConsistent(member, manager);
    }

    private void assertConsistent(Member member, String[] staff) {
        JsonObject check = http.get("api/v1/admin/members/" + member.id() + "/ledger-check", staff).json();
        assertThat(check.getBoolean("consistent")).as(check.toString()).isTrue();
    }

    private static void assertError(Http.Reply reply, int status, String error) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        JsonObject body = reply.json();
        assertThat(body.containsKey("field")).as("the error shape always has field").isTrue();
        assertThat(body.getString("message")).isNotBlank();
        if (error != null) {
            assertThat(body.getString("error")).isEqualTo(error);
        }
    }

    private static <T> List<T> parallel(int count, Function<Integer, T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                Callable<T> task = () -> {
                    start.await();
                    return call.apply(index);
                };
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Result decode(byte[] png) throws IOException, NotFoundException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
                new BufferedImageLuminanceSource(image))), Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
    }

    private static String[] concat(String[] headers, String name, String value) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = name;
        all[headers.length + 1] = value;
        return all;
    }

    private static String receipt() {
        return "R-" + UUID.randomUUID();
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.ofHours(1)).minusMinutes(1).withNano(0).toString();
    }

    /** The time now, to the millisecond: later than anything the engine recorded before the call. */
    private static String justNow() {
        return OffsetDateTime.now(ZoneOffset.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }

    private static String line(String sku, String category, int quantity, String unitPrice) {
        return "{\"sku\":\"" + sku + "\",\"category\":\"" + category + "\",\"quantity\":" + quantity
                + ",\"unitPrice\":\"" + unitPrice + "\"}";
    }

    private static String sale(String card, String receipt, String occurredAt, long redeem, String... lines) {
        return sale(card, "S001", receipt, occurredAt, "EUR", redeem, lines);
    }

    private static String sale(String card, String store, String receipt, String occurredAt, String currency,
                               long redeem, String... lines) {
        return "{\"cardNumber\":\"" + card + "\",\"storeId\":\"" + store + "\",\"terminalId\":\"T1\",\"receiptId\":\""
                + receipt + "\",\"occurredAt\":\"" + occurredAt + "\",\"currency\":\"" + currency + "\",\"lines\":["
                + String.join(",", lines) + "],\"redeemPoints\":" + redeem + ",\"offerIds\":[]}";
    }
}
