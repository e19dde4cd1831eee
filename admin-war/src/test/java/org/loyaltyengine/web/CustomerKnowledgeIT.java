package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

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
 * The customer-knowledge cycle on the real WAR in Payara Micro with embedded Derby: sales make scores and segments,
 * the incentive rules give offers, the till and the customer see them, a sale uses one exactly once, and the
 * reports measure it; members come in from a spreadsheet and go out to a campaign only with consent. Every test
 * makes its own programme, with sales dated in the past (its points live 1,000 days).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CustomerKnowledgeIT {

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
    void aMemberWhoFallsAtRiskGetsTheWinBackOfferAtTheTillUsesItAndItIsConsumedOnce() {
        Programme programme = newProgramme();
        // Values longer or larger than the engine keeps are refused before anything is written.
        String offers = "api/v1/admin/programmes/" + programme.code() + "/offers";
        Http.Reply longCategory = http.post(offers, "{\"code\":\"WINBACK\",\"title\":\"Back\",\"kind\":"
                + "\"CATEGORY_MULTIPLIER\",\"multiplier\":2,\"category\":\"" + "c".repeat(65) + "\"}", admin);
        assertError(longCategory, 400, "invalid_field");
        assertThat(longCategory.json().getString("field")).isEqualTo("category");
        assertError(http.post(offers, "{\"code\":\"WINBACK\",\"title\":\"Back\",\"points\":200,"
                + "\"minimumSpend\":\"1e20\"}", admin), 400, "invalid_field");
        Http.Reply halfCent = http.post(offers, "{\"code\":\"WINBACK\",\"title\":\"Back\",\"points\":200,"
                + "\"minimumSpend\":\"10.005\"}", admin);
        assertError(halfCent, 400, "invalid_field");
        assertThat(halfCent.json().getString("message")).as("no amount of EUR").contains("2 decimal(s)");
        defineOffer(programme, "{\"code\":\"WINBACK\",\"title\":\"200 points to welcome you back\",\"kind\":\"BONUS_POINTS\","
                + "\"points\":200,\"minimumSpend\":\"10\",\"validDays\":30,\"holdoutPercent\":0}");
        // An offer no live rule names is taken, and the manager told that nobody will get it as things stand.
        Http.Reply unnamed = http.post(offers, "{\"code\":\"SPRING\",\"title\":\"Spring bonus\",\"points\":50}",
                admin);
        assertThat(unnamed.status()).as(unnamed.body()).isEqualTo(201);
        assertThat(unnamed.json().getBoolean("namedByLiveRules")).isFalse();
        assertThat(http.get(offers, admin).array().getValuesAs(JsonObject.class).stream()
                .map(listed -> listed.getString("code") + "=" + listed.getBoolean("namedByLiveRules")))
                .containsExactly("SPRING=false", "WINBACK=true");
        Member faded = enrol(programme, "Faded", "Regular", "faded-pass-1");
        for (int daysAgo : new int[] {200, 190, 180, 170}) {
            buy(programme, faded, daysAgo, "40.00", "grocery");
        }
        for (int daysAgo : new int[] {3, 5, 8, 12}) {
            buy(programme, enrol(programme, "Recent", "Shopper" + daysAgo, null), daysAgo, "20.00", "grocery");
        }

        JsonObject run = recompute(programme);
        assertThat(run.getJsonObject("perSegment").toString()).isEqualTo("{\"at risk\":1,\"new\":4}");
        assertThat(run.getJsonObject("offers").getInt("granted")).isEqualTo(1);
        assertThat(run.getJsonObject("offers").getJsonObject("perOffer").toString()).isEqualTo("{\"WINBACK\":1}");

        JsonObject atTill = card(programme, faded);
        assertThat(atTill.getJsonArray("offers")).hasSize(1);
        JsonObject offer = atTill.getJsonArray("offers").getJsonObject(0);
        String offerId = offer.getString("offerId");
        assertThat(offerId).startsWith("o-");
        assertThat(offer.getString("title")).isEqualTo("200 points to welcome you back");
        assertThat(OffsetDateTime.parse(offer.getString("expiresAt")).toLocalDate())
                .isEqualTo(LocalDate.now(ZoneOffset.UTC).plusDays(30));
        String[] customer = http.bearer(faded.email(), "faded-pass-1");
        assertThat(http.get("api/v1/me/offers", customer).body()).contains(offerId);
        assertThat(recompute(programme).getJsonObject("offers").getInt("granted"))
                .as("no offer a member already holds").isZero();
        long before = available(programme, faded);
        // A purchase made before the offer was given cannot use it, however late it reaches the engine.
        assertError(http.post("api/v1/pos/transactions", sale(faded.card(), programme.store(), receipt(),
                OffsetDateTime.now(ZoneOffset.UTC).minusDays(2).withNano(0).toString(), List.of(offerId),
                line("grocery", "50.00")), programme.till()), 422, "offer_expired");

        Http.Reply tooSmall = http.post("api/v1/pos/transactions", sale(faded.card(), programme.store(), receipt(),
                now(), List.of(offerId), line("grocery", "9.00")), programme.till());
        assertThat(tooSmall.status()).as(tooSmall.body()).isEqualTo(201);
        assertThat(tooSmall.json().getJsonArray("offersUsed")).as("below the offer's minimum spend").isEmpty();
        assertThat(tooSmall.json().getInt("pointsEarned")).isEqualTo(9);
        assertThat(card(programme, faded).getJsonArray("offers")).as("the offer stays for a later visit").hasSize(1);

        String receipt = receipt();
        String body = sale(faded.card(), programme.store(), receipt, now(), List.of(offerId), line("grocery", "12.00"));
        Http.Reply used = http.post("api/v1/pos/transactions", body, programme.till());
        assertThat(used.status()).as(used.body()).isEqualTo(201);
        assertThat(used.json().getInt("pointsEarned")).isEqualTo(212);
        assertThat(used.json().getJsonArray("offersUsed").getString(0)).isEqualTo(offerId);
        assertThat(used.json().getJsonArray("appliedRules").toString()).contains("offer:WINBACK");

        Http.Reply replay = http.post("api/v1/pos/transactions", body, programme.till());
        assertThat(replay.status()).as("a retried sale answers the same").isEqualTo(200);
        assertThat(replay.json().getJsonArray("offersUsed").getString(0)).isEqualTo(offerId);
        Http.Reply again = http.post("api/v1/pos/transactions", sale(faded.card(), programme.store(), receipt(), now(),
                List.of(offerId), line("grocery", "50.00")), programme.till());
        assertError(again, 409, "offer_used");
        Member other = enrol(programme, "Other", "Member", null);
        assertError(http.post("api/v1/pos/transactions", sale(other.card(), programme.store(), receipt(), now(),
                List.of(offerId), line("grocery", "50.00")), programme.till()), 422, "offer_not_found");

        assertThat(available(programme, faded)).as("9 + 212 points, the offer counted once").isEqualTo(before + 221);
        // A simulation's replay decides the sale with the offer it used: the live set's figure is what it earned.
        String rules = "api/v1/admin/programmes/" + programme.code() + "/rules";
        int live = http.get(rules, admin).json().getInt("version");
        JsonObject replayed = http.post(rules + "/simulate", "{\"version\":" + live + ",\"replayFrom\":\""
                + OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).withNano(0) + "\",\"replayTo\":\""
                + OffsetDateTime.now(ZoneOffset.UTC).plusMinutes(10).withNano(0) + "\"}", admin).json();
        assertThat(replayed.getJsonArray("outcomes").getValuesAs(JsonObject.class))
                .filteredOn(outcome -> outcome.getString("receiptId").equals(receipt))
                .extracting(outcome -> outcome.getJsonNumber("livePoints").longValue() + " live, "
                        + outcome.getJsonNumber("draftPoints").longValue() + " draft")
                .containsExactly("212 live, 212 draft");
        assertThat(card(programme, faded).getJsonArray("offers")).isEmpty();
        assertThat(http.get("api/v1/me/offers", customer).body()).isEqualTo("[]");
        JsonObject response = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/offers/WINBACK",
                admin).json();
        assertThat(response.getInt("given")).isEqualTo(1);
        assertThat(response.getInt("givenBought")).isEqualTo(1);
        assertThat(response.getInt("used")).isEqualTo(1);
        assertThat(response.getJsonNumber("responseRate").bigDecimalValue()).isEqualByComparingTo("1");
        assertThat(response.getJsonObject("givenPerSegment").toString()).isEqualTo("{\"at risk\":1}");

        String campaign = "api/v1/admin/programmes/" + programme.code() + "/campaigns/export.csv?channel=email&segment=at%20risk";
        assertThat(http.get(campaign, admin).body()).as("no consent yet").doesNotContain(faded.email());
        assertThat(http.put("api/v1/me/consents", "{\"email\":true}", customer).json().getBoolean("email")).isTrue();
        assertThat(http.get(campaign, admin).body()).contains(faded.email());
    }

    /**
     * Double points on grocery, used on a basket of grocery and electronics: the offer's points go back with the
     * grocery, not in proportion to the value, and once the whole basket is back the offer is the member's again.
     */
    @Test
    void aCategoryMultipliersPointsGoBackWithItsLinesAndAWholeReturnGivesTheOfferBack() {
        Programme programme = newProgramme();
        defineOffer(programme, "{\"code\":\"WINBACK\",\"title\":\"Double points on grocery\",\"kind\":"
                + "\"CATEGORY_MULTIPLIER\",\"multiplier\":2,\"category\":\"grocery\",\"validDays\":30,"
                + "\"holdoutPercent\":0}");
        Member faded = enrol(programme, "Faded", "Grocer", null);
        for (int daysAgo : new int[] {200, 190, 180, 170}) {
            buy(programme, faded, daysAgo, "40.00", "grocery");
        }
        for (int daysAgo : new int[] {3, 5, 8, 12}) {
            buy(programme, enrol(programme, "Recent", "Shopper" + daysAgo, null), daysAgo, "20.00", "grocery");
        }
        assertThat(recompute(programme).getJsonObject("offers").getInt("granted")).isEqualTo(1);
        String offerId = card(programme, faded).getJsonArray("offers").getJsonObject(0).getString("offerId");
        long before = available(programme, faded);

        Http.Reply sold = http.post("api/v1/pos/transactions", sale(faded.card(), programme.store(), receipt(), now(),
                List.of(offerId), line("grocery", "100.00"), line("electronics", "100.00")), programme.till());
        assertThat(sold.status()).as(sold.body()).isEqualTo(201);
        assertThat(sold.json().getInt("pointsEarned")).as("200 for the basket, 100 more on the grocery")
                .isEqualTo(300);
        String returns = "api/v1/pos/transactions/" + sold.json().getString("transactionId") + "/returns";

        Http.Reply grocery = http.post(returns, "{\"returnId\":\"RET-G\",\"lines\":[{\"sku\":\"SKU-grocery\","
                + "\"quantity\":1}]}", programme.till());
        assertThat(grocery.status()).as(grocery.body()).isEqualTo(201);
        assertThat(grocery.json().getInt("pointsReversed")).as("the grocery's 100 and the offer's 100")
                .isEqualTo(200);
        assertThat(card(programme, faded).getJsonArray("offers")).as("the electronics kept: the offer stays used")
                .isEmpty();
        Http.Reply electronics = http.post(returns, "{\"returnId\":\"RET-E\",\"lines\":[{\"sku\":"
                + "\"SKU-electronics\",\"quantity\":1}]}", programme.till());
        assertThat(electronics.json().getInt("pointsReversed")).isEqualTo(100);
        assertThat(available(programme, faded)).isEqualTo(before);
        assertThat(card(programme, faded).getJsonArray("offers").getValuesAs(JsonObject.class))
                .as("everything back: the offer is the member's again").extracting(offer -> offer.getString("offerId"))
                .containsExactly(offerId);
    }

    @Test
    void anOffersResponseIsMeasuredAgainstTheMembersHeldOutOfIt() {
        Programme programme = newProgramme();
        defineOffer(programme, "{\"code\":\"WINBACK\",\"title\":\"Welcome back\",\"kind\":\"BONUS_POINTS\","
                + "\"points\":100,\"minimumSpend\":\"10\",\"validDays\":30,\"holdoutPercent\":50}");
        // Which members are held out is a stable draw on the member: enrol faded members until the run has both.
        List<Member> given = new java.util.ArrayList<>();
        List<Member> heldOut = new java.util.ArrayList<>();
        while (given.isEmpty() || heldOut.isEmpty()) {
            assertThat(given.size() + heldOut.size()).as("half are held out").isLessThan(40);
            List<Member> faded = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Member member = enrol(programme, "Faded", "Member" + i, null);
                for (int daysAgo : new int[] {200, 190, 180, 170}) {
                    buy(programme, member, daysAgo, "40.00", "grocery");
                }
                faded.add(member);
                // As many recent shoppers, so that the faded ones buy often for the programme: "at risk".
                buy(programme, enrol(programme, "Recent", "Shopper" + i, null), 3 + i, "20.00", "grocery");
            }
            recompute(programme);
            for (Member member : faded) {
                (card(programme, member).getJsonArray("offers").isEmpty() ? heldOut : given).add(member);
            }
        }
        JsonObject before = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/offers/WINBACK",
                admin).json();
        assertThat(before.getInt("given")).isEqualTo(given.size());
        assertThat(before.getInt("heldOut")).isEqualTo(heldOut.size());
        assertThat(before.getInt("givenBought")).as("purchases before the offer do not count").isZero();
        assertThat(before.getInt("heldOutBought")).isZero();

        String offerId = card(programme, given.get(0)).getJsonArray("offers").getJsonObject(0).getString("offerId");
        Http.Reply used = http.post("api/v1/pos/transactions", sale(given.get(0).card(), programme.store(), receipt(),
                now(), List.of(offerId), line("grocery", "30.00")), programme.till());
        assertThat(used.status()).as(used.body()).isEqualTo(201);
        buy(programme, heldOut.get(0), 0, "25.00", "grocery");
        buy(programme, heldOut.get(0), 0, "15.00", "grocery");

        JsonObject response = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/offers/WINBACK",
                admin).json();
        assertThat(response.getInt("givenBought")).isEqualTo(1);
        assertThat(response.getInt("used")).isEqualTo(1);
        assertThat(response.getInt("heldOutBought")).as("one member, twice").isEqualTo(1);
        BigDecimal rate = BigDecimal.ONE.divide(BigDecimal.valueOf(given.size()), 4, java.math.RoundingMode.HALF_UP);
        BigDecimal control = BigDecimal.ONE.divide(BigDecimal.valueOf(heldOut.size()), 4,
                java.math.RoundingMode.HALF_UP);
        assertThat(response.getJsonNumber("responseRate").bigDecimalValue()).isEqualByComparingTo(rate);
        assertThat(response.getJsonNumber("controlResponseRate").bigDecimalValue()).isEqualByComparingTo(control);
        assertThat(response.getJsonNumber("uplift").bigDecimalValue()).isEqualByComparingTo(rate.subtract(control));
        assertThat(response.getJsonObject("givenPerSegment").toString())
                .isEqualTo("{\"at risk\":" + given.size() + "}");
    }

    /** A member who closed their account was one until then: the reports of the days before count them, as gone. */
    @Test
    void aMemberWhoClosedTheirAccountIsCountedAsGoneFromTheReports() {
        Programme programme = newProgramme();
        Member staying = enrol(programme, "Stays", "Here", null);
        Member leaving = enrol(programme, "Leaves", "Soon", "leaving-pass-1");
        for (Member member : List.of(staying, leaving)) {
            buy(programme, member, 20, "30.00", "grocery");
            buy(programme, member, 10, "30.00", "grocery");
        }
        Http.Reply closed = http.post("api/v1/me/close", "{\"password\":\"leaving-pass-1\"}",
                http.bearer(leaving.email(), "leaving-pass-1"));
        assertThat(closed.status()).as(closed.body()).isEqualTo(204);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String reports = "api/v1/admin/programmes/" + programme.code() + "/reports/";
        String period = "?from=" + today.minusDays(5) + "&to=" + today;

        JsonObject attrition = http.get(reports + "attrition" + period, admin).json();
        JsonObject cells = http.get(reports + "migrations" + period, admin).json().getJsonObject("matrix")
                .getJsonObject("cells");

        assertThat(attrition.getInt("activeAtStart")).as(attrition.toString()).isEqualTo(2);
        assertThat(attrition.getInt("lost")).isEqualTo(1);
        assertThat(cells.keySet().stream().mapToInt(from -> cells.getJsonObject(from).getInt("left the programme"))
                .sum()).as(cells.toString()).isEqualTo(1);
    }

    @Test
    void migrationsAttritionAndRepurchaseBetweenTwoDaysHaveTheFiguresTheSalesGive() {
        // The hand-worked data set of KnowledgeMeasuresTest, dated relative to today: "from" is 150 days ago.
        Programme programme = newProgramme();
        Map<String, int[]> purchases = Map.of(
                "m1", new int[] {400, 370, 340, 310, 280, 250, 220, 190, 160, 130, 100, 70, 40, 10},
                "m2", new int[] {500, 450, 400, 350, 300},
                "m3", new int[] {510},
                "m4", new int[] {155, 5},
                "m5", new int[] {100, 70, 40, 20});
        Map<String, Member> members = new java.util.TreeMap<>();
        purchases.forEach((name, days) -> {
            Member member = enrol(programme, "Member", name, null);
            members.put(name, member);
            for (int daysAgo : days) {
                buy(programme, member, daysAgo, "50.00", "grocery");
            }
        });
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String reports = "api/v1/admin/programmes/" + programme.code() + "/reports/";
        String period = "?from=" + today.minusDays(150) + "&to=" + today;

        JsonObject migrations = http.get(reports + "migrations" + period, admin).json();
        JsonObject cells = migrations.getJsonObject("matrix").getJsonObject("cells");
        Map<String, Integer> moved = cells.keySet().stream()
                .flatMap(from -> cells.getJsonObject(from).entrySet().stream()
                        .filter(cell -> cells.getJsonObject(from).getInt(cell.getKey()) > 0)
                        .map(cell -> Map.entry(from + " -> " + cell.getKey(), cells.getJsonObject(from).getInt(cell.getKey()))))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(moved).isEqualTo(Map.of("champions -> champions", 1, "at risk -> hibernating", 1,
                "hibernating -> lost", 1, "new -> promising", 1, "not yet a member -> at risk", 1));

        JsonObject attrition = http.get(reports + "attrition" + period, admin).json();
        assertThat(attrition.getInt("activeAtStart")).isEqualTo(4);
        assertThat(attrition.getInt("lost")).isEqualTo(1);
        assertThat(attrition.getJsonNumber("rate").bigDecimalValue()).isEqualByComparingTo("0.25");

        JsonObject activity = http.get(reports + "activity?from=" + today.minusDays(45) + "&to=" + today, admin).json();
        assertThat(activity.getInt("buyers")).as("m1, m4, m5").isEqualTo(3);
        assertThat(activity.getInt("repeatBuyers")).as("m1 and m5 twice").isEqualTo(2);
        assertThat(activity.getJsonNumber("repurchaseRate").bigDecimalValue()).isEqualByComparingTo("0.6667");
        assertThat(activity.getInt("pointsIssued")).as("points count when credited, as on the dashboard: all 26"
                + " sales of 50 EUR were recorded today, whatever day they were made").isEqualTo(1300);

        // Every entry was recorded this week (or last, should the test cross a Monday), whatever day the sale was.
        assertThat(http.post("api/v1/pos/redemptions", "{\"cardNumber\":\"" + members.get("m1").card()
                + "\",\"storeId\":\"" + programme.store() + "\",\"receiptId\":\"" + receipt()
                + "\",\"points\":100}", programme.till()).status()).isEqualTo(201);
        // Points taken back count too, so that the flow adds up to what is outstanding: a sale of 40 EUR brought
        // back whole, and a manager's debit of 30.
        Http.Reply brought = http.post("api/v1/pos/transactions", sale(members.get("m1").card(), programme.store(),
                receipt(), now(), List.of(), line("grocery", "40.00")), programme.till());
        assertThat(http.post("api/v1/pos/transactions/" + brought.json().getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-FLOW\",\"lines\":[{\"sku\":\"SKU-grocery\",\"quantity\":1}]}",
                programme.till()).status()).isEqualTo(201);
        assertThat(http.post("api/v1/admin/members/" + members.get("m1").id() + "/adjustments",
                "{\"points\":-30,\"reason\":\"Goodwill given twice\"}", admin).status()).isEqualTo(201);
        JsonObject dashboard = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/dashboard",
                admin).json();
        assertThat(dashboard.getInt("members")).isEqualTo(5);
        assertThat(dashboard.getInt("activeMembers")).as("m1, m4, m5 earned in 90 days").isEqualTo(3);
        assertThat(dashboard.getInt("outstandingPoints")).as("26 sales of 50 EUR and one of 40, 100 points redeemed,"
                + " 70 taken back").isEqualTo(1170);
        assertThat(dashboard.getJsonNumber("redemptionRate").doubleValue()).as("100 of 1,340").isEqualTo(7.5);
        List<JsonObject> weeks = dashboard.getJsonArray("weeks").getValuesAs(JsonObject.class);
        assertThat(weeks).hasSize(12);
        assertThat(weeks.stream().mapToInt(week -> week.getInt("issued")).sum()).isEqualTo(1340);
        assertThat(weeks.stream().mapToInt(week -> week.getInt("redeemed")).sum()).isEqualTo(100);
        assertThat(weeks.stream().mapToInt(week -> week.getInt("reversed")).sum()).isEqualTo(70);
        assertThat(weeks.stream().mapToInt(week -> week.getInt("issued") - week.getInt("redeemed")
                - week.getInt("expired") - week.getInt("reversed")).sum()).as("the flow adds up to what is outstanding")
                .isEqualTo(dashboard.getInt("outstandingPoints"));
        JsonObject flow = http.get(reports + "activity?from=" + today.minusDays(1) + "&to=" + today, admin).json();
        assertThat(flow.getInt("pointsReversed")).isEqualTo(70);
        assertThat(weeks.subList(0, 10).stream().mapToInt(week -> week.getInt("issued")).sum())
                .as("nothing recorded before last week").isZero();
        List<String> csv = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/weekly.csv?weeks=3",
                admin).body().lines().toList();
        assertThat(csv).hasSize(4);
        assertThat(csv.get(0)).isEqualTo("week,points_issued,points_redeemed,points_expired,points_reversed");
        assertThat(csv.subList(1, 4).stream().mapToInt(line -> Integer.parseInt(line.split(",")[1])).sum())
                .isEqualTo(1340);
        assertThat(csv.subList(1, 4).stream().mapToInt(line -> Integer.parseInt(line.split(",")[4])).sum())
                .isEqualTo(70);
        assertThat(csv.get(3)).startsWith(weeks.get(11).getString("week") + ",");

        recompute(programme);
        Map<String, Integer> perSegment = http.get(reports + "segments", admin).json().getJsonArray("segments")
                .getValuesAs(JsonObject.class).stream()
                .filter(segment -> segment.getInt("members") > 0)
                .collect(Collectors.toMap(s -> s.getString("segment"), s -> s.getInt("members")));
        assertThat(perSegment)
                .isEqualTo(Map.of("champions", 1, "hibernating", 1, "lost", 1, "promising", 1, "at risk", 1));

        assertError(http.get(reports + "attrition?from=" + today + "&to=" + today.minusDays(1), admin), 400, null);
        assertError(http.get(reports + "migrations?from=yesterday&to=" + today, admin), 400, null);

        // Buyers are counted as the scores count purchases: a sale brought back whole is none, and a duplicate's
        // sales are those of the member it was merged into. m4 buys today and brings it all back; m4's duplicate
        // buys once today and is merged into m4: m4 bought twice in the period (5 days ago, and as the duplicate).
        Http.Reply backWhole = http.post("api/v1/pos/transactions", sale(members.get("m4").card(), programme.store(),
                receipt(), now(), List.of(), line("grocery", "40.00")), programme.till());
        assertThat(http.post("api/v1/pos/transactions/" + backWhole.json().getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-M4\",\"lines\":[{\"sku\":\"SKU-grocery\",\"quantity\":1}]}",
                programme.till()).status()).isEqualTo(201);
        assertThat(http.get(reports + "activity?from=" + today.minusDays(45) + "&to=" + today, admin).json()
                .getInt("repeatBuyers")).as("m1 and m5: m4's second sale came back whole").isEqualTo(2);
        Member duplicate = enrol(programme, "Member", "m4-duplicate", null);
        buy(programme, duplicate, 0, "50.00", "grocery");
        assertThat(http.post("api/v1/admin/members/" + members.get("m4").id() + "/merge", "{\"from\":\""
                + duplicate.id() + "\"}", admin).status()).isEqualTo(200);
        JsonObject counted = http.get(reports + "activity?from=" + today.minusDays(45) + "&to=" + today, admin)
                .json();
        assertThat(counted.getInt("buyers")).as("m1, m4 (with its duplicate), m5").isEqualTo(3);
        assertThat(counted.getInt("repeatBuyers")).as("m1, m5, and m4 by its duplicate's purchase, not by the"
                + " one brought back").isEqualTo(3);
    }

    @Test
    void managersDefineTheirOwnSegmentsAndBadDefinitionsAreRefusedWithTheirLine() {
        Programme programme = newProgramme();
        String settings = "api/v1/admin/programmes/" + programme.code() + "/knowledge/settings";
        Http.Reply wrong = http.put(settings, "{\"segments\":\"vip: M>=5\\nregular: F>=2 Q<3\\nothers: *\"}", admin);
        assertError(wrong, 400, "invalid_segments");
        assertThat(wrong.json().getString("message")).startsWith("Line 2:");
        assertThat(http.get(settings, admin).json().getJsonArray("segmentNames").toString()).contains("champions");

        Http.Reply changed = http.put(settings, "{\"segments\":\"vip: M>=3\\nothers: *\",\"newMemberDays\":0}", admin);
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        Member big = enrol(programme, "Big", "Spender", null);
        Member small = enrol(programme, "Small", "Spender", null);
        buy(programme, big, 3, "300.00", "wine");
        buy(programme, small, 3, "10.00", "wine");

        JsonObject recomputed = recompute(programme);
        assertThat(recomputed.getJsonObject("perSegment").toString()).isEqualTo("{\"others\":1,\"vip\":1}");
        JsonObject report = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/segments", admin).json();
        assertThat(report.getString("computedOn")).isEqualTo(recomputed.getString("asOf"));
        Map<String, String> figures = report.getJsonArray("segments").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(figure -> figure.getString("segment"), figure -> figure.getInt("members")
                        + " members, " + figure.get("averageVisits") + " visits, basket " + figure.get("averageBasket")
                        + ", spend " + figure.get("spend")));
        assertThat(figures).as("the segments' figures as the database sums them").containsOnly(
                Map.entry("vip", "1 members, 1.00 visits, basket 300.00, spend 300.00"),
                Map.entry("others", "1 members, 1.00 visits, basket 10.00, spend 10.00"),
                Map.entry("lost", "0 members, 0.00 visits, basket 0.00, spend 0.00"),
                Map.entry("new", "0 members, 0.00 visits, basket 0.00, spend 0.00"));
        String export = "api/v1/admin/programmes/" + programme.code() + "/campaigns/export.csv?channel=email&segment=";
        assertThat(http.get(export + "VIP", admin).status()).as("vip, as it is kept").isEqualTo(200);
        Http.Reply unknown = http.get(export + "vipp", admin);
        assertThat(unknown.status()).as(unknown.body()).isEqualTo(400);
        assertThat(unknown.json().getString("error")).isEqualTo("segment_not_found");

        // The definitions changed back: until the next recomputation, the members stay in the segments they are in.
        assertThat(http.put(settings, "{\"segments\":\"\"}", admin).status()).isEqualTo(200);
        List<JsonObject> stale = http.get("api/v1/admin/programmes/" + programme.code() + "/reports/segments", admin)
                .json().getJsonArray("segments").getValuesAs(JsonObject.class);
        assertThat(stale).filteredOn(figure -> !figure.getBoolean("defined"))
                .extracting(figure -> figure.getString("segment") + " " + figure.getInt("members"))
                .containsExactly("others 1", "vip 1");
        assertThat(stale.stream().mapToInt(figure -> figure.getInt("members")).sum()).isEqualTo(2);
        assertThat(http.get("api/v1/admin/programmes/" + programme.code() + "/reports/attrition?from=-999999999-01-01"
                + "&to=-999999999-01-02", admin).json().getString("error")).isEqualTo("invalid_date");
    }

    @Test
    void membersImportedFromASpreadsheetAreValidatedDeduplicatedAndReachedOnlyWithTheirConsent() {
        Programme programme = newProgramme();
        Http.Reply existing = http.post("api/v1/admin/programmes/" + programme.code() + "/members",
                "{\"email\":\"zoe.existing@example.org\",\"firstName\":\"Zoe\",\"lastName\":\"Dupond\","
                        + "\"birthDate\":\"1985-03-14\"}", admin);
        assertThat(existing.status()).as(existing.body()).isEqualTo(201);
        String csv = "email;first name;last name;birth date;phone;postal address;consent email;consent sms;consent post\n"
                + "ann@example.org;Ann;Lee;1990-01-02;+44 7700 900123;\"1 High St, Leeds\";yes;no;yes\n"
                + "not-an-email;Bob;Ray;;;;no;no;no\n"
                + "carl@example.org;Carl;Moe;31/02/1980;;;no;no;no\n"
                + "ZOE.EXISTING@example.org;Zoe;Dupond;1985-03-14;;;yes;no;no\n"
                + "zoe.d@example.org;Zoé;Dupont;14/03/1985;;;no;yes;no\n"
                + "dan@example.org;Dan;Kay;;;;yes;no;no\n"
                + "anne.lee@example.org;Anne;Lee;;07700 900123;;no;no;no\n";
        String path = "api/v1/admin/programmes/" + programme.code() + "/members/import";

        Http.Reply imported = http.post(path, "text/csv", csv.getBytes(StandardCharsets.UTF_8), admin);

        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        JsonObject report = imported.json();
        assertThat(report.getInt("rows")).isEqualTo(7);
        assertThat(report.getInt("imported")).isEqualTo(4);
        assertThat(report.getJsonArray("rejected").getValuesAs(JsonObject.class).stream()
                .map(row -> row.getInt("line") + " " + row.getString("code")).toList())
                .containsExactly("3 invalid_email", "4 invalid_date", "5 member_exists");
        assertThat(report.getJsonArray("duplicates")).hasSize(2);
        JsonObject byPhone = report.getJsonArray("duplicates").getValuesAs(JsonObject.class).stream()
                .filter(found -> found.getJsonObject("first").getString("email").equals("ann@example.org"))
                .findFirst().orElseThrow();
        assertThat(byPhone.getJsonObject("second").getString("email")).isEqualTo("anne.lee@example.org");
        assertThat(byPhone.getJsonArray("reasons").getString(0)).as("+44 7700 900123 and 07700 900123")
                .isEqualTo("similar names (1 letter apart) and same phone");
        JsonObject pair = report.getJsonArray("duplicates").getValuesAs(JsonObject.class).stream()
                .filter(found -> found.getJsonObject("second").getString("email").equals("zoe.d@example.org"))
                .findFirst().orElseThrow();
        assertThat(pair.getJsonObject("first").getString("email")).isEqualTo("zoe.existing@example.org");
        assertThat(pair.getJsonObject("second").getString("email")).isEqualTo("zoe.d@example.org");
        assertThat(pair.getJsonArray("reasons").getString(0)).isEqualTo("similar names (1 letter apart) and same birth date");
        assertThat(http.get("api/v1/admin/programmes/" + programme.code() + "/members/duplicates", admin).body())
                .contains("zoe.d@example.org");

        JsonObject again = http.post(path, "text/csv", csv.getBytes(StandardCharsets.UTF_8), admin).json();
        assertThat(again.getInt("imported")).as("a file imported twice adds nobody").isZero();

        String dan = memberId(programme, "dan@example.org");
        assertThat(http.put("api/v1/admin/members/" + dan + "/contact", "{\"emailUndeliverable\":true}", admin).status())
                .isEqualTo(200);
        Http.Reply tooLong = http.put("api/v1/admin/members/" + dan + "/contact",
                "{\"postalAddress\":\"" + "9 Long Road, ".repeat(40) + "\",\"emailUndeliverable\":false}", admin);
        assertError(tooLong, 400, "invalid_field");
        assertThat(tooLong.json().getString("field")).isEqualTo("postalAddress");
        String campaign = "api/v1/admin/programmes/" + programme.code() + "/campaigns/export.csv?channel=";
        String emails = http.get(campaign + "email", admin).body();
        assertThat(emails.lines().toList()).hasSize(2).first().asString().startsWith("memberId,firstName,lastName,email");
        assertThat(emails).contains("ann@example.org").doesNotContain("dan@example.org").doesNotContain("zoe");
        assertThat(http.get(campaign + "post", admin).body()).contains("\"1 High St, Leeds\"");
        assertThat(http.get(campaign + "sms", admin).body().lines().count()).as("Zoé has no phone").isEqualTo(1);
        assertThat(http.get(campaign + "email&segment=" + URLEncoder.encode("at risk", StandardCharsets.UTF_8), admin)
                .body().lines().count()).isEqualTo(1);
        assertError(http.get(campaign + "fax", admin), 400, null);
        assertError(http.post(path, "text/csv", "name;city\nA;B\n".getBytes(StandardCharsets.UTF_8), admin), 400,
                "missing_column");
    }

    @Test
    void anImportNamesEachNewMemberAndTheCardIssuedToThemAndKeepsItsFormerFields() {
        Programme programme = newProgramme();
        String path = "api/v1/admin/programmes/" + programme.code() + "/members/import";
        String csv = "email,firstName,lastName\n"
                + "Ivy.Import@example.org,Ivy,Stone\n"
                + "not-an-email,Bad,Row\n"
                + "\n"
                + "jon.import@example.org, Jon ,Reed\n";

        Http.Reply imported = http.post(path, "text/csv", csv.getBytes(StandardCharsets.UTF_8), admin);

        assertThat(imported.status()).as(imported.body()).isEqualTo(200);
        JsonObject report = imported.json();
        assertThat(report.keySet()).as("the former fields are all kept")
                .contains("rows", "imported", "rejected", "duplicates", "members");
        assertThat(report.getInt("rows")).isEqualTo(3);
        assertThat(report.getInt("imported")).isEqualTo(2);
        assertThat(report.getJsonArray("rejected")).hasSize(1);
        List<JsonObject> members = report.getJsonArray("members").getValuesAs(JsonObject.class);
        assertThat(members).as("one per member enrolled, in the file's order").hasSize(2);
        assertThat(members.stream().map(m -> m.getInt("line") + " " + m.getString("email") + " "
                + m.getString("firstName") + " " + m.getString("lastName")).toList())
                .containsExactly("2 ivy.import@example.org Ivy Stone", "5 jon.import@example.org Jon Reed");
        for (JsonObject member : members) {
            String card = member.getString("cardNumber");
            assertThat(card).as("an EAN-13 in the in-store range").matches("2\\d{12}");
            JsonObject found = http.get("api/v1/admin/programmes/" + programme.code() + "/members?card=" + card, admin)
                    .json();
            assertThat(found.getJsonObject("account").getString("memberId")).as("the card is the member's")
                    .isEqualTo(member.getString("memberId"));
            assertThat(http.get("api/v1/pos/cards/" + card, programme.till()).status()).as("the till knows it")
                    .isEqualTo(200);
        }
        assertThat(members.get(0).getString("memberId")).isEqualTo(memberId(programme, "ivy.import@example.org"));

        JsonObject again = http.post(path, "text/csv", csv.getBytes(StandardCharsets.UTF_8), admin).json();
        assertThat(again.getInt("imported")).isZero();
        assertThat(again.getJsonArray("members")).as("a file imported twice enrols nobody").isEmpty();
    }

    @Test
    void goodsBroughtBackAreNoPurchaseAndScoresAreKeptAsOfTodayOnly() {
        Programme programme = newProgramme();
        Member returner = enrol(programme, "Tv", "Returner", null);
        Member keeper = enrol(programme, "Tv", "Keeper", null);
        for (Member member : List.of(returner, keeper)) {
            Http.Reply sold = http.post("api/v1/pos/transactions", sale(member.card(), programme.store(), receipt(),
                    now(), List.of(), line("electronics", "200.00"), line("tea", "4.00")), programme.till());
            assertThat(sold.status()).as(sold.body()).isEqualTo(201);
            if (member == returner) {
                Http.Reply back = http.post("api/v1/pos/transactions/" + sold.json().getString("transactionId")
                        + "/returns", "{\"returnId\":\"RET-1\",\"lines\":[{\"sku\":\"SKU-electronics\","
                        + "\"quantity\":1},{\"sku\":\"SKU-tea\",\"quantity\":1}]}", programme.till());
                assertThat(back.status()).as(back.body()).isEqualTo(201);
            }
        }
        Member partly = enrol(programme, "Tv", "Partly", null);
        Http.Reply sold = http.post("api/v1/pos/transactions", sale(partly.card(), programme.store(), receipt(),
                now(), List.of(), line("electronics", "200.00"), line("tea", "4.00")), programme.till());
        assertThat(http.post("api/v1/pos/transactions/" + sold.json().getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-2\",\"lines\":[{\"sku\":\"SKU-electronics\",\"quantity\":1}]}",
                programme.till()).status()).isEqualTo(201);

        String today = recompute(programme).getString("asOf");

        JsonObject returned = knowledge(returner);
        assertThat(returned.getInt("frequency")).as("everything came back").isZero();
        assertThat(returned.getJsonNumber("monetary").bigDecimalValue()).isEqualByComparingTo("0");
        assertThat(returned.getString("segment")).as("enrolled today, kept nothing yet").isEqualTo("new");
        JsonObject kept = knowledge(keeper);
        assertThat(kept.getInt("frequency")).isEqualTo(1);
        assertThat(kept.getJsonNumber("monetary").bigDecimalValue()).isEqualByComparingTo("204.00");
        assertThat(kept.getString("favouriteCategory")).isEqualTo("electronics");
        JsonObject part = knowledge(partly);
        assertThat(part.getInt("frequency")).isEqualTo(1);
        assertThat(part.getJsonNumber("monetary").bigDecimalValue()).isEqualByComparingTo("4.00");
        assertThat(part.getString("favouriteCategory")).as("the television came back").isEqualTo("tea");

        // Scores and offers of another day would replace today's: refused, and nothing changes.
        String recomputeAt = "api/v1/admin/programmes/" + programme.code() + "/knowledge/recompute";
        for (String day : List.of(LocalDate.parse(today).minusDays(30).toString(),
                LocalDate.parse(today).plusDays(60).toString())) {
            Http.Reply other = http.post(recomputeAt, "{\"asOf\":\"" + day + "\"}", admin);
            assertError(other, 400, "invalid_field");
            assertThat(other.json().getString("field")).isEqualTo("asOf");
            assertError(http.post("api/v1/admin/programmes/" + programme.code() + "/offers/grant",
                    "{\"asOf\":\"" + day + "\"}", admin), 400, "invalid_field");
        }
        assertThat(knowledge(keeper).getString("computedOn")).isEqualTo(today);
        assertThat(http.post(recomputeAt, "{\"asOf\":\"" + today + "\"}", admin).status()).isEqualTo(200);
    }

    @Test
    void thePurchaseThatQualifiedAMemberForAnOfferIsNoResponseToIt() {
        Programme programme = newProgramme();
        defineOffer(programme, "{\"code\":\"SECOND\",\"title\":\"Come again\",\"kind\":\"BONUS_POINTS\","
                + "\"points\":50,\"minimumSpend\":\"5\",\"validDays\":14,\"holdoutPercent\":0}");
        Member first = enrol(programme, "First", "Visit", null);
        buy(programme, first, 0, "12.00", "bakery");
        assertThat(recompute(programme).getJsonObject("offers").getJsonObject("perOffer").toString())
                .isEqualTo("{\"SECOND\":1}");
        String report = "api/v1/admin/programmes/" + programme.code() + "/reports/offers/SECOND";
        assertThat(http.get(report, admin).json().getInt("givenBought")).as("the same day, before the offer").isZero();
        JsonObject why = http.get("api/v1/admin/members/" + first.id(), admin).json().getJsonArray("offersGiven")
                .getJsonObject(0);
        assertThat(why.getString("code") + " " + why.getString("status") + " by " + why.getString("chosenBy") + " in "
                + why.getString("segment")).as("staff see why").isEqualTo("SECOND OPEN by second-purchase-nudge in new");

        // The offer's 50 points are earned by a basket of 5 EUR: bringing back enough to keep less takes them back
        // whole, with the share of the basket's own points.
        Http.Reply used = http.post("api/v1/pos/transactions", sale(first.card(), programme.store(), receipt(), now(),
                List.of(why.getString("offerId")), line("bakery", "3.00"), line("bakery", "3.00")), programme.till());
        assertThat(used.status()).as(used.body()).isEqualTo(201);
        assertThat(used.json().getInt("pointsEarned")).isEqualTo(56);
        assertThat(http.get(report, admin).json().getInt("givenBought")).isEqualTo(1);
        Http.Reply back = http.post("api/v1/pos/transactions/" + used.json().getString("transactionId") + "/returns",
                "{\"returnId\":\"RET-1\",\"lines\":[{\"sku\":\"SKU-bakery\",\"quantity\":1}]}", programme.till());
        assertThat(back.status()).as(back.body()).isEqualTo(201);
        assertThat(back.json().getInt("pointsReversed")).as("50 of the offer, 3 of the basket's 6").isEqualTo(53);
    }

    private JsonObject knowledge(Member member) {
        Http.Reply reply = http.get("api/v1/admin/members/" + member.id() + "/knowledge", admin);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private JsonObject recompute(Programme programme) {
        Http.Reply reply = http.post("api/v1/admin/programmes/" + programme.code() + "/knowledge/recompute", "{}", admin);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        // Every run by hand is in the programme's audit trail, with what it did.
        assertThat(http.get("api/v1/admin/programmes/" + programme.code() + "/audit", admin).body())
                .contains("KNOWLEDGE_RECOMPUTED").contains("Scores as of " + reply.json().getString("asOf") + " of "
                        + reply.json().getInt("members") + " member(s)");
        return reply.json();
    }

    private void defineOffer(Programme programme, String json) {
        Http.Reply reply = http.post("api/v1/admin/programmes/" + programme.code() + "/offers", json, admin);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    private JsonObject card(Programme programme, Member member) {
        Http.Reply reply = http.get("api/v1/pos/cards/" + member.card(), programme.till());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json();
    }

    private long available(Programme programme, Member member) {
        return card(programme, member).getJsonNumber("availablePoints").longValue();
    }

    private String memberId(Programme programme, String email) {
        return http.get("api/v1/admin/programmes/" + programme.code() + "/members?email=" + email, admin).json()
                .getJsonObject("account").getString("memberId");
    }

    private void buy(Programme programme, Member member, int daysAgo, String price, String category) {
        Http.Reply reply = http.post("api/v1/pos/transactions", sale(member.card(), programme.store(), receipt(),
                OffsetDateTime.now(ZoneOffset.UTC).minusDays(daysAgo).withNano(0).toString(), List.of(),
                line(category, price)), programme.till());
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    }

    private Member enrol(Programme programme, String firstName, String lastName, String password) {
        String email = "ck-" + UUID.randomUUID() + "@example.org";
        Http.Reply reply = http.post("api/v1/admin/programmes/" + programme.code() + "/members", "{\"email\":\"" + email
                + "\",\"firstName\":\"" + firstName + "\",\"lastName\":\"" + lastName + "\""
                + (password == null ? "" : ",\"password\":\"" + password + "\"") + "}", admin);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return new Member(reply.json().getString("memberId"), reply.json().getString("cardNumber"), email);
    }

    private Programme newProgramme() {
        String code = "CK" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        Http.Reply created = http.post("api/v1/admin/programmes", "{\"code\":\"" + code + "\",\"name\":\"Knowledge "
                + code + "\",\"currency\":\"EUR\",\"pointsExpireAfterDays\":1000,\"pendingDays\":0,"
                + "\"timeZone\":\"UTC\"}", admin);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        Http.Reply issued = http.post("api/v1/admin/programmes/" + code + "/pos-keys", "{\"storeId\":\"K01\"}", admin);
        assertThat(issued.status()).as(issued.body()).isEqualTo(201);
        String key = issued.json().getString("key");
        return new Programme(code, "K01", new String[] {"X-Api-Key", key});
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

    private static String receipt() {
        return "K-" + UUID.randomUUID();
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1).withNano(0).toString();
    }

    private static String line(String category, String price) {
        return "{\"sku\":\"SKU-" + category + "\",\"category\":\"" + category + "\",\"quantity\":1,\"unitPrice\":\""
                + price + "\"}";
    }

    private static String sale(String card, String store, String receipt, String occurredAt, List<String> offers,
                               String... lines) {
        return "{\"cardNumber\":\"" + card + "\",\"storeId\":\"" + store + "\",\"terminalId\":\"T1\",\"receiptId\":\""
                + receipt + "\",\"occurredAt\":\"" + occurredAt + "\",\"currency\":\"EUR\",\"lines\":["
                + String.join(",", lines) + "],\"redeemPoints\":0,\"offerIds\":["
                + offers.stream().map(id -> "\"" + id + "\"").collect(Collectors.joining(",")) + "]}";
    }

    private record Member(String id, String card, String email) {
    }

    private record Programme(String code, String store, String[] till) {
    }
}
