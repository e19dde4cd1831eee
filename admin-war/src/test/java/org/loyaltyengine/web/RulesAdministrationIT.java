package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URL;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
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
 * Programme managers change the rules while the engine runs: an edit that does not compile is refused with its
 * line while sales keep earning under the live version; a valid edit is a draft that is diffed, simulated,
 * published, used by the next sale and rolled back. They also set the programme up (tiers, rewards, offers: each
 * change audited) and read its figures. Each test works on a programme of its own.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class RulesAdministrationIT {

    private static final String DOUBLE_POINTS = """
            package org.loyaltyengine.rules.it;

            import org.loyaltyengine.rules.decision.BasePoints;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "double-points"
            when
                BasePoints( $points : points, points > 0 )
            then
                insert( new PointsAward( "double-points", $points ) );
            end
            """;

    private static final String FIRST_PURCHASE = """
            package org.loyaltyengine.rules.it;

            import org.loyaltyengine.rules.fact.MemberProfile;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "first-purchase-bonus"
            when
                MemberProfile( purchaseCount == 0 )
            then
                insert( new PointsAward( "first-purchase-bonus", 100 ) );
            end
            """;

    private static final String BEAUTY_TABLE = """
            RuleSet,org.loyaltyengine.rules.it
            Import,"org.loyaltyengine.rules.fact.Purchase, org.loyaltyengine.rules.decision.PointsAward"
            ,,
            RuleTable Category multipliers,,
            NAME,CONDITION,ACTION
            ,$purchase : Purchase,
            ,"spentIn(""$param"") >= 1","insert(new PointsAward(""$1"", $purchase.spentIn(""$2"").longValue() * $3));"
            Rule,Category,"Award, category, extra points"
            category-beauty-x2,beauty,"beauty-x2,beauty,1"
            """;

    private static final String MINIMUM_BALANCE = """
            package org.loyaltyengine.rules.it;

            import org.loyaltyengine.rules.fact.RedemptionRequest;
            import org.loyaltyengine.rules.decision.RedemptionRefusal;

            rule "minimum-balance-to-redeem"
            when
                RedemptionRequest( availablePoints < 500 )
            then
                insert( new RedemptionRefusal( "minimum-balance-to-redeem", "Points can be spent from 500" ) );
            end
            """;

    private static final String VISITS = """
            package org.loyaltyengine.rules.it;

            import org.loyaltyengine.rules.fact.MemberProfile;
            import org.loyaltyengine.rules.fact.Purchase;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "first-purchase-bonus"
            when
                Purchase()
                MemberProfile( firstPurchase() )
            then
                insert( new PointsAward( "first-purchase-bonus", 100 ) );
            end

            rule "second-visit-bonus"
            when
                Purchase()
                MemberProfile( purchaseCount == 1 )
            then
                insert( new PointsAward( "second-visit-bonus", 7 ) );
            end
            """;

    private static final String DIVIDES_BY_ZERO = """
            package org.loyaltyengine.rules.it;

            import org.loyaltyengine.rules.fact.Purchase;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "divides-by-zero"
            when
                Purchase( $x : total )
            then
                insert( new PointsAward( "divides-by-zero", 10 / ($x.intValue() - $x.intValue()) ) );
            end
            """;

    private static final String WINE_DIVIDES_BY_ZERO = """
            package org.loyaltyengine.rules.it;

            import org.loyaltyengine.rules.fact.PurchaseLine;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "wine-divides-by-zero"
            when
                PurchaseLine( category == "wine", $q : quantity )
            then
                insert( new PointsAward( "wine-divides-by-zero", 10 / ($q - $q) ) );
            end
            """;

    @ArquillianResource
    URL base;

    private Http http;
    private String[] admin;

    @Deployment(testable = false)
    static WebArchive engine() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("loyalty.war")));
    }

    @BeforeEach
    void client() {
        http = new Http(base);
        admin = http.bearer("admin@demo.local", "admin-demo");
    }

    @Test
    void anEditThatDoesNotCompileIsRefusedWithItsLineAndSalesKeepEarningUnderTheLiveVersion() {
        Programme programme = newProgramme();
        JsonObject live = http.get(programme.rules(), admin).json();
        assertThat(live.getInt("version")).isEqualTo(1);
        assertThat(live.getBoolean("live")).isTrue();

        String broken = "package org.loyaltyengine.rules.x;\n\nrule \"broken\"\nwhen\n    Purchase( total > )\nthen\nend\n";
        Http.Reply refused = http.put(programme.rules(), rulesBody("an edit with a mistake",
                Map.of("earning/broken.drl", broken)), admin);

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().getString("error")).isEqualTo("rules_invalid");
        JsonObject error = refused.json().getJsonArray("errors").getJsonObject(0);
        assertThat(error.getString("source")).isEqualTo("earning/broken.drl");
        assertThat(error.getInt("line")).isEqualTo(5);
        assertThat(error.getString("message")).isNotBlank();
        assertThat(http.get(programme.rules() + "/versions", admin).array()).hasSize(1);

        JsonObject sale = sell(programme, "40.00", "grocery");
        assertThat(sale.getJsonNumber("pointsEarned").longValue()).isEqualTo(40);
        assertThat(lastEntry(programme, sale).getString("ruleSet")).isEqualTo(programme.code() + " v1");
    }

    @Test
    void aValidEditIsADraftThatIsDiffedSimulatedPublishedUsedByTheNextSaleAndRolledBack() {
        Programme programme = newProgramme();
        Map<String, String> files = liveFiles(programme);
        files.put("earning/double-points.drl", DOUBLE_POINTS);
        files.put("earning/multipliers.csv", BEAUTY_TABLE);
        JsonObject before = sell(programme, "40.00", "beauty");
        assertThat(before.getJsonNumber("pointsEarned").longValue()).isEqualTo(40);

        Http.Reply saved = http.put(programme.rules(), rulesBody("Double points and a beauty multiplier", files),
                admin);

        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        assertThat(saved.json().getInt("version")).isEqualTo(2);
        assertThat(saved.json().getString("status")).isEqualTo("DRAFT");
        assertThat(saved.json().getString("author")).isEqualTo("admin@demo.local");
        assertThat(sell(programme, "40.00", "beauty").getJsonNumber("pointsEarned").longValue())
                .as("a draft does not serve").isEqualTo(40);

        JsonObject diff = http.get(programme.rules() + "/diff?from=1&to=2", admin).json();
        assertThat(diff.getJsonArray("files").getValuesAs(JsonObject.class))
                .extracting(f -> f.getString("path") + " " + f.getString("change"))
                .containsExactlyInAnyOrder("earning/double-points.drl ADDED", "earning/multipliers.csv ADDED");

        String occurredAt = now();
        JsonObject simulated = http.post(programme.rules() + "/simulate", "{\"version\":2,\"transactions\":["
                + saleBody(programme, receipt(), "40.00", "beauty", occurredAt) + "]}", admin).json();
        assertThat(simulated.getJsonNumber("livePoints").longValue()).isEqualTo(40);
        assertThat(OffsetDateTime.parse(simulated.getJsonArray("outcomes").getJsonObject(0).getString("occurredAt"))
                .toInstant()).as("when, for the back office's chart by day").isEqualTo(OffsetDateTime.parse(occurredAt)
                .toInstant());
        assertThat(simulated.getJsonNumber("draftPoints").longValue()).isEqualTo(120);
        assertThat(simulated.getJsonNumber("difference").longValue()).isEqualTo(80);
        JsonObject replay = http.post(programme.rules() + "/simulate", "{\"version\":2,\"replayFrom\":\""
                + OffsetDateTime.now(ZoneOffset.UTC).minusDays(1).withNano(0) + "\",\"replayTo\":\""
                + OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10).withNano(0) + "\"}", admin).json();
        assertThat(replay.getInt("transactions")).isEqualTo(2);
        assertThat(replay.getJsonNumber("draftPoints").longValue()).isEqualTo(240);
        assertThat(http.get(programme.rules() + "/versions", admin).array().getJsonObject(0).getString("status"))
                .as("simulating wrote nothing").isEqualTo("DRAFT");

        JsonObject published = http.post(programme.rules() + "/publish", "{\"version\":2,\"comment\":\"go\"}",
                admin).json();
        assertThat(published.getString("action")).isEqualTo("PUBLISH");
        JsonObject after = sell(programme, "40.00", "beauty");
        assertThat(after.getJsonNumber("pointsEarned").longValue()).isEqualTo(120);
        assertThat(rules(after)).containsEntry("double-points", 40L).containsEntry("beauty-x2", 40L);
        assertThat(lastEntry(programme, after).getString("ruleSet")).isEqualTo(programme.code() + " v2");

        JsonObject rolledBack = http.post(programme.rules() + "/rollback", "{\"comment\":\"too generous\"}", admin)
                .json();
        assertThat(rolledBack.getInt("version")).isEqualTo(1);
        JsonObject last = sell(programme, "40.00", "beauty");
        assertThat(last.getJsonNumber("pointsEarned").longValue()).isEqualTo(40);
        assertThat(lastEntry(programme, last).getString("ruleSet")).isEqualTo(programme.code() + " v1");
        assertThat(http.get(programme.rules() + "/history", admin).array().getValuesAs(JsonObject.class))
                .extracting(p -> p.getString("action") + " v" + p.getInt("version"))
                .containsExactly("ROLLBACK v1", "PUBLISH v2", "PUBLISH v1");
        assertThat(http.get(programme.rules() + "?version=2", admin).json().getString("status"))
                .isEqualTo("RETIRED");
    }

    /**
     * A simulation sees each member as the till does: in a batch of given sales, a member's first purchase is first
     * once; replaying past sales, each is decided on the member as they were when it was
     * recorded, so that the live set's figure is what the sale earned, though the member has bought since.
     */
    @Test
    void aSimulationSeesEachMemberAsTheTillDidSaleAfterSale() {
        Programme programme = newProgramme();
        Instant began = Instant.now().minusSeconds(120);
        Map<String, String> files = liveFiles(programme);
        files.put("earning/first-purchase.drl", FIRST_PURCHASE);
        Http.Reply saved = http.put(programme.rules(), rulesBody("first purchase bonus", files), admin);
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        int bonus = saved.json().getInt("version");

        JsonObject batch = http.post(programme.rules() + "/simulate", "{\"version\":" + bonus + ",\"transactions\":["
                + saleBody(programme, receipt(), "10.00", "grocery") + "," + saleBody(programme, receipt(), "10.00",
                "grocery") + "]}", admin).json();

        assertThat(points(batch, "draftPoints")).as("the bonus on the first only").containsExactly(110L, 10L);
        assertThat(points(batch, "livePoints")).containsExactly(10L, 10L);

        assertThat(http.post(programme.rules() + "/publish", "{\"version\":" + bonus + "}", admin).status())
                .isEqualTo(200);
        JsonObject first = sell(programme, "10.00", "grocery");
        assertThat(first.getJsonNumber("pointsEarned").longValue()).isEqualTo(110);
        assertThat(sell(programme, "10.00", "grocery").getJsonNumber("pointsEarned").longValue()).isEqualTo(10);
        assertThat(sell(programme, "10.00", "grocery").getJsonNumber("pointsEarned").longValue()).isEqualTo(10);
        // The first sale's goods all come back since: today it is no purchase, but it was when the others were sold.
        Http.Reply back = http.post("api/v1/pos/transactions/" + first.getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-" + UUID.randomUUID() + "\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}",
                programme.till());
        assertThat(back.status()).as(back.body()).isEqualTo(201);

        // The three sales replayed, the starter rules (version 1) as the draft: the live set's column is what each
        // earned, though the member has three purchases now, and the first one's goods came back.
        JsonObject replayed = http.post(programme.rules() + "/simulate", "{\"version\":1,\"replayFrom\":\""
                + began + "\",\"replayTo\":\"" + Instant.now().plusSeconds(60) + "\"}", admin).json();

        assertThat(points(replayed, "livePoints")).as(replayed.toString()).containsExactly(110L, 10L, 10L);
        assertThat(points(replayed, "draftPoints")).containsExactly(10L, 10L, 10L);
        assertThat(replayed.getJsonNumber("difference").longValue()).isEqualTo(-100);
    }

    private static List<Long> points(JsonObject simulation, String column) {
        return simulation.getJsonArray("outcomes").getValuesAs(JsonObject.class).stream()
                .map(outcome -> outcome.getJsonNumber(column).longValue()).toList();
    }

    /**
     * A programme's most for one sale: a till's typo (a price typed with its digits twice) is refused, whoever's
     * till sends it, and leaves the receipt free for the sale as it should have been; a quote and a missing-points
     * claim of more are refused too; the manager raises the most, or lifts it with 0.
     */
    @Test
    void aSaleAboveTheProgrammesMostIsRefusedAndTheReceiptStaysFreeForTheRightOne() {
        Programme programme = newProgramme(",\"maxSaleTotal\":\"500.00\"");
        String path = "api/v1/admin/programmes/" + programme.code();
        assertThat(http.get(path, admin).json().getString("maxSaleTotal")).isEqualTo("500.00");
        String receipt = receipt();

        Http.Reply typo = http.post("api/v1/pos/transactions", saleBody(programme, receipt, "4500.45", "grocery"),
                programme.till());
        Http.Reply quote = http.post("api/v1/pos/transactions/quote", saleBody(programme, receipt(), "500.01",
                "grocery"), programme.till());

        assertThat(typo.status()).as(typo.body()).isEqualTo(422);
        assertThat(typo.json().getString("error")).isEqualTo("sale_total_too_large");
        assertThat(typo.json().getString("field")).isEqualTo("lines");
        assertThat(typo.json().getString("message")).contains("4500.45 EUR").contains("500.00 EUR");
        assertThat(quote.status()).as(quote.body()).isEqualTo(422);
        assertThat(http.get("api/v1/pos/cards/" + programme.card(), programme.till()).json()
                .getJsonNumber("availablePoints").longValue()).as("nothing credited").isZero();
        Http.Reply right = http.post("api/v1/pos/transactions", saleBody(programme, receipt, "45.00", "grocery"),
                programme.till());
        assertThat(right.status()).as("the same receipt, the price typed right: " + right.body()).isEqualTo(201);
        assertThat(right.json().getJsonNumber("pointsEarned").longValue()).isEqualTo(45);

        // The member claims a purchase of more than any sale may come to: refused as the till's would be.
        String email = "most-" + UUID.randomUUID() + "@example.org";
        assertThat(http.post(path + "/members", "{\"email\":\"" + email + "\",\"firstName\":\"Mo\",\"lastName\":"
                + "\"Stone\",\"password\":\"most-pass-1\"}", admin).status()).isEqualTo(201);
        Http.Reply claim = http.post("api/v1/me/claims", "{\"storeId\":\"X01\",\"receiptId\":\"" + receipt()
                + "\",\"occurredAt\":\"" + now() + "\",\"total\":\"9000.00\"}", http.bearer(email, "most-pass-1"));
        assertThat(claim.status()).as(claim.body()).isEqualTo(422);
        assertThat(claim.json().getString("error")).isEqualTo("sale_total_too_large");
        assertThat(claim.json().getString("field")).isEqualTo("total");

        // Raised, then lifted (0): absent from an edit, it stays as it is.
        JsonObject terms = http.get(path, admin).json();
        String edit = "{\"name\":\"" + terms.getString("name") + "\",\"pointsExpireAfterDays\":365,\"pendingDays\":0,"
                + "\"pointValue\":\"" + terms.getString("pointValue") + "\",\"tierWindowDays\":365";
        assertThat(http.put(path, edit + "}", admin).json().getString("maxSaleTotal")).isEqualTo("500.00");
        assertThat(http.put(path, edit + ",\"maxSaleTotal\":5000}", admin).json().getString("maxSaleTotal"))
                .isEqualTo("5000.00");
        assertThat(sell(programme, "4500.45", "grocery").getJsonNumber("pointsEarned").longValue()).isEqualTo(4500);
        Http.Reply refused = http.put(path, edit + ",\"maxSaleTotal\":\"-1\"}", admin);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().getString("field")).isEqualTo("maxSaleTotal");
        JsonObject lifted = http.put(path, edit + ",\"maxSaleTotal\":0}", admin).json();
        assertThat(lifted.get("maxSaleTotal")).as(lifted.toString()).isIn(null, jakarta.json.JsonValue.NULL);
        assertThat(sell(programme, "45000.00", "grocery").getJsonNumber("pointsEarned").longValue()).isEqualTo(45000);
        assertThat(http.get(path + "/audit", admin).body()).contains("maxSaleTotal: 500.00 → 5000.00")
                .contains("maxSaleTotal: 5000.00 → none");
    }

    @Test
    void aProgrammeCreatedByMistakeIsDeletedAndItsCodeServesANewProgrammeItsOwnRules() {
        String code = "DL" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String path = "api/v1/admin/programmes/" + code;
        String definition = "{\"code\":\"" + code + "\",\"name\":\"Mistake " + code + "\",\"currency\":\"EUR\","
                + "\"pointsExpireAfterDays\":365,\"pendingDays\":0}";
        assertThat(http.post("api/v1/admin/programmes", definition, admin).status()).isEqualTo(201);
        Programme mistaken = new Programme(code, new String[0], null);
        Map<String, String> doubled = liveFiles(mistaken);
        doubled.put("earning/double-points.drl", DOUBLE_POINTS);
        Http.Reply draft = http.put(mistaken.rules(), rulesBody("double points", doubled), admin);
        assertThat(http.post(mistaken.rules() + "/publish", "{\"version\":" + draft.json().getInt("version") + "}",
                admin).status()).isEqualTo(200);
        assertThat(http.post(path + "/tiers", "{\"code\":\"GOLD\",\"name\":\"Gold\",\"minimumPoints\":500}", admin)
                .status()).isEqualTo(201);
        assertThat(http.post(path + "/rewards", "{\"rewardId\":\"MUG\",\"name\":\"Mug\",\"points\":300}", admin)
                .status()).isEqualTo(201);
        assertThat(http.post(path + "/offers", "{\"code\":\"WELCOME\",\"title\":\"Welcome\",\"points\":50}",
                admin).status()).isEqualTo(201);
        String[] oldTill = {"X-Api-Key", http.post(path + "/pos-keys", "{\"storeId\":\"X01\"}", admin).json()
                .getString("key")};
        String[] demoManager = http.bearer("manager@demo.local", "manager-demo");

        Http.Reply notTheirs = http.delete(path, "", demoManager);
        assertThat(notTheirs.status()).as(notTheirs.body()).isEqualTo(403);
        Http.Reply demo = http.delete("api/v1/admin/programmes/DEMO", "", admin);
        assertThat(demo.status()).as(demo.body()).isEqualTo(409);
        assertThat(demo.json().getString("error")).isEqualTo("programme_in_use");
        assertThat(demo.json().getString("message")).contains("members");
        assertThat(http.get("api/v1/admin/programmes/DEMO", admin).status()).isEqualTo(200);

        Http.Reply deleted = http.delete(path, "", admin);

        assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
        Http.Reply gone = http.get(path, admin);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.json().getString("error")).isEqualTo("programme_not_found");
        assertThat(http.get("api/v1/admin/programmes", admin).array().getValuesAs(JsonObject.class))
                .noneSatisfy(p -> assertThat(p.getString("code")).isEqualTo(code));
        assertThat(http.get("api/v1/pos/rewards", oldTill).status()).as("its tills' keys went with it")
                .isEqualTo(401);
        assertThat(http.delete(path, "", admin).status()).isEqualTo(404);

        // The code is free again: the new programme starts from the starter rules, and serves its own next version,
        // not the deleted programme's version of the same number (double points).
        assertThat(http.post("api/v1/admin/programmes", definition, admin).status()).isEqualTo(201);
        String key = http.post(path + "/pos-keys", "{\"storeId\":\"X01\"}", admin).json().getString("key");
        String card = http.post(path + "/members", "{\"email\":\"d-" + UUID.randomUUID() + "@example.org\","
                + "\"firstName\":\"Dee\",\"lastName\":\"Lee\"}", admin).json().getString("cardNumber");
        Programme renewed = new Programme(code, new String[] {"X-Api-Key", key}, card);
        JsonObject fresh = http.get(path, admin).json();
        assertThat(fresh.getJsonArray("tiers")).hasSize(1);
        assertThat(http.get(path + "/rewards", admin).array()).isEmpty();
        assertThat(http.get(renewed.rules() + "/versions", admin).array()).hasSize(1);
        publishWith(renewed, "beauty multiplier", "earning/multipliers.csv", BEAUTY_TABLE);
        JsonObject sale = sell(renewed, "40.00", "beauty");
        assertThat(rules(sale)).doesNotContainKey("double-points").containsEntry("beauty-x2", 40L);
        assertThat(sale.getJsonNumber("pointsEarned").longValue()).isEqualTo(80);
        assertThat(lastEntry(renewed, sale).getString("ruleSet")).isEqualTo(code + " v2");
        assertThat(http.get(path + "/audit", admin).body()).contains("PROGRAMME_DELETED");

        Http.Reply inUse = http.delete(path, "", admin);
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.json().getString("message")).contains("1 member");
        assertThat(sell(renewed, "10.00", "grocery").getJsonNumber("pointsEarned").longValue()).isEqualTo(10);
    }

    @Test
    void writesToAProgrammeAsItIsDeletedAreAnsweredWithoutAFailureAndLeaveNothingBehind() throws Exception {
        String code = "DR" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String path = "api/v1/admin/programmes/" + code;
        String definition = "{\"code\":\"" + code + "\",\"name\":\"Raced\",\"currency\":\"EUR\","
                + "\"pointsExpireAfterDays\":365,\"pendingDays\":0}";
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 6; round++) {
                assertThat(http.post("api/v1/admin/programmes", definition, admin).status()).isEqualTo(201);
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                String tier = "{\"code\":\"GOLD\",\"name\":\"Gold\",\"minimumPoints\":500}";
                String reward = "{\"rewardId\":\"MUG\",\"name\":\"Mug\",\"points\":300}";
                List<java.util.concurrent.Callable<Http.Reply>> calls = List.of(
                        () -> { go.await(); return http.delete(path, "", admin); },
                        () -> { go.await(); return http.post(path + "/tiers", tier, admin); },
                        () -> { go.await(); return http.post(path + "/rewards", reward, admin); },
                        () -> { go.await(); return http.post(path + "/pos-keys", "{\"storeId\":\"X01\"}", admin); });
                List<java.util.concurrent.Future<Http.Reply>> answers = calls.stream().map(pool::submit).toList();
                go.countDown();
                Http.Reply deleted = answers.get(0).get();
                assertThat(deleted.status()).as("round %d: %s", round, deleted.body()).isEqualTo(204);
                for (java.util.concurrent.Future<Http.Reply> answer : answers.subList(1, answers.size())) {
                    Http.Reply write = answer.get();
                    // Before the delete: written, and deleted with the programme. After it: not found, or refused
                    // as it met the delete.
                    assertThat(write.status()).as("round %d: %s", round, write.body()).isIn(201, 404, 409);
                    if (write.status() != 201) {
                        assertThat(write.json().getString("error")).isIn("programme_not_found", "deleted_meanwhile");
                    }
                }
                assertThat(http.get(path, admin).status()).isEqualTo(404);
            }
        } finally {
            pool.shutdownNow();
        }
        // Nothing of the raced writes stayed behind to come back with the code.
        assertThat(http.post("api/v1/admin/programmes", definition, admin).status()).isEqualTo(201);
        assertThat(http.get(path, admin).json().getJsonArray("tiers")).hasSize(1);
        assertThat(http.get(path + "/rewards", admin).array()).isEmpty();
        assertThat(http.get(path + "/stores", admin).array()).isEmpty();
    }

    @Test
    void aStaffAccountGivenAProgrammeAsItIsDeletedEitherKeepsItOrIsRefused() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 6; round++) {
                String code = "DA" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
                String path = "api/v1/admin/programmes/" + code;
                assertThat(http.post("api/v1/admin/programmes", "{\"code\":\"" + code + "\",\"name\":\"Raced\","
                        + "\"currency\":\"EUR\",\"pointsExpireAfterDays\":365,\"pendingDays\":0}", admin).status())
                        .isEqualTo(201);
                String email = "raced-" + UUID.randomUUID() + "@example.org";
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                java.util.concurrent.Future<Http.Reply> deleted = pool.submit(() -> {
                    go.await();
                    return http.delete(path, "", admin);
                });
                java.util.concurrent.Future<Http.Reply> appointed = pool.submit(() -> {
                    go.await();
                    return http.post("api/v1/admin/staff", "{\"email\":\"" + email + "\",\"password\":"
                            + "\"first-pass-1\",\"role\":\"MANAGER\",\"programme\":\"" + code + "\"}", admin);
                });
                go.countDown();
                Http.Reply delete = deleted.get();
                Http.Reply staff = appointed.get();
                if (staff.status() == 201) {
                    // The account came first: the programme it manages is kept.
                    assertThat(delete.status()).as("round %d: %s", round, delete.body()).isEqualTo(409);
                    assertThat(delete.json().getString("error")).isEqualTo("programme_has_staff");
                    assertThat(http.get(path, admin).status()).isEqualTo(200);
                } else {
                    // The delete came first: no account is left managing a programme that is gone.
                    assertThat(staff.status()).as("round %d: %s", round, staff.body()).isEqualTo(422);
                    assertThat(staff.json().getString("error")).isEqualTo("programme_not_found");
                    assertThat(delete.status()).as(delete.body()).isEqualTo(204);
                    assertThat(login(email, "first-pass-1")).as("no such account").isEqualTo(401);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private int login(String email, String password) {
        return http.post("api/v1/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                .status();
    }

    @Test
    void aProgrammeThatStaffAccountsManageIsNotDeletedUnderThem() {
        String code = "DS" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        assertThat(http.post("api/v1/admin/programmes", "{\"code\":\"" + code + "\",\"name\":\"Staffed\","
                + "\"currency\":\"EUR\",\"pointsExpireAfterDays\":365,\"pendingDays\":0}", admin).status())
                .isEqualTo(201);
        String email = "staff-" + UUID.randomUUID() + "@example.org";
        Http.Reply staff = http.post("api/v1/admin/staff", "{\"email\":\"" + email + "\",\"password\":"
                + "\"first-pass-1\",\"role\":\"MANAGER\",\"programme\":\"" + code + "\"}", admin);
        assertThat(staff.status()).as(staff.body()).isEqualTo(201);

        Http.Reply refused = http.delete("api/v1/admin/programmes/" + code, "", admin);

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().getString("error")).isEqualTo("programme_has_staff");
        assertThat(refused.json().getString("message")).contains(email);
        String[] manager = http.bearer(email, "first-pass-1");
        assertThat(http.delete("api/v1/admin/programmes/" + code, "", manager).status())
                .as("only administrators delete").isEqualTo(403);
        assertThat(http.get("api/v1/admin/programmes/" + code, manager).status()).isEqualTo(200);
        String everyProgramme = "staff-" + UUID.randomUUID() + "@example.org";
        assertThat(http.post("api/v1/admin/staff", "{\"email\":\"" + everyProgramme + "\",\"password\":"
                + "\"first-pass-1\",\"role\":\"MANAGER\",\"programme\":null}", admin).status()).isEqualTo(201);
        Http.Reply byManager = http.delete("api/v1/admin/programmes/" + code, "", http.bearer(everyProgramme,
                "first-pass-1"));
        assertThat(byManager.status()).as("a manager of every programme: " + byManager.body()).isEqualTo(403);
    }

    @Test
    void aDraftMadeFromAVersionNoLongerLiveIsNotPublishedOverTheOneThatReplacedItUnlessTheManagerSaysSo() {
        Programme programme = newProgramme();
        Map<String, String> opened = liveFiles(programme);
        // A second manager publishes double points while the first edits version 1 in the editor.
        Map<String, String> doubled = new java.util.HashMap<>(opened);
        doubled.put("earning/double-points.drl", DOUBLE_POINTS);
        Http.Reply second = http.put(programme.rules(), rulesBody("Double points", doubled, 1), admin);
        assertThat(second.json().getInt("basedOn")).isEqualTo(1);
        assertThat(http.post(programme.rules() + "/publish", "{\"version\":2}", admin).status()).isEqualTo(200);
        Map<String, String> edited = new java.util.HashMap<>(opened);
        edited.put("earning/multipliers.csv", BEAUTY_TABLE);
        Http.Reply first = http.put(programme.rules(), rulesBody("Beauty multiplier", edited, 1), admin);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(first.json().getInt("basedOn")).isEqualTo(1);

        Http.Reply refused = http.post(programme.rules() + "/publish", "{\"version\":3}", admin);

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().getString("error")).isEqualTo("draft_outdated");
        assertThat(refused.json().getString("message")).contains("made from version 1; version 2 is live now");
        assertThat(sell(programme, "40.00", "grocery").getJsonNumber("pointsEarned").longValue())
                .as("version 2's double points still earn").isEqualTo(80);
        // A draft edited from the draft keeps its base; made from the live version, it is published as usual.
        Http.Reply onTheDraft = http.put(programme.rules(), rulesBody("Beauty multiplier, again", edited, 3), admin);
        assertThat(onTheDraft.json().getInt("basedOn")).isEqualTo(1);
        Map<String, String> both = new java.util.HashMap<>(doubled);
        both.put("earning/multipliers.csv", BEAUTY_TABLE);
        assertThat(http.put(programme.rules(), rulesBody("Both", both, 2), admin).json().getInt("version"))
                .isEqualTo(5);
        assertThat(http.post(programme.rules() + "/publish", "{\"version\":5}", admin).status()).isEqualTo(200);
        assertThat(sell(programme, "40.00", "beauty").getJsonNumber("pointsEarned").longValue()).isEqualTo(120);
        // Said so, the outdated draft replaces the live version.
        Http.Reply replaced = http.post(programme.rules() + "/publish", "{\"version\":3,\"replacesLive\":true}",
                admin);
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(200);
        assertThat(sell(programme, "40.00", "beauty").getJsonNumber("pointsEarned").longValue()).isEqualTo(80);
    }

    @Test
    void aReplayedSaleIsDecidedOnTheTillsClockAsItWasAtTheTill() {
        Programme programme = newProgramme(",\"timeZone\":\"UTC\"");
        // 23:30 yesterday in UTC, the programme's zone, is 01:30 today on the till's clock (+02:00).
        OffsetDateTime atTill = LocalDate.now(ZoneOffset.UTC).minusDays(1).atTime(23, 30).atOffset(ZoneOffset.UTC)
                .withOffsetSameInstant(ZoneOffset.ofHours(2));
        String receipt = receipt();
        sell(programme, receipt, "40.00", atTill);
        Map<String, String> files = liveFiles(programme);
        files.put("earning/day-bonus.drl", """
                package org.loyaltyengine.rules.it;

                import java.time.DayOfWeek;
                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;

                rule "day-bonus"
                when
                    Purchase( dayOfWeek == DayOfWeek.%s )
                then
                    insert( new PointsAward( "day-bonus", 100 ) );
                end
                """.formatted(atTill.getDayOfWeek()));
        int draft = http.put(programme.rules(), rulesBody("A bonus on the till's day", files), admin).json()
                .getInt("version");

        JsonObject replayed = http.post(programme.rules() + "/simulate", "{\"version\":" + draft + ",\"replayFrom\":\""
                + atTill.minusHours(1) + "\",\"replayTo\":\"" + atTill.plusHours(1) + "\"}", admin).json();

        assertThat(replayed.getJsonArray("outcomes").getValuesAs(JsonObject.class))
                .extracting(outcome -> outcome.getString("receiptId") + " " + outcome.getJsonNumber("difference"))
                .as("the sale was made on " + atTill.getDayOfWeek() + " by the till's clock")
                .containsExactly(receipt + " 100");
    }

    @Test
    void aRollbackGoesOnlyToAVersionThatWasLiveNotPastThePublishingChecksToADraft() {
        Programme programme = newProgramme();
        Map<String, String> nothing = new java.util.HashMap<>();
        nothing.put("earning/empty.drl", "package org.loyaltyengine.rules.it;\n");
        http.put(programme.rules(), rulesBody("Only a package line", nothing), admin);
        assertThat(http.post(programme.rules() + "/publish", "{\"version\":2}", admin).json().getString("error"))
                .isEqualTo("earns_nothing");

        Http.Reply refused = http.post(programme.rules() + "/rollback", "{\"version\":2}", admin);

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().getString("error")).isEqualTo("never_live");
        assertThat(http.post(programme.rules() + "/rollback", "{\"version\":99}", admin).status()).isEqualTo(404);
        assertThat(sell(programme, "40.00", "grocery").getJsonNumber("pointsEarned").longValue()).isEqualTo(40);
        // Saved without the version it was opened on (a client of the contract), a version publishes as it did.
        Map<String, String> doubled = liveFiles(programme);
        doubled.put("earning/double-points.drl", DOUBLE_POINTS);
        Http.Reply third = http.put(programme.rules(), rulesBody("Double", doubled), admin);
        Http.Reply fourth = http.put(programme.rules(), rulesBody("Double again", doubled), admin);
        assertThat(http.post(programme.rules() + "/publish", "{\"version\":" + third.json().getInt("version") + "}",
                admin).status()).isEqualTo(200);
        assertThat(http.post(programme.rules() + "/publish", "{\"version\":" + fourth.json().getInt("version") + "}",
                admin).status()).isEqualTo(200);
    }

    @Test
    void eachRollbackStepsOnePublicationFurtherBackAndTheFirstVersionCannotBeRolledBack() {
        Programme programme = newProgramme();
        publishWith(programme, "Double points", "earning/double-points.drl", DOUBLE_POINTS);
        publishWith(programme, "And a beauty multiplier", "earning/multipliers.csv", BEAUTY_TABLE);

        Http.Reply first = http.post(programme.rules() + "/rollback", "{\"comment\":\"beauty too generous\"}", admin);
        JsonObject underV2 = sell(programme, "40.00", "beauty");
        Http.Reply second = http.post(programme.rules() + "/rollback", "{\"comment\":\"double too\"}", admin);
        JsonObject underV1 = sell(programme, "40.00", "beauty");
        Http.Reply third = http.post(programme.rules() + "/rollback", "{}", admin);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(first.json().getInt("version")).isEqualTo(2);
        assertThat(underV2.getJsonNumber("pointsEarned").longValue()).isEqualTo(80);
        assertThat(second.status()).as(second.body()).isEqualTo(200);
        assertThat(second.json().getInt("version")).as("one publication further back, not v3 again").isEqualTo(1);
        assertThat(underV1.getJsonNumber("pointsEarned").longValue()).isEqualTo(40);
        assertThat(lastEntry(programme, underV1).getString("ruleSet")).isEqualTo(programme.code() + " v1");
        assertThat(third.status()).as(third.body()).isEqualTo(409);
        assertThat(third.json().getString("error")).isEqualTo("nothing_to_roll_back");
        assertThat(http.get(programme.rules(), admin).json().getInt("version")).as("v1 stays live").isEqualTo(1);
        assertThat(http.get(programme.rules() + "/history", admin).array().getValuesAs(JsonObject.class))
                .extracting(p -> p.getString("action") + " v" + p.getInt("version"))
                .containsExactly("ROLLBACK v1", "ROLLBACK v2", "PUBLISH v3", "PUBLISH v2", "PUBLISH v1");
    }

    @Test
    void aRuleThatFailsAsItRunsIsNamedBySimulationAndRefusedAtPublishingWhileSalesKeepEarning() {
        Programme programme = newProgramme();
        Map<String, String> files = liveFiles(programme);
        files.put("earning/divide.drl", DIVIDES_BY_ZERO);
        Http.Reply saved = http.put(programme.rules(), rulesBody("Divides by zero", files), admin);
        assertThat(saved.status()).as("it compiles: " + saved.body()).isEqualTo(201);
        String receipt = receipt();

        Http.Reply simulated = http.post(programme.rules() + "/simulate", "{\"version\":2,\"transactions\":["
                + saleBody(programme, receipt, "40.00", "grocery") + "]}", admin);
        Http.Reply published = http.post(programme.rules() + "/publish", "{\"version\":2}", admin);

        assertThat(simulated.status()).as(simulated.body()).isEqualTo(422);
        assertThat(simulated.json().getString("error")).isEqualTo("rules_invalid");
        Http.Reply dollars = http.post(programme.rules() + "/simulate", "{\"version\":2,\"transactions\":["
                + saleBody(programme, receipt(), "40.00", "grocery").replace("\"EUR\"", "\"USD\"") + "]}", admin);
        assertThat(dollars.status()).as("checked as at the till: " + dollars.body()).isEqualTo(400);
        assertThat(dollars.json().getString("field")).isEqualTo("transactions[0].currency");
        JsonObject problem = simulated.json().getJsonArray("errors").getJsonObject(0);
        assertThat(problem.getString("rule")).isEqualTo("divides-by-zero");
        assertThat(problem.getString("source")).isEqualTo("earning/divide.drl");
        assertThat(problem.getInt("line")).isEqualTo(6);
        assertThat(problem.getString("message")).contains(receipt).contains("/ by zero");
        assertThat(published.status()).as("no sale yet: refused on a made-up sale, " + published.body())
                .isEqualTo(422);
        assertThat(published.json().getString("error")).isEqualTo("rules_invalid");
        assertThat(published.json().getJsonArray("errors").getJsonObject(0).getString("rule"))
                .isEqualTo("divides-by-zero");
        JsonObject sale = sell(programme, "40.00", "grocery");
        assertThat(sale.getJsonNumber("pointsEarned").longValue()).isEqualTo(40);
        assertThat(lastEntry(programme, sale).getString("ruleSet")).isEqualTo(programme.code() + " v1");

        // A rule that fails only on the wine a member bought is found on the programme's latest sales.
        JsonObject wine = sell(programme, "12.00", "wine");
        Map<String, String> withWine = liveFiles(programme);
        withWine.put("earning/wine.drl", WINE_DIVIDES_BY_ZERO);
        int version = http.put(programme.rules(), rulesBody("Wine", withWine), admin).json().getInt("version");
        Http.Reply refused = http.post(programme.rules() + "/publish", "{\"version\":" + version + "}", admin);

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        JsonObject wineProblem = refused.json().getJsonArray("errors").getJsonObject(0);
        assertThat(wineProblem.getString("rule")).isEqualTo("wine-divides-by-zero");
        assertThat(wineProblem.getString("message")).contains(wine.getString("transactionId"));
        assertThat(http.get(programme.rules() + "/history", admin).array()).as("nothing went live").hasSize(1);
        assertThat(sell(programme, "12.00", "wine").getJsonNumber("pointsEarned").longValue()).isEqualTo(12);
    }

    @Test
    void aRuleThatFailsOnlyWhenAnOfferIsPresentedIsRefusedAtPublishing() {
        Programme programme = newProgramme();
        sell(programme, "20.00", "grocery");
        Http.Reply offer = http.post("api/v1/admin/programmes/" + programme.code() + "/offers", "{\"code\":\"COFFEE2\","
                + "\"title\":\"Double on coffee\",\"kind\":\"CATEGORY_MULTIPLIER\",\"multiplier\":2,"
                + "\"category\":\"coffee\",\"validDays\":10,\"holdoutPercent\":0}", admin);
        assertThat(offer.status()).as(offer.body()).isEqualTo(201);
        Map<String, String> files = liveFiles(programme);
        files.put("offers/redeeming.drl", """
                package org.loyaltyengine.rules.it;

                import org.loyaltyengine.rules.fact.OfferInUse;
                import org.loyaltyengine.rules.decision.PointsAward;

                rule "offer-divides"
                when
                    OfferInUse( $m : multiplier, multiplier > 0 )
                then
                    insert( new PointsAward( "offer-divides", 10 / ($m - 2) ) );
                end
                """);
        int version = http.put(programme.rules(), rulesBody("Offers", files), admin).json().getInt("version");

        Http.Reply published = http.post(programme.rules() + "/publish", "{\"version\":" + version + "}", admin);

        assertThat(published.status()).as("no sale presented an offer yet: " + published.body()).isEqualTo(422);
        JsonObject problem = published.json().getJsonArray("errors").getJsonObject(0);
        assertThat(problem.getString("rule")).isEqualTo("offer-divides");
        assertThat(problem.getString("message")).contains("offers presented");
        assertThat(http.get(programme.rules(), admin).json().getInt("version")).as("v1 stays live").isEqualTo(1);
    }

    @Test
    void aLiveRuleThatFailsOnASaleNamesTheRuleRecordsNothingAndTheSaleIsCreditedOnceTheRulesAreRolledBack() {
        Programme programme = newProgramme();
        long before = publishedUntriedOnWine(programme, "earning/wine.drl", WINE_DIVIDES_BY_ZERO, "Wine, never sold yet");
        String receipt = receipt();

        Http.Reply failed = http.post("api/v1/pos/transactions", saleBody(programme, receipt, "12.00", "wine"),
                programme.till());

        assertThat(failed.status()).as(failed.body()).isEqualTo(500);
        assertThat(failed.json().getString("error")).isEqualTo("rule_failed");
        assertThat(failed.json().getString("rule")).isEqualTo("wine-divides-by-zero");
        assertThat(failed.json().getString("source")).isEqualTo("earning/wine.drl");
        assertThat(failed.json().getString("message")).contains("wine-divides-by-zero").contains("/ by zero")
                .contains("nothing was recorded");
        assertThat(failed.json().isNull("field")).isTrue();
        assertThat(available(programme)).isEqualTo(before);
        assertThat(sell(programme, "20.00", "grocery").getJsonNumber("pointsEarned").longValue())
                .as("sales without wine go on earning").isEqualTo(20);

        // The manager simulates the fix on such a sale: the fix's figures, and the live set's failure named as its.
        Map<String, String> fixed = liveFiles(programme);
        fixed.remove("earning/wine.drl");
        int fix = http.put(programme.rules(), rulesBody("Without the wine rule", fixed), admin).json()
                .getInt("version");
        Http.Reply simulatedFix = http.post(programme.rules() + "/simulate", "{\"version\":" + fix
                + ",\"transactions\":[" + saleBody(programme, receipt(), "12.00", "wine") + "]}", admin);
        assertThat(simulatedFix.status()).as("the live set's failure is not the fix's: " + simulatedFix.body())
                .isEqualTo(200);
        JsonObject outcome = simulatedFix.json().getJsonArray("outcomes").getJsonObject(0);
        assertThat(outcome.getJsonNumber("draftPoints").longValue()).isEqualTo(12);
        assertThat(outcome.getJsonArray("liveRules").getJsonObject(0).getString("rule"))
                .isEqualTo("live set failed: rule wine-divides-by-zero");

        assertThat(http.post(programme.rules() + "/rollback", "{}", admin).status()).isEqualTo(200);
        Http.Reply again = http.post("api/v1/pos/transactions", saleBody(programme, receipt, "12.00", "wine"),
                programme.till());
        assertThat(again.status()).as("the till sends it again: " + again.body()).isEqualTo(201);
        assertThat(again.json().getJsonNumber("pointsEarned").longValue()).isEqualTo(12);
        assertThat(available(programme)).isEqualTo(before + 20 + 12);
    }

    @Test
    void aRuleThatAwardsMoreThanAnyPurchaseMayEarnCreditsNothingAndIsRolledBack() {
        Programme programme = newProgramme();
        long before = publishedUntriedOnWine(programme, "earning/huge.drl", WINE_DIVIDES_BY_ZERO
                .replace("wine-divides-by-zero", "huge").replace("10 / ($q - $q)", "9223372036854775000L"),
                "A long where points were meant");
        String receipt = receipt();

        Http.Reply failed = http.post("api/v1/pos/transactions", saleBody(programme, receipt, "12.00", "wine"),
                programme.till());

        assertThat(failed.status()).as(failed.body()).isEqualTo(500);
        assertThat(failed.json().getString("error")).isEqualTo("rule_failed");
        assertThat(failed.json().getString("rule")).isEqualTo("huge");
        assertThat(failed.json().getString("message")).contains("beyond the 10000000");
        assertThat(available(programme)).as("nothing credited, nothing wrapped round").isEqualTo(before);
        Http.Reply dashboard = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/dashboard", admin);
        assertThat(dashboard.status()).as(dashboard.body()).isEqualTo(200);

        assertThat(http.post(programme.rules() + "/rollback", "{}", admin).status()).isEqualTo(200);
        Http.Reply again = http.post("api/v1/pos/transactions", saleBody(programme, receipt, "12.00", "wine"),
                programme.till());
        assertThat(again.status()).as("the till sends it again: " + again.body()).isEqualTo(201);
        assertThat(again.json().getJsonNumber("pointsEarned").longValue()).isEqualTo(12);
        assertThat(available(programme)).isEqualTo(before + 12);
    }

    @Test
    void aVersionThatEarnsNothingIsRefusedUnlessTheManagerSaysSo() {
        Programme programme = newProgramme();
        sell(programme, "20.00", "grocery");
        int version = http.put(programme.rules(), rulesBody("Only a package line", Map.of("earning/none.drl",
                "package org.loyaltyengine.rules.it;\n")), admin).json().getInt("version");

        Http.Reply refused = http.post(programme.rules() + "/publish", "{\"version\":" + version + "}", admin);

        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.json().getString("error")).isEqualTo("earns_nothing");
        assertThat(refused.json().getString("message")).contains("earnsNothing");
        assertThat(sell(programme, "20.00", "grocery").getJsonNumber("pointsEarned").longValue())
                .as("the live rules keep serving").isEqualTo(20);
        Http.Reply meant = http.post(programme.rules() + "/publish", "{\"version\":" + version
                + ",\"earnsNothing\":true,\"comment\":\"Earning paused\"}", admin);
        assertThat(meant.status()).as(meant.body()).isEqualTo(200);
        assertThat(sell(programme, "20.00", "grocery").getJsonNumber("pointsEarned").longValue()).isZero();
        assertThat(http.post(programme.rules() + "/rollback", "{}", admin).status()).isEqualTo(200);
        assertThat(sell(programme, "20.00", "grocery").getJsonNumber("pointsEarned").longValue()).isEqualTo(20);
    }

    private long available(Programme programme) {
        return http.get("api/v1/pos/cards/" + programme.card(), programme.till()).json()
                .getJsonNumber("availablePoints").longValue();
    }

    @Test
    void definingWithdrawingAndReinstatingAnOfferAreInTheAuditLog() {
        Programme programme = newProgramme();
        String offers = "api/v1/admin/programmes/" + programme.code() + "/offers";

        Http.Reply defined = http.post(offers, "{\"code\":\"coffee-5\",\"title\":\"5 points on coffee\","
                + "\"kind\":\"BONUS_POINTS\",\"points\":5}", admin);
        Http.Reply withdrawn = http.post(offers + "/COFFEE-5/withdraw", "{}", admin);
        Http.Reply again = http.post(offers + "/COFFEE-5/withdraw", "{}", admin);
        Http.Reply reinstated = http.post(offers + "/COFFEE-5/reinstate", "{}", admin);

        assertThat(defined.status()).as(defined.body()).isEqualTo(201);
        assertThat(withdrawn.status()).as(withdrawn.body()).isEqualTo(200);
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(reinstated.json().getBoolean("active")).isTrue();
        List<JsonObject> audit = http.get("api/v1/admin/programmes/" + programme.code() + "/audit", admin).array()
                .getValuesAs(JsonObject.class).stream().filter(line -> line.getString("subject").equals("COFFEE-5"))
                .toList();
        assertThat(audit).extracting(line -> line.getString("action") + " by " + line.getString("actor"))
                .as("newest first; withdrawing a withdrawn offer changes nothing").containsExactly(
                        "OFFER_REINSTATED by admin@demo.local", "OFFER_WITHDRAWN by admin@demo.local",
                        "OFFER_DEFINED by admin@demo.local");
        Http.Reply huge = http.post(offers, "{\"code\":\"BEAUTY-X\",\"title\":\"Beauty\",\"kind\":"
                + "\"CATEGORY_MULTIPLIER\",\"multiplier\":1000000,\"category\":\"beauty\"}", admin);
        assertThat(huge.status()).as(huge.body()).isEqualTo(400);
        assertThat(huge.json().getString("field")).isEqualTo("multiplier");
    }

    @Test
    void theDashboardAndTheActivityReportCountTheSamePointsIssued() {
        Programme programme = newProgramme();
        String memberId = http.get("api/v1/pos/cards/" + programme.card(), programme.till()).json()
                .getString("memberId");
        sell(programme, "40.00", "grocery");
        String adjustments = "api/v1/admin/members/" + memberId + "/adjustments";
        assertThat(http.post(adjustments, "{\"points\":30,\"reason\":\"Welcome gift\"}", admin).status())
                .isEqualTo(201);
        assertThat(http.post(adjustments, "{\"points\":-5,\"reason\":\"Correction\"}", admin).status())
                .isEqualTo(201);
        String reports = "api/v1/admin/programmes/" + programme.code() + "/reports/";
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        JsonObject dashboard = http.get(reports + "dashboard?weeks=2", admin).json();
        JsonObject activity = http.get(reports + "activity?from=" + today + "&to=" + today, admin).json();
        Http.Reply oneWeek = http.get(reports + "dashboard?weeks=1", admin);

        long week = dashboard.getJsonArray("weeks").getJsonObject(1).getJsonNumber("issued").longValue();
        assertThat(week).as("40 earned and a 30-point gift; a debit is not issuing").isEqualTo(70);
        assertThat(activity.getJsonNumber("pointsIssued").longValue()).as("the same on the other tab").isEqualTo(70);
        assertThat(oneWeek.status()).as(oneWeek.body()).isEqualTo(200);
        assertThat(oneWeek.json().getJsonArray("weeks").getJsonObject(0).getJsonNumber("issued").longValue())
                .isEqualTo(70);
    }

    @Test
    void tiersAndRewardsAreCheckedAndCanBeEdited() {
        Programme programme = newProgramme();
        String setUp = "api/v1/admin/programmes/" + programme.code();
        Http.Reply blank = http.post(setUp + "/tiers", "{\"code\":\"silver\",\"name\":\"   \","
                + "\"minimumPoints\":1000}", admin);
        Http.Reply tooHigh = http.post(setUp + "/tiers", "{\"code\":\"silver\",\"minimumPoints\":"
                + Long.MAX_VALUE + "}", admin);
        Http.Reply silver = http.post(setUp + "/tiers", "{\"code\":\"silver\",\"name\":\"Silver\","
                + "\"minimumPoints\":1000}", admin);
        http.post(setUp + "/tiers", "{\"code\":\"GOLD\",\"minimumPoints\":5000}", admin);
        Http.Reply reward = http.post(setUp + "/rewards", "{\"rewardId\":\"r-lounge\",\"name\":\"Lounge\","
                + "\"points\":800,\"tier\":\"silver\",\"stock\":10}", admin);
        Http.Reply dearReward = http.post(setUp + "/rewards", "{\"rewardId\":\"r-car\",\"name\":\"Car\","
                + "\"points\":9000000000000}", admin);

        assertThat(blank.status()).as(blank.body()).isEqualTo(400);
        assertThat(blank.json().getString("field")).isEqualTo("name");
        assertThat(tooHigh.status()).as(tooHigh.body()).isEqualTo(400);
        assertThat(tooHigh.json().getString("error")).isEqualTo("invalid_field");
        assertThat(silver.status()).as(silver.body()).isEqualTo(201);
        assertThat(reward.status()).as("tier silver is SILVER: " + reward.body()).isEqualTo(201);
        assertThat(reward.json().getString("tier")).isEqualTo("SILVER");
        assertThat(dearReward.status()).as(dearReward.body()).isEqualTo(400);

        Http.Reply renamed = http.put(setUp + "/tiers/silver", "{\"name\":\"Argent\",\"minimumPoints\":1500}",
                admin);
        Http.Reply crossing = http.put(setUp + "/tiers/SILVER", "{\"minimumPoints\":5000}", admin);
        Http.Reply blankEdit = http.put(setUp + "/tiers/SILVER", "{\"name\":\" \",\"minimumPoints\":1500}",
                admin);
        Http.Reply repriced = http.put(setUp + "/rewards/r-lounge", "{\"name\":\"Lounge access\",\"points\":"
                + "600,\"tier\":\"gold\",\"stock\":4}", admin);

        assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
        assertThat(renamed.json().getJsonArray("tiers").getValuesAs(JsonObject.class))
                .extracting(t -> t.getString("code") + " " + t.getString("name") + " " + t.getInt("minimumPoints"))
                .containsExactly("MEMBER Member 0", "SILVER Argent 1500", "GOLD GOLD 5000");
        assertThat(crossing.status()).as(crossing.body()).isEqualTo(422);
        assertThat(crossing.json().getString("error")).isEqualTo("tier_order");
        assertThat(blankEdit.status()).as(blankEdit.body()).isEqualTo(400);
        assertThat(repriced.status()).as(repriced.body()).isEqualTo(200);
        assertThat(repriced.json().getString("name")).isEqualTo("Lounge access");
        assertThat(repriced.json().getInt("points")).isEqualTo(600);
        assertThat(repriced.json().getString("tier")).isEqualTo("GOLD");
        assertThat(repriced.json().getInt("stock")).isEqualTo(4);
        // A page read the stock at 4; one is taken meanwhile (by a redemption, here by another manager's edit).
        http.put(setUp + "/rewards/r-lounge", "{\"name\":\"Lounge access\",\"points\":600,\"tier\":\"gold\","
                + "\"stock\":3}", admin);
        Http.Reply typoFixed = http.put(setUp + "/rewards/r-lounge", "{\"name\":\"Lounge Access\",\"points\":600,"
                + "\"tier\":\"gold\",\"stock\":4,\"stockWas\":4}", admin);
        Http.Reply restocked = http.put(setUp + "/rewards/r-lounge", "{\"name\":\"Lounge Access\",\"points\":600,"
                + "\"tier\":\"gold\",\"stock\":10,\"stockWas\":4}", admin);
        assertThat(typoFixed.status()).as(typoFixed.body()).isEqualTo(200);
        assertThat(typoFixed.json().getString("name")).isEqualTo("Lounge Access");
        assertThat(typoFixed.json().getInt("stock")).as("the stock left untouched keeps what was taken since")
                .isEqualTo(3);
        assertThat(restocked.status()).as(restocked.body()).isEqualTo(409);
        assertThat(restocked.json().getString("error")).isEqualTo("stock_changed");
        // A script sends the new price only: the tier and the stock stay; a field sent as null is cleared.
        Http.Reply priceOnly = http.put(setUp + "/rewards/r-lounge", "{\"points\":650}", admin);
        assertThat(priceOnly.status()).as(priceOnly.body()).isEqualTo(200);
        assertThat(priceOnly.json().getInt("points")).isEqualTo(650);
        assertThat(priceOnly.json().getString("tier")).isEqualTo("GOLD");
        assertThat(priceOnly.json().getInt("stock")).isEqualTo(3);
        assertThat(priceOnly.json().getString("name")).isEqualTo("Lounge Access");
        JsonObject forAll = http.put(setUp + "/rewards/r-lounge", "{\"tier\":null}", admin).json();
        assertThat(forAll.get("tier")).as(forAll.toString()).isIn(null, jakarta.json.JsonValue.NULL);
        assertThat(forAll.getInt("stock")).isEqualTo(3);
        Http.Reply unknown = http.put(setUp + "/rewards/r-lounge", "{\"price\":10}", admin);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().getString("error")).isEqualTo("unknown_field");
        assertThat(unknown.json().getString("field")).isEqualTo("price");
        Http.Reply fraction = http.put(setUp + "/rewards/r-lounge", "{\"points\":6.5}", admin);
        assertThat(fraction.status()).isEqualTo(400);
        assertThat(fraction.json().getString("field")).isEqualTo("points");
        assertThat(http.put(setUp + "/rewards/r-lounge", "{\"points\":\"660\"}", admin).json().getInt("points"))
                .as("a whole number as the other bodies take it").isEqualTo(660);
        Http.Reply wrongType = http.put(setUp + "/rewards/r-lounge", "{\"tier\":5}", admin);
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().getString("error")).isEqualTo("malformed_body");
        assertThat(http.put(setUp + "/rewards/r-lounge", "{\"points\":650.0,\"stockWas\":9}", admin).json()
                .getInt("stock")).as("no stock sent: the stock as it is, whatever stockWas says").isEqualTo(3);
        Http.Reply broken = http.put(setUp + "/rewards/r-lounge", "{\"points\":", admin);
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().getString("error")).isEqualTo("malformed_body");
        assertThat(http.get(setUp + "/rewards", admin).body()).as("refused edits changed nothing").contains("650");
        assertThat(http.get(setUp + "/audit", admin).array().getValuesAs(JsonObject.class))
                .extracting(line -> line.getString("action")).contains("TIER_EDITED", "REWARD_EDITED");
        long tierEdits = http.get(setUp + "/audit", admin).array().getValuesAs(JsonObject.class).stream()
                .filter(line -> line.getString("action").equals("TIER_EDITED")).count();
        assertThat(http.put(setUp + "/tiers/SILVER", "{\"name\":\"Argent\",\"minimumPoints\":1500}", admin).status())
                .isEqualTo(200);
        assertThat(http.get(setUp + "/audit", admin).array().getValuesAs(JsonObject.class).stream()
                .filter(line -> line.getString("action").equals("TIER_EDITED")).count())
                .as("the form saved unchanged: nothing for the audit log").isEqualTo(tierEdits);
    }

    @Test
    void aRedemptionRuleOfThePublishedSetRefusesWithItsReason() {
        Programme programme = newProgramme();
        publishWith(programme, "Minimum balance", "redemption/minimum.drl", MINIMUM_BALANCE);
        sell(programme, "120.00", "grocery");

        Http.Reply refused = http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + programme.card()
                + "\",\"storeId\":\"X01\",\"receiptId\":\"" + receipt() + "\",\"points\":50}", programme.till());

        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().getString("error")).isEqualTo("redemption_refused");
        assertThat(refused.json().getString("message")).contains("Points can be spent from 500");
        // The till's list of the member's rewards says so before the cashier tries: the points are there, the rule
        // says no.
        assertThat(http.post("api/v1/admin/programmes/" + programme.code() + "/rewards", "{\"rewardId\":\"r-pen\","
                + "\"name\":\"Pen\",\"points\":50}", admin).status()).isEqualTo(201);
        JsonObject pen = http.get("api/v1/pos/cards/" + programme.card() + "/rewards", programme.till()).json()
                .getJsonArray("rewards").getValuesAs(JsonObject.class).stream()
                .filter(reward -> reward.getString("rewardId").equals("r-pen")).findFirst().orElseThrow();
        assertThat(pen.getBoolean("available")).as(pen.toString()).isFalse();
        assertThat(pen.getString("why")).isEqualTo("rule: Points can be spent from 500");
    }

    @Test
    void tierChangesAreLedgerEventsUpgradesAtOnceAndTheYearlyReviewDownOneLevel() {
        // A programme of its own: the review touches every member whose anniversary it is.
        Programme programme = newProgramme();
        String[] manager = admin;
        http.post("api/v1/admin/programmes/" + programme.code() + "/tiers", "{\"code\":\"SILVER\",\"minimumPoints\":1000}",
                admin);
        http.post("api/v1/admin/programmes/" + programme.code() + "/tiers", "{\"code\":\"GOLD\",\"minimumPoints\":5000}",
                admin);
        String memberId = http.get("api/v1/pos/cards/" + programme.card(), programme.till()).json().getString("memberId");

        JsonObject sale = http.post("api/v1/pos/transactions", saleBody(programme, receipt(), "5200.00", "furniture"),
                programme.till()).json();

        assertThat(sale.getString("tier")).isEqualTo("GOLD");
        JsonObject upgrade = tierChange(memberId, manager);
        assertThat(upgrade.getString("reference")).isEqualTo("MEMBER->GOLD");
        assertThat(upgrade.getString("reason")).contains("Upgraded from MEMBER to GOLD");

        LocalDate anniversary = LocalDate.now(ZoneOffset.UTC).plusYears(2);
        String review = "api/v1/admin/programmes/" + programme.code() + "/tier-review";
        JsonObject reviewed = http.post(review, "{\"asOf\":\"" + anniversary + "\"}", manager).json();
        JsonObject again = http.post(review, "{\"asOf\":\"" + anniversary + "\"}", manager).json();

        assertThat(reviewed.getInt("downgraded")).isEqualTo(1);
        assertThat(again.getInt("reviewed")).as("a member is reviewed once a day").isZero();
        JsonObject record = http.get("api/v1/admin/members/" + memberId, manager).json();
        assertThat(record.getJsonObject("account").getString("tier")).as("one level at a time").isEqualTo("SILVER");
        JsonObject downgrade = tierChange(memberId, manager);
        assertThat(downgrade.getString("reference")).isEqualTo("GOLD->SILVER");
        assertThat(downgrade.getString("reason")).startsWith("Yearly review");
    }

    /**
     * A tier rule that fails for one member at the review (a manager's rule reading what that member lacks) leaves
     * that member to the next run: the others are reviewed all the same, and the answer says who failed and why.
     */
    @Test
    void aMemberTheTierRulesFailOnAtTheReviewDoesNotKeepTheOthersFromTheirs() {
        Programme programme = newProgramme();
        http.post("api/v1/admin/programmes/" + programme.code() + "/tiers", "{\"code\":\"GOLD\",\"minimumPoints\":500}",
                admin);
        String failing = http.get("api/v1/pos/cards/" + programme.card(), programme.till()).json()
                .getString("memberId");
        Http.Reply enrolled = http.post("api/v1/admin/programmes/" + programme.code() + "/members", "{\"email\":\"r-"
                + UUID.randomUUID() + "@example.org\",\"firstName\":\"Ines\",\"lastName\":\"Sousa\"}", admin);
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        Programme other = new Programme(programme.code(), programme.till(), enrolled.json().getString("cardNumber"));
        String reviewedMember = enrolled.json().getString("memberId");
        assertThat(sell(programme, "600.00", "furniture").getString("tier")).isEqualTo("GOLD");
        assertThat(sell(other, "600.00", "furniture").getString("tier")).isEqualTo("GOLD");
        // Fails only at a review that finds the member with no qualifying points (two years on), not at a sale.
        publishWith(programme, "Fails at one member's review", "tier/fails-for-one.drl", """
                package org.loyaltyengine.rules.it;

                import org.loyaltyengine.rules.fact.MemberProfile;

                rule "fails-at-one-members-review"
                when
                    MemberProfile( memberId == "%s", $points : qualifyingPoints == 0 )
                then
                    long broken = 1 / $points;
                end
                """.formatted(failing));

        String review = "api/v1/admin/programmes/" + programme.code() + "/tier-review";
        Http.Reply reviewed = http.post(review, "{\"asOf\":\"" + LocalDate.now(ZoneOffset.UTC).plusYears(2) + "\"}",
                admin);

        assertThat(reviewed.status()).as(reviewed.body()).isEqualTo(200);
        assertThat(reviewed.json().getInt("reviewed")).as(reviewed.body()).isEqualTo(1);
        assertThat(reviewed.json().getInt("downgraded")).isEqualTo(1);
        assertThat(reviewed.json().getInt("failed")).isEqualTo(1);
        assertThat(reviewed.json().getString("failure")).contains("fails-at-one-members-review");
        assertThat(http.get("api/v1/admin/members/" + reviewedMember, admin).json().getJsonObject("account")
                .getString("tier")).isNotEqualTo("GOLD");
        assertThat(http.get("api/v1/admin/members/" + failing, admin).json().getJsonObject("account")
                .getString("tier")).as("left as it was, for the next run").isEqualTo("GOLD");
        // The run is the programme's audit trail's, as an expiry's is: who ran it, and what it did.
        assertThat(http.get("api/v1/admin/programmes/" + programme.code() + "/audit", admin).body())
                .contains("TIER_REVIEW_RUN").contains("1 member(s) reviewed, 1 downgraded, 1 failed");
    }

    @Test
    void theRulesCountTheMembersPurchasesAndNotTheirOtherEntries() {
        Programme programme = newProgramme();
        publishWith(programme, "Welcome and second visit", "earning/visits.drl", VISITS);
        String memberId = http.get("api/v1/pos/cards/" + programme.card(), programme.till()).json()
                .getString("memberId");
        Http.Reply gift = http.post("api/v1/admin/members/" + memberId + "/adjustments",
                "{\"points\":30,\"reason\":\"Welcome gift\"}", admin);
        assertThat(gift.status()).as(gift.body()).isEqualTo(201);

        JsonObject first = sell(programme, "40.00", "grocery");
        Http.Reply paid = http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + programme.card()
                + "\",\"storeId\":\"X01\",\"receiptId\":\"" + receipt() + "\",\"points\":50}", programme.till());
        JsonObject second = sell(programme, "40.00", "grocery");
        JsonObject third = sell(programme, "40.00", "grocery");

        assertThat(paid.status()).as(paid.body()).isEqualTo(201);
        assertThat(rules(first)).as("a gift is not a purchase").containsEntry("first-purchase-bonus", 100L)
                .doesNotContainKey("second-visit-bonus");
        assertThat(first.getJsonNumber("pointsEarned").longValue()).isEqualTo(140);
        assertThat(rules(second)).as("nor is paying with points").containsEntry("second-visit-bonus", 7L)
                .doesNotContainKey("first-purchase-bonus");
        assertThat(rules(third)).doesNotContainKeys("first-purchase-bonus", "second-visit-bonus");
        assertThat(third.getJsonNumber("pointsEarned").longValue()).isEqualTo(40);
    }

    @Test
    void aTierIsReachedByTheQualifyingPointsOfTheTierWindowOnly() {
        Programme programme = newProgramme(",\"tierWindowDays\":2");
        http.post("api/v1/admin/programmes/" + programme.code() + "/tiers",
                "{\"code\":\"SILVER\",\"minimumPoints\":100}", admin);

        JsonObject before = sell(programme, receipt(), "80.00", OffsetDateTime.now(ZoneOffset.UTC).minusDays(5));
        JsonObject inside = sell(programme, receipt(), "40.00", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1));
        // A draft doubling the points, simulated on a sale of 35.00: 40 + 70 in the window reach SILVER under it, 40
        // + 35 do not under the live set; the same sale from before the window reaches no tier under either.
        Map<String, String> files = liveFiles(programme);
        files.put("earning/double-points.drl", DOUBLE_POINTS);
        assertThat(http.put(programme.rules(), rulesBody("Double points", files), admin).status()).isEqualTo(201);
        String old = OffsetDateTime.now(ZoneOffset.UTC).minusDays(5).withNano(0).toString();
        String recent = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).withNano(0).toString();
        JsonObject ofOld = http.post(programme.rules() + "/simulate", "{\"version\":2,\"transactions\":["
                + saleBody(programme, receipt(), "35.00", "grocery", old) + "]}", admin).json();
        JsonObject ofRecent = http.post(programme.rules() + "/simulate", "{\"version\":2,\"transactions\":["
                + saleBody(programme, receipt(), "35.00", "grocery", recent) + "]}", admin).json();
        assertThat(ofOld.getJsonNumber("draftPoints").longValue()).isEqualTo(70);
        assertThat(ofOld.getJsonArray("tierChanges")).as(ofOld.toString()).isEmpty();
        assertThat(ofRecent.getJsonArray("tierChanges").getValuesAs(JsonObject.class)).as(ofRecent.toString())
                .extracting(c -> c.getString("tierUnderLive") + " -> " + c.getString("tierUnderDraft"))
                .containsExactly("MEMBER -> SILVER");

        JsonObject reaching = sell(programme, receipt(), "70.00", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1));

        assertThat(before.getJsonNumber("pointsEarned").longValue()).isEqualTo(80);
        assertThat(inside.getString("tier")).as("80 points five days ago and 40 now, the window two days")
                .isEqualTo("MEMBER");
        assertThat(reaching.getString("tier")).as("40 and 70 in the window").isEqualTo("SILVER");
    }

    @Test
    void aThousandRuleSetIsCompiledAndPublishedWhileTheTillsKeepSelling() throws Exception {
        Programme programme = newProgramme();
        StringBuilder drl = new StringBuilder("package org.loyaltyengine.rules.big;\n\n"
                + "import org.loyaltyengine.rules.fact.PurchaseLine;\n"
                + "import org.loyaltyengine.rules.decision.PointsAward;\n");
        for (int i = 0; i < 1_000; i++) {
            drl.append("\nrule \"sku-").append(i).append("\"\nwhen\n    PurchaseLine( sku == \"SKU-").append(i)
                    .append("\", $q : quantity )\nthen\n    insert( new PointsAward( \"sku-").append(i)
                    .append("\", $q * ").append(i % 5 + 1).append("L ) );\nend\n");
        }
        Map<String, String> files = liveFiles(programme);
        files.put("earning/skus.drl", drl.toString());
        java.util.concurrent.atomic.AtomicBoolean publishing = new java.util.concurrent.atomic.AtomicBoolean(true);
        java.util.List<Integer> statuses = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        Thread till = new Thread(() -> {
            while (publishing.get()) {
                statuses.add(http.post("api/v1/pos/transactions", saleBody(programme, receipt(), "10.00", "grocery"),
                        programme.till()).status());
            }
        });
        till.start();

        long started = System.nanoTime();
        Http.Reply saved = http.put(programme.rules(), rulesBody("A thousand SKU bonuses", files), admin);
        Http.Reply published = http.post(programme.rules() + "/publish", "{\"version\":" + saved.json().getInt("version")
                + "}", admin);
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        publishing.set(false);
        till.join();

        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        assertThat(published.status()).as(published.body()).isEqualTo(200);
        assertThat(statuses).as("sales kept being served while the rules compiled").isNotEmpty().containsOnly(201);
        JsonObject sale = http.post("api/v1/pos/transactions", saleBody(programme, receipt(), "10.00", "grocery")
                .replace("\"sku\":\"A\"", "\"sku\":\"SKU-7\""), programme.till()).json();
        assertThat(rules(sale)).containsEntry("sku-7", 3L);
        java.nio.file.Path report = java.nio.file.Path.of("target", "rule-publish-1000.txt");
        java.nio.file.Files.writeString(report, "1,000-rule set: PUT (compile, store) + publish took " + tookMillis
                + " ms; " + statuses.size() + " sales served meanwhile, all 201\n");
        System.out.println(java.nio.file.Files.readString(report));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A programme made for one test, with a till key and one member's card. */
    private record Programme(String code, String[] till, String card) {
        String rules() {
            return "api/v1/admin/programmes/" + code + "/rules";
        }
    }

    private Programme newProgramme() {
        return newProgramme("");
    }

    /** @param fields more fields of the programme's definition, each after a comma */
    private Programme newProgramme(String fields) {
        String code = "RU" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Http.Reply created = http.post("api/v1/admin/programmes", "{\"code\":\"" + code + "\",\"name\":\"Rules "
                + code + "\",\"currency\":\"EUR\",\"pointsExpireAfterDays\":365,\"pendingDays\":0" + fields + "}",
                admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String key = http.post("api/v1/admin/programmes/" + code + "/pos-keys", "{\"storeId\":\"X01\"}", admin).json()
                .getString("key");
        String card = http.post("api/v1/admin/programmes/" + code + "/members", "{\"email\":\"r-" + UUID.randomUUID()
                + "@example.org\",\"firstName\":\"Rui\",\"lastName\":\"Costa\"}", admin).json().getString("cardNumber");
        return new Programme(code, new String[] {"X-Api-Key", key}, card);
    }

    /** The files of the programme's live rule set, by path, to edit. */
    private Map<String, String> liveFiles(Programme programme) {
        return http.get(programme.rules(), admin).json().getJsonArray("files").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(f -> f.getString("path"), f -> f.getString("content"),
                        (a, b) -> a, java.util.HashMap::new));
    }

    /** Publishes the live rule set with one file added. */
    /**
     * A grocery sale, then a version with a wine rule added published: its trial passes, no wine having been sold.
     * Answers the points the programme's member holds then.
     */
    private long publishedUntriedOnWine(Programme programme, String path, String content, String comment) {
        sell(programme, "20.00", "grocery");
        Map<String, String> withWine = liveFiles(programme);
        withWine.put(path, content);
        int version = http.put(programme.rules(), rulesBody(comment, withWine), admin).json().getInt("version");
        Http.Reply published = http.post(programme.rules() + "/publish", "{\"version\":" + version + "}", admin);
        assertThat(published.status()).as("the trial's sales had no wine: " + published.body()).isEqualTo(200);
        return available(programme);
    }

    private void publishWith(Programme programme, String comment, String path, String content) {
        Map<String, String> files = liveFiles(programme);
        files.put(path, content);
        Http.Reply saved = http.put(programme.rules(), rulesBody(comment, files), admin);
        assertThat(saved.status()).as(saved.body()).isEqualTo(201);
        Http.Reply published = http.post(programme.rules() + "/publish", "{\"version\":"
                + saved.json().getInt("version") + "}", admin);
        assertThat(published.status()).as(published.body()).isEqualTo(200);
    }

    private JsonObject sell(Programme programme, String price, String category) {
        Http.Reply reply = http.post("api/v1/pos/transactions", saleBody(programme, receipt(), price, category),
                programme.till());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    /** A sale of one grocery line at a time of the till's. */
    private JsonObject sell(Programme programme, String receipt, String price, OffsetDateTime at) {
        Http.Reply reply = http.post("api/v1/pos/transactions", saleBody(programme, receipt, price, "grocery",
                at.withNano(0).toString()), programme.till());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply.json();
    }

    private JsonObject lastEntry(Programme programme, JsonObject sale) {
        String memberId = http.get("api/v1/pos/cards/" + programme.card(), programme.till()).json()
                .getString("memberId");
        return entries(memberId, admin).stream().filter(e -> e.getString("kind").equals("EARN")).findFirst()
                .orElseThrow();
    }

    private List<JsonObject> entries(String memberId, String[] who) {
        return http.get("api/v1/admin/members/" + memberId + "/transactions?size=50", who).json()
                .getJsonArray("items").getValuesAs(JsonObject.class);
    }

    /** The member's newest tier change. */
    private JsonObject tierChange(String memberId, String[] who) {
        return entries(memberId, who).stream().filter(e -> e.getString("kind").equals("TIER_CHANGE")).findFirst()
                .orElseThrow(() -> new AssertionError("no TIER_CHANGE entry for " + memberId));
    }

    private static Map<String, Long> rules(JsonObject sale) {
        return sale.getJsonArray("appliedRules").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(r -> r.getString("rule"), r -> r.getJsonNumber("points").longValue()));
    }

    private static String rulesBody(String comment, Map<String, String> files) {
        return rulesBody(comment, files, null);
    }

    /** @param openedOn the version the files were edited from, as the rule editor sends it */
    private static String rulesBody(String comment, Map<String, String> files, Integer openedOn) {
        JsonArrayBuilder array = Json.createArrayBuilder();
        files.forEach((path, content) -> array.add(Json.createObjectBuilder().add("path", path)
                .add("content", content)));
        var body = Json.createObjectBuilder().add("comment", comment).add("files", array);
        if (openedOn != null) {
            body.add("openedOn", openedOn);
        }
        return body.build().toString();
    }

    private static String saleBody(Programme programme, String receipt, String price, String category) {
        return saleBody(programme, receipt, price, category, now());
    }

    private static String saleBody(Programme programme, String receipt, String price, String category,
                                   String occurredAt) {
        return "{\"cardNumber\":\"" + programme.card() + "\",\"storeId\":\"X01\",\"receiptId\":\"" + receipt
                + "\",\"occurredAt\":\"" + occurredAt + "\",\"currency\":\"EUR\",\"lines\":[{\"sku\":\"A\","
                + "\"category\":\""
                + category + "\",\"quantity\":1,\"unitPrice\":\"" + price + "\"}]}";
    }

    private static String receipt() {
        return "R-" + UUID.randomUUID();
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).withNano(0).toString();
    }
}
