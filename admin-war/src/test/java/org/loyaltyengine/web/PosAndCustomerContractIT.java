package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonObject;

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
 * The walking skeleton, black box: the real WAR on a real Payara Micro with embedded Derby, called over HTTP as a
 * till and a customer would. Each test makes its own receipts and asserts changes of balance, not absolute ones,
 * so the tests do not depend on each other's order.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class PosAndCustomerContractIT {

    private static final String[] TILL_S001 = {"X-Api-Key", "demo-pos-S001"};
    private static final String CLAIRE = "2900000000018";
    private static final String MARC = "2900000000025";

    @ArquillianResource
    URL base;

    private Http http;

    @Deployment(testable = false)
    static WebArchive engine() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("loyalty.war")));
    }

    @BeforeEach
    void client() {
        http = new Http(base);
    }

    @Test
    void aSaleCreditsThePointsTheDemoRulesDecideAndTheTillAndTheCustomerSeeThem() {
        long before = http.get("api/v1/pos/cards/" + CLAIRE, TILL_S001).json().getJsonNumber("availablePoints").longValue();

        Http.Reply sale = http.post("api/v1/pos/transactions", coffeeSale(CLAIRE, receipt(), 0), TILL_S001);

        assertThat(sale.status()).isEqualTo(201);
        JsonObject answer = sale.json();
        assertThat(answer.getJsonNumber("pointsEarned").longValue()).isEqualTo(22);
        assertThat(appliedRules(answer)).isEqualTo(Map.of("base-earn", 9L, "tier-silver-bonus", 4L, "coffee-bonus", 9L));
        assertThat(answer.getJsonNumber("availablePoints").longValue()).isEqualTo(before + 22);
        assertThat(answer.getString("tier")).isEqualTo("SILVER");
        assertThat(answer.getString("transactionId")).startsWith("t-");

        JsonObject card = http.get("api/v1/pos/cards/" + CLAIRE, TILL_S001).json();
        assertThat(card.getJsonNumber("availablePoints").longValue()).isEqualTo(before + 22);
        assertThat(card.getString("displayName")).isEqualTo("Claire D.");
        assertThat(card.getString("status")).isEqualTo("ACTIVE");

        JsonObject me = http.get("api/v1/me", http.bearer("claire@demo.local", "claire-demo")).json();
        assertThat(me.getJsonNumber("availablePoints").longValue()).isEqualTo(before + 22);
        assertThat(me.getString("tier")).isEqualTo("SILVER");
        assertThat(me.getJsonObject("tierProgress").getString("nextTier")).isEqualTo("GOLD");
        assertThat(me.getJsonArray("cards").getJsonObject(0).getString("cardNumber")).isEqualTo(CLAIRE);
    }

    @Test
    void theSameReceiptPostedAgainAnswersTheSameAndCreditsNothing() {
        String receipt = receipt();
        String body = coffeeSale(MARC, receipt, 0);
        Http.Reply first = http.post("api/v1/pos/transactions", body, TILL_S001);
        long afterFirst = balance(MARC);

        Http.Reply replay = http.post("api/v1/pos/transactions", body, TILL_S001);

        assertThat(first.status()).isEqualTo(201);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.json()).isEqualTo(first.json());
        assertThat(balance(MARC)).isEqualTo(afterFirst);

        Http.Reply conflict = http.post("api/v1/pos/transactions", body.replace("\"quantity\":2", "\"quantity\":3"),
                TILL_S001);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().getString("error")).isEqualTo("receipt_conflict");
        assertThat(balance(MARC)).isEqualTo(afterFirst);
    }

    /**
     * A till sending a sale again after a restore of the engine names the transaction id it had (as the POS adapter
     * does): a malformed one is refused and writes nothing, and while the engine tells of no restore gap (this one
     * was never restored) the id is not used: no till chooses a sale's id. Its use within a gap is in
     * {@code TillCatchUpIT} and {@code RestoreIT}.
     */
    @Test
    void aTransactionIdNamedBySaleIsRefusedMalformedAndNotUsedOutsideARestoreGap() {
        String original = "t-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .replaceAll("[ilou]", "x");
        String body = coffeeSale(MARC, receipt(), 0);
        long before = balance(MARC);

        assertError(http.post("api/v1/pos/transactions", body, TILL_S001[0], TILL_S001[1],
                "Loyalty-Original-Transaction", "t-1' OR '1'='1"), 400, "invalid_field");
        assertThat(balance(MARC)).as("nothing written").isEqualTo(before);

        Http.Reply sold = http.post("api/v1/pos/transactions", body, TILL_S001[0], TILL_S001[1],
                "Loyalty-Original-Transaction", original);
        assertThat(sold.status()).as(sold.body()).isEqualTo(201);
        assertThat(sold.json().getString("transactionId")).as("an id of the engine's own").startsWith("t-")
                .isNotEqualTo(original);
        assertThat(balance(MARC)).isGreaterThan(before);
    }

    @Test
    void aQuoteAnswersWhatTheSaleWouldEarnAndWritesNothing() {
        long before = balance(MARC);

        Http.Reply quote = http.post("api/v1/pos/transactions/quote", coffeeSale(MARC, receipt(), 0), TILL_S001);

        assertThat(quote.status()).isEqualTo(200);
        assertThat(quote.json().getBoolean("quote")).isTrue();
        assertThat(quote.json().isNull("transactionId")).as("the keys of a commit's answer, no id: nothing recorded")
                .isTrue();
        assertThat(quote.json().getJsonNumber("pointsEarned").longValue()).isEqualTo(18);
        assertThat(balance(MARC)).isEqualTo(before);
    }

    /**
     * A quote of a receipt already recorded answers what committing it would: the recorded answer, not the points
     * once more on today's balance, and for other content the commit's 409.
     */
    @Test
    void aQuoteOfARecordedReceiptAnswersItsReplayOrItsConflict() {
        String receipt = receipt();
        String body = coffeeSale(MARC, receipt, 0);
        Http.Reply sold = http.post("api/v1/pos/transactions", body, TILL_S001);
        assertThat(sold.status()).as(sold.body()).isEqualTo(201);
        long after = balance(MARC);

        Http.Reply quote = http.post("api/v1/pos/transactions/quote", body, TILL_S001);

        assertThat(quote.status()).as(quote.body()).isEqualTo(200);
        assertThat(quote.json().getBoolean("quote")).isTrue();
        assertThat(quote.json().getString("transactionId")).isEqualTo(sold.json().getString("transactionId"));
        assertThat(quote.json().getJsonNumber("pointsEarned").longValue())
                .isEqualTo(sold.json().getJsonNumber("pointsEarned").longValue());
        assertThat(quote.json().getJsonNumber("availablePoints").longValue()).as("the balance the sale left")
                .isEqualTo(sold.json().getJsonNumber("availablePoints").longValue());
        assertError(http.post("api/v1/pos/transactions/quote", body.replace("\"quantity\":2", "\"quantity\":3"),
                TILL_S001), 409, "receipt_conflict");
        assertThat(balance(MARC)).isEqualTo(after);
    }

    @Test
    void malformedOrInvalidRequestsGetTheErrorShapeAndChangeNothing() {
        long before = balance(MARC);

        Http.Reply notJson = http.post("api/v1/pos/transactions", "{\"cardNumber\": ", TILL_S001);
        assertError(notJson, 400, "malformed_body");

        Http.Reply negative = http.post("api/v1/pos/transactions",
                coffeeSale(MARC, receipt(), 0).replace("\"quantity\":2", "\"quantity\":-2"), TILL_S001);
        assertError(negative, 400, "invalid_field");
        assertThat(negative.json().getString("field")).isEqualTo("lines[0].quantity");

        Http.Reply wrongType = http.post("api/v1/pos/transactions",
                coffeeSale(MARC, receipt(), 0).replace("\"quantity\":2", "\"quantity\":\"two\""), TILL_S001);
        assertError(wrongType, 400, "malformed_body");

        Http.Reply unknownField = http.post("api/v1/pos/transactions",
                coffeeSale(MARC, receipt(), 0).replace("\"redeemPoints\"", "\"redeemPoint\""), TILL_S001);
        assertError(unknownField, 400, "unknown_field");
        assertThat(unknownField.json().getString("field")).isEqualTo("redeemPoint");

        Http.Reply unknownCard = http.post("api/v1/pos/transactions", coffeeSale("2900000000049", receipt(), 0),
                TILL_S001);
        assertError(unknownCard, 404, "card_not_found");
        assertThat(unknownCard.json().getString("field")).isEqualTo("cardNumber");
        // A number mistyped (its check digit wrong) is an unknown card too, and the message says what is wrong.
        Http.Reply mistyped = http.post("api/v1/pos/transactions", coffeeSale("2900000000019", receipt(), 0),
                TILL_S001);
        assertError(mistyped, 404, "card_not_found");
        assertThat(mistyped.json().getString("message")).contains("check digit");
        assertError(http.get("api/v1/pos/cards/29000000", TILL_S001), 404, "card_not_found");
        assertError(http.get("api/v1/pos/cards/2900000000049", TILL_S001), 404, "card_not_found");
        assertThat(balance(MARC)).isEqualTo(before);
    }

    @Test
    void redeemingMoreThanAvailableIsRefusedAndWritesNothing() {
        String receipt = receipt();
        long available = balance(MARC);

        Http.Reply refused = http.post("api/v1/pos/transactions", coffeeSale(MARC, receipt, available + 500), TILL_S001);

        assertError(refused, 409, "insufficient_points");
        assertThat(refused.json().getString("message")).contains(available + " available points");
        assertThat(balance(MARC)).isEqualTo(available);
        assertThat(http.post("api/v1/pos/transactions", coffeeSale(MARC, receipt, 0), TILL_S001).status())
                .as("nothing of the refused sale was kept, so its receipt is still free").isEqualTo(201);
    }

    @Test
    void pointsPayForPartOfASaleFromTheAvailableBalance() {
        long before = http.get("api/v1/pos/cards/2900000000032", TILL_S001).json()
                .getJsonNumber("availablePoints").longValue();

        JsonObject answer = http.post("api/v1/pos/transactions", coffeeSale("2900000000032", receipt(), 250), TILL_S001)
                .json();

        assertThat(answer.getJsonNumber("pointsRedeemed").longValue()).isEqualTo(250);
        assertThat(answer.getString("redemptionValue")).isEqualTo("2.50");
        assertThat(answer.getJsonNumber("availablePoints").longValue())
                .isEqualTo(before - 250 + answer.getJsonNumber("pointsEarned").longValue());
    }

    @Test
    void callersAreWhoTheySayTheyAre() {
        assertError(http.get("api/v1/pos/cards/" + CLAIRE), 401, "unauthenticated");
        assertError(http.get("api/v1/pos/cards/" + CLAIRE, "X-Api-Key", "not-a-key"), 401, "unauthenticated");
        assertError(http.get("api/v1/me"), 401, "unauthenticated");
        assertError(http.get("api/v1/me", "Authorization", "Bearer forged.token.value"), 401, "unauthenticated");
        assertError(http.post("api/v1/auth/login", "{\"email\":\"claire@demo.local\",\"password\":\"wrong\"}"),
                401, "invalid_credentials");
        assertError(http.get("api/v1/me", TILL_S001), 403, "forbidden");
        assertError(http.get("api/v1/pos/cards/" + CLAIRE, http.bearer("claire@demo.local", "claire-demo")),
                403, "forbidden");
        assertError(http.post("api/v1/pos/transactions", coffeeSale(CLAIRE, receipt(), 0).replace("S001", "S002"),
                TILL_S001), 403, "store_mismatch");

        JsonObject marc = http.get("api/v1/me", http.bearer("marc@demo.local", "marc-demo")).json();
        assertThat(marc.getString("firstName")).isEqualTo("Marc");
        assertThat(marc.getJsonArray("cards").getJsonObject(0).getString("cardNumber")).isEqualTo(MARC);
    }

    @Test
    void theCustomerSeesTheirLedgerNewestFirst() {
        String[] claire = http.bearer("claire@demo.local", "claire-demo");
        http.post("api/v1/pos/transactions", coffeeSale(CLAIRE, receipt(), 0), TILL_S001);

        JsonObject page = http.get("api/v1/me/transactions?page=0&size=5", claire).json();

        JsonObject newest = page.getJsonArray("items").getJsonObject(0);
        assertThat(newest.getString("kind")).isEqualTo("EARN");
        assertThat(newest.getJsonNumber("points").longValue()).isEqualTo(22);
        assertThat(newest.getString("ruleSet")).isEqualTo("DEMO v1");
        assertThat(page.getJsonNumber("total").longValue()).isGreaterThanOrEqualTo(2);
        assertError(http.get("api/v1/me/transactions?size=1000", claire), 400, "invalid_field");
        Http.Reply notANumber = http.get("api/v1/me/transactions?page=x", claire);
        assertError(notANumber, 400, "invalid_field");
        assertThat(notANumber.json().getString("field")).as("the parameter, not a missing address").isEqualTo("page");

        // At the top tier there is no next one: the key API.md names is there, null.
        JsonObject progress = http.get("api/v1/me", http.bearer("lina@demo.local", "lina-demo")).json()
                .getJsonObject("tierProgress");
        assertThat(progress.getString("tier")).isEqualTo("GOLD");
        assertThat(progress.containsKey("nextTier")).isTrue();
        assertThat(progress.isNull("nextTier")).isTrue();
    }

    @Test
    void theCustomerSeesWhatTheirPointsBuyAndWhichRewardTheyCanTakeNow() {
        String email = "rewards-" + UUID.randomUUID() + "@example.org";
        JsonObject joined = joined(email, "reward-pass-1");
        String[] customer = http.bearer(email, "reward-pass-1");
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        String goldOnly = "r-gold-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Reply added = http.post("api/v1/admin/programmes/DEMO/rewards", "{\"rewardId\":\"" + goldOnly
                + "\",\"name\":\"Lounge pass\",\"points\":1,\"tier\":\"GOLD\"}", manager);
        assertThat(added.status()).as(added.body()).isIn(200, 201);

        JsonObject empty = http.get("api/v1/me/rewards", customer).json();

        assertThat(empty.getString("currency")).isEqualTo("EUR");
        assertThat(new java.math.BigDecimal(empty.getString("pointValue"))).isPositive();
        assertThat(empty.getJsonNumber("availablePoints").longValue()).isZero();
        assertThat(reward(empty, "r-coffee").getBoolean("available")).as("250 points, none held").isFalse();
        assertThat(reward(empty, "r-coffee").getJsonNumber("points").longValue()).isEqualTo(250);

        String sale = coffeeSale(joined.getString("cardNumber"), receipt(), 0)
                .replace("\"quantity\":2", "\"quantity\":60")
                .replace("2026-11-23T10:15:00+01:00", java.time.OffsetDateTime.now().withNano(0).toString());
        Http.Reply bought = http.post("api/v1/pos/transactions", sale, TILL_S001);
        assertThat(bought.status()).as(bought.body()).isEqualTo(201);
        JsonObject after = http.get("api/v1/me/rewards", customer).json();

        assertThat(after.getJsonNumber("availablePoints").longValue()).isGreaterThanOrEqualTo(250);
        assertThat(reward(after, "r-coffee").getBoolean("available")).isTrue();
        assertThat(reward(after, goldOnly).getBoolean("available")).as("for GOLD members, enough points held")
                .isFalse();
        assertThat(reward(after, goldOnly).getString("tier")).isEqualTo("GOLD");

        // The cashier, asked for the free coffee, sees the same of the scanned card, and a card of nobody is 404.
        JsonObject atTheTill = http.get("api/v1/pos/cards/" + joined.getString("cardNumber") + "/rewards", TILL_S001)
                .json();
        assertThat(atTheTill.getJsonNumber("availablePoints").longValue())
                .isEqualTo(after.getJsonNumber("availablePoints").longValue());
        assertThat(reward(atTheTill, "r-coffee").getBoolean("available")).isTrue();
        assertThat(reward(atTheTill, goldOnly).getBoolean("available")).isFalse();
        assertThat(reward(atTheTill, goldOnly).getString("why")).as("no points bring a tier").isEqualTo("tier");
        assertThat(reward(empty, "r-coffee").getString("why")).isEqualTo("points");
        assertThat(atTheTill.getString("displayName")).isEqualTo("Fay O.");
        Http.Reply unknown = http.get("api/v1/pos/cards/2900000099999/rewards", TILL_S001);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().getString("error")).isEqualTo("card_not_found");
    }

    /** A new member who joined on the site: the registration's answer (their member id and new card). */
    private JsonObject joined(String email, String password) {
        Http.Reply joined = http.post("api/v1/auth/register", "{\"email\":\"" + email + "\",\"password\":\""
                + password + "\",\"firstName\":\"Fay\",\"lastName\":\"Olsen\"}");
        assertThat(joined.status()).as(joined.body()).isEqualTo(201);
        return joined.json();
    }

    private static JsonObject reward(JsonObject catalogue, String rewardId) {
        return catalogue.getJsonArray("rewards").getValuesAs(JsonObject.class).stream()
                .filter(reward -> reward.getString("rewardId").equals(rewardId)).findFirst().orElseThrow();
    }

    @Test
    void theCustomerIsToldWhenTheirOldestQualifyingPointsStopCounting() {
        // Qualifying points count for the programme's window after each purchase: a tier is reached before the
        // oldest leave it, whatever the yearly review's date.
        String email = "window-" + UUID.randomUUID() + "@example.org";
        String card = joined(email, "window-pass-1").getString("cardNumber");
        String[] customer = http.bearer(email, "window-pass-1");
        java.time.ZoneId zone = java.time.ZoneId.of(http.get("api/v1/me", customer).json().getString("timeZone"));
        java.time.OffsetDateTime bought = java.time.OffsetDateTime.now(zone).minusDays(100).withNano(0);
        Http.Reply old = http.post("api/v1/pos/transactions", coffeeSale(card, receipt(), 0)
                .replace("2026-11-23T10:15:00+01:00", bought.toString()), TILL_S001);
        assertThat(old.status()).as(old.body()).isEqualTo(201);
        long first = http.get("api/v1/me", customer).json().getJsonObject("tierProgress")
                .getJsonNumber("qualifyingPoints").longValue();
        Http.Reply today = http.post("api/v1/pos/transactions", coffeeSale(card, receipt(), 0)
                .replace("2026-11-23T10:15:00+01:00", java.time.OffsetDateTime.now(zone).withNano(0).toString()),
                TILL_S001);
        assertThat(today.status()).as(today.body()).isEqualTo(201);

        JsonObject progress = http.get("api/v1/me", customer).json().getJsonObject("tierProgress");

        int days = progress.getInt("windowDays");
        assertThat(first).isPositive();
        assertThat(progress.getJsonNumber("qualifyingPoints").longValue()).isEqualTo(2 * first);
        assertThat(progress.getJsonObject("nextLeaving").getString("on")).as("the first purchase's, not the review's")
                .isEqualTo(java.time.LocalDate.ofInstant(bought.toInstant().plus(java.time.Duration.ofDays(days)), zone)
                        .toString())
                .isNotEqualTo(progress.getString("windowEnds"));
        assertThat(progress.getJsonObject("nextLeaving").getJsonNumber("points").longValue()).isEqualTo(first);
    }

    @Test
    void healthMetricsAndTheContractAnswer() {
        Http.Reply ready = http.get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.body()).contains("\"UP\"").contains("loyalty-engine");
        assertThat(http.get("/health").status()).isEqualTo(200);
        assertThat(http.get("/metrics").status()).isEqualTo(200);
        Http.Reply openapi = http.get("/openapi");
        assertThat(openapi.status()).isEqualTo(200);
        assertThat(openapi.body()).as("every endpoint of the contract is documented").contains(
                "/api/v1/pos/cards/{cardNumber}", "/api/v1/pos/transactions", "/api/v1/pos/transactions/quote",
                "/api/v1/pos/transactions/{transactionId}/returns", "/api/v1/pos/redemptions", "/api/v1/me",
                "/api/v1/me/transactions", "/api/v1/me/offers", "/api/v1/me/card.png", "/api/v1/me/claims",
                "/api/v1/me/export", "/api/v1/auth/login", "/api/v1/admin/programmes",
                "/api/v1/admin/programmes/{code}/members", "/api/v1/admin/programmes/{code}/tiers",
                "/api/v1/admin/programmes/{code}/rewards", "/api/v1/admin/cards/{cardNumber}/block",
                "/api/v1/admin/cards/{cardNumber}/replace", "/api/v1/admin/members/{memberId}/merge",
                "/api/v1/admin/members/{memberId}/adjustments", "/api/v1/me/password", "/api/v1/admin/me/password",
                "/api/v1/auth/logout");
        // With what each answers: a client generated from the document reads the answers and the errors.
        String document = http.get("/openapi?format=JSON").body();
        JsonObject contract = Json.createReader(new java.io.StringReader(document)).readObject();
        JsonObject paths = contract.getJsonObject("paths");
        JsonObject sale = paths.getJsonObject("/api/v1/pos/transactions").getJsonObject("post")
                .getJsonObject("responses");
        assertThat(propertiesOf(contract, sale, "201")).contains("transactionId", "pointsEarned", "availablePoints",
                "tier");
        assertThat(propertiesOf(contract, sale, "200")).contains("transactionId", "pointsEarned");
        assertThat(propertiesOf(contract, sale, "default")).as("every error").contains("error", "message", "field");
        assertThat(propertiesOf(contract, paths.getJsonObject("/api/v1/pos/transactions/{transactionId}/returns")
                .getJsonObject("post").getJsonObject("responses"), "201")).contains("pointsReversed",
                "availablePoints", "pendingPoints");
        assertThat(propertiesOf(contract, paths.getJsonObject("/api/v1/me/password").getJsonObject("post")
                .getJsonObject("responses"), "200")).as("the new session's token").contains("token", "expiresIn");
        assertThat(propertiesOf(contract, paths.getJsonObject("/api/v1/me/password").getJsonObject("post")
                .getJsonObject("responses"), "default")).contains("error", "message", "field");
        assertThat(propertiesOf(contract, paths.getJsonObject("/api/v1/pos/redemptions").getJsonObject("post")
                .getJsonObject("responses"), "201")).contains("pointsRedeemed");
        assertThat(propertiesOf(contract, paths.getJsonObject("/api/v1/admin/programmes/{code}/rules")
                .getJsonObject("put").getJsonObject("responses"), "default")).as("rules_invalid's errors")
                .contains("error", "errors");
        assertThat(document).as("no constraint the engine did not declare").doesNotContain("\"maxProperties\"")
                .doesNotContain("\"minLength\":0");
        assertError(http.get("api/v1/no-such-thing"), 404, "not_found");
    }

    /** A client that puts the base path before the operations endpoints is sent to them, at the root. */
    @Test
    void theOperationsEndpointsUnderTheBasePathSendToTheRoot() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (String endpoint : new String[] {"health/ready", "metrics", "openapi?format=JSON"}) {
            HttpResponse<String> sent = client.send(HttpRequest.newBuilder(base.toURI().resolve("api/v1/" + endpoint))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).as(endpoint).isEqualTo(307);
            URI there = URI.create(sent.headers().firstValue("Location").orElseThrow());
            assertThat(there.getPath() + (there.getQuery() == null ? "" : "?" + there.getQuery()))
                    .isEqualTo("/" + endpoint);
            assertThat(client.send(HttpRequest.newBuilder(base.toURI().resolve(there)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).as(endpoint).isEqualTo(200);
        }
        assertError(http.get("api/v1/healthz"), 404, "not_found");
    }

    /** The properties of an answer's schema in the OpenAPI document, named (a component) or inline. */
    private static java.util.Set<String> propertiesOf(JsonObject openapi, JsonObject responses, String status) {
        assertThat(responses.containsKey(status)).as(status + " in " + responses.keySet()).isTrue();
        JsonObject schema = responses.getJsonObject(status).getJsonObject("content").getJsonObject("application/json")
                .getJsonObject("schema");
        if (schema.containsKey("$ref")) {
            String name = schema.getString("$ref").substring("#/components/schemas/".length());
            schema = openapi.getJsonObject("components").getJsonObject("schemas").getJsonObject(name);
        }
        assertThat(schema.containsKey("properties")).as(String.valueOf(schema)).isTrue();
        return schema.getJsonObject("properties").keySet();
    }

    private long balance(String card) {
        return http.get("api/v1/pos/cards/" + card, TILL_S001).json().getJsonNumber("availablePoints").longValue();
    }

    private static void assertError(Http.Reply reply, int status, String error) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        JsonObject json = reply.json();
        assertThat(json.getString("error")).isEqualTo(error);
        assertThat(json.getString("message")).isNotBlank();
        assertThat(json.containsKey("field")).as("field is always present").isTrue();
    }

    private static Map<String, Long> appliedRules(JsonObject answer) {
        return answer.getJsonArray("appliedRules").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(rule -> rule.getString("rule"), rule -> rule.getJsonNumber("points").longValue()));
    }

    private static String receipt() {
        return "R-" + UUID.randomUUID();
    }

    private static String coffeeSale(String card, String receipt, long redeem) {
        return """
                {"cardNumber":"%s","storeId":"S001","terminalId":"T3","receiptId":"%s",
                 "occurredAt":"2026-11-23T10:15:00+01:00","currency":"EUR",
                 "lines":[{"sku":"COF-250","category":"coffee","quantity":2,"unitPrice":"4.50"}],
                 "redeemPoints":%d,"offerIds":[]}""".formatted(card, receipt, redeem);
    }
}
