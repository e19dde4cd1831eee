package org.loyaltyengine.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loyaltyengine.rules.decision.PointsAward;
import org.loyaltyengine.rules.decision.RedemptionRefusal;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.PurchaseLine;
import org.loyaltyengine.rules.fact.RedemptionRequest;
import org.loyaltyengine.rules.fact.TierThreshold;

/**
 * Every rule family of the example rule set, with exact figures. 2026-11-24 is a Tuesday, 2026-11-25 a
 * Wednesday; the member was born on 1990-06-15 and has made purchases before unless a test says otherwise.
 */
class ExampleRulesTest {

    private static final LocalDateTime TUESDAY = LocalDateTime.of(2026, 11, 24, 15, 0);
    private static final List<TierThreshold> SPEND_TIERS = List.of(new TierThreshold("BRONZE", 0, 0),
            new TierThreshold("SILVER", 1, 500), new TierThreshold("GOLD", 2, 2_000));

    private static CompiledRuleSet examples;

    @BeforeAll
    static void compile() throws RuleSetInvalidException {
        examples = new RuleSetCompiler().compile("EXAMPLES v1", DemoRuleSet.examples());
    }

    @Test
    void baseEarnIsOnePointPerWholeUnitWithGiftCardsAndTobaccoExcluded() {
        Map<String, Long> awards = earn(purchase("S001", TUESDAY, line("BREAD", "bakery", 1, "3.90"),
                line("GIFT-50", "gift-card", 1, "50.00"), line("CIG", "tobacco", 2, "11.00"), line("JAM", "grocery", 3, "2.40")));

        assertThat(awards).isEqualTo(Map.of("base-earn", 11L));
    }

    @Test
    void categoryMultipliersComeFromTheDecisionTable() {
        Map<String, Long> awards = earn(purchase("S001", TUESDAY, line("LIPSTICK", "beauty", 1, "24.90"),
                line("BORDEAUX", "wine", 2, "12.50"), line("BREAD", "bakery", 1, "2.00")));

        // base floor(51.90) = 51; beauty x2 adds 24 (1 per whole euro of 24.90); wine x3 adds 2 x 25 = 50.
        assertThat(awards).isEqualTo(Map.of("base-earn", 51L, "beauty-x2", 24L, "wine-x3", 50L));
    }

    @Test
    void anSkuEarnsItsBonusPerUnit() {
        assertThat(earn(purchase("S001", TUESDAY, line("BIO-MILK", "dairy", 3, "1.20"))))
                .isEqualTo(Map.of("base-earn", 3L, "organic-milk-bonus", 15L));
    }

    @Test
    void pointsDoubleOnWednesdaysAndInTheFlagshipStore() {
        assertThat(earn(purchase("S001", TUESDAY.plusDays(1), line("A", "grocery", 1, "40.00"))))
                .isEqualTo(Map.of("base-earn", 40L, "double-points-wednesday", 40L));
        assertThat(earn(purchase("S900", TUESDAY, line("A", "grocery", 1, "40.00"))))
                .isEqualTo(Map.of("base-earn", 40L, "double-points-flagship", 40L));
    }

    @Test
    void spendingAHundredEarnsTheThresholdBonusButGiftCardsDoNotCountTowardsIt() {
        assertThat(earn(purchase("S001", TUESDAY, line("A", "grocery", 1, "100.00"))))
                .isEqualTo(Map.of("base-earn", 100L, "spend-100-bonus", 50L));
        assertThat(earn(purchase("S001", TUESDAY, line("A", "grocery", 1, "99.99"), line("G", "gift-card", 1, "20.00"))))
                .isEqualTo(Map.of("base-earn", 99L));
    }

    @Test
    void aDateRangePromotionAppliesFromItsFirstToItsLastDay() {
        assertThat(earn(purchase("S001", LocalDateTime.of(2026, 12, 24, 18, 0), line("A", "toys", 1, "20.00"))))
                .containsEntry("christmas-bonus", 5L);
        assertThat(earn(purchase("S001", LocalDateTime.of(2026, 12, 25, 10, 0), line("A", "toys", 1, "20.00"))))
                .doesNotContainKey("christmas-bonus");
    }

    @Test
    void theFirstPurchaseAndTheBirthdayEarnTheirBonuses() {
        Purchase purchase = purchase("S001", TUESDAY, line("A", "grocery", 1, "10.00"));

        assertThat(awards(examples.decideEarning(purchase, member("BRONZE", 0, 0, LocalDate.of(1990, 6, 15)), SPEND_TIERS)))
                .isEqualTo(Map.of("base-earn", 10L, "first-purchase-bonus", 100L));
        assertThat(awards(examples.decideEarning(purchase, member("BRONZE", 0, 5, LocalDate.of(1990, 11, 24)), SPEND_TIERS)))
                .isEqualTo(Map.of("base-earn", 10L, "birthday-bonus", 200L));
    }

    @Test
    void noPurchaseEarnsMoreThanTheCapAndTheCutIsShownAsItsOwnLine() {
        EarningDecision decision = examples.decideEarning(purchase("S900", TUESDAY.plusDays(1),
                line("TV", "electronics", 1, "899.00")), member("BRONZE", 0, 3, null), SPEND_TIERS);

        // 899 base + 899 Wednesday + 899 flagship + 50 threshold = 2,747, capped at 1,000.
        assertThat(decision.totalPoints()).isEqualTo(1_000);
        assertThat(awards(decision)).containsEntry("cap-1000-per-purchase", -1_747L);
    }

    @Test
    void tiersQualifyOnSpendInTheWindowIncludingThisPurchase() {
        EarningDecision decision = examples.decideEarning(purchase("S001", TUESDAY,
                line("A", "grocery", 1, "120.00"), line("G", "gift-card", 1, "500.00")),
                new MemberProfile("m-1", "BRONZE", LocalDate.of(2025, 1, 1), null, 0, 4, new BigDecimal("400.00"),
                        null, null, null, null), SPEND_TIERS);

        assertThat(decision.tierStanding()).get().extracting(standing -> standing.tier()).isEqualTo("SILVER");
        assertThat(examples.decideTier(new MemberProfile("m-1", "GOLD", LocalDate.of(2025, 1, 1), null, 0, 4,
                new BigDecimal("2000.00"), null, null, null, null), SPEND_TIERS))
                .get().extracting(standing -> standing.tier()).isEqualTo("GOLD");
    }

    @Test
    void redemptionNeedsAMinimumBalanceAndGoldRewardsAGoldMember() {
        assertThat(examples.decideRedemption(new RedemptionRequest(100, null, null, 499), member("GOLD", 0, 3, null)))
                .get().extracting(RedemptionRefusal::rule).isEqualTo("minimum-balance-to-redeem");
        assertThat(examples.decideRedemption(new RedemptionRequest(100, null, null, 500), member("BRONZE", 0, 3, null)))
                .isEmpty();
        assertThat(examples.decideRedemption(new RedemptionRequest(300, "r-gold-lounge", null, 900),
                member("SILVER", 0, 3, null))).get().extracting(RedemptionRefusal::rule)
                .isEqualTo("gold-rewards-for-gold-members");
        assertThat(examples.decideRedemption(new RedemptionRequest(300, "r-gold-lounge", null, 900),
                member("GOLD", 0, 3, null))).isEmpty();
    }

    @Test
    void aBrokenDecisionTableIsRefusedWithItsFileNamed() {
        List<RuleSource> broken = List.of(new RuleSource("earning/table.csv",
                "RuleSet,org.loyaltyengine.rules.x\nRuleTable T\nCONDITION,ACTION\n$p : Purchase,\n\"spentIn(\"\"$param\"\") >= \",\"insert(;\"\n"
                        + "label,label\nbeauty,x\n"));

        assertThatThrownBy(() -> new RuleSetCompiler().compile("BROKEN", broken))
                .isInstanceOf(RuleSetInvalidException.class)
                .satisfies(e -> assertThat(((RuleSetInvalidException) e).errors())
                        .allSatisfy(error -> assertThat(error.source()).startsWith("earning/table.csv")));
    }

    private static Map<String, Long> earn(Purchase purchase) {
        return awards(examples.decideEarning(purchase, member("BRONZE", 0, 3, LocalDate.of(1990, 6, 15)), SPEND_TIERS));
    }

    private static Map<String, Long> awards(EarningDecision decision) {
        return decision.awards().stream().collect(Collectors.toMap(PointsAward::rule, PointsAward::points, Long::sum));
    }

    private static MemberProfile member(String tier, long qualifying, long purchases, LocalDate birthDate) {
        return new MemberProfile("m-1", tier, LocalDate.of(2025, 1, 1), birthDate, qualifying, purchases);
    }

    private static Purchase purchase(String store, LocalDateTime at, PurchaseLine... lines) {
        return Purchase.of("EX", store, "store", at, "EUR", List.of(lines));
    }

    private static PurchaseLine line(String sku, String category, int quantity, String unitPrice) {
        return PurchaseLine.of(sku, category, quantity, new BigDecimal(unitPrice));
    }
}
