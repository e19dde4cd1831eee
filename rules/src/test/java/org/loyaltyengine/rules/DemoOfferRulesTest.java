package org.loyaltyengine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.loyaltyengine.rules.decision.OfferGrant;
import org.loyaltyengine.rules.decision.PointsAward;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.OfferDefinition;
import org.loyaltyengine.rules.fact.OfferInUse;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.PurchaseLine;

/** The demo programme's incentive rules: who gets which offer, and what an offer earns when it is used. */
class DemoOfferRulesTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

    private static final List<OfferDefinition> ALL_OFFERS = List.of(
            new OfferDefinition("WINBACK", "200 points to welcome you back", "BONUS_POINTS", null),
            new OfferDefinition("FAVOURITE2X", "Double points on your favourite", "CATEGORY_MULTIPLIER", null),
            new OfferDefinition("BIRTHDAY", "Happy birthday", "BONUS_POINTS", null),
            new OfferDefinition("SECOND", "Come back soon", "BONUS_POINTS", null));

    private static CompiledRuleSet demo;

    @BeforeAll
    static void compileDemo() throws RuleSetInvalidException {
        demo = new RuleSetCompiler().compile("DEMO v1", DemoRuleSet.sources());
    }

    @Test
    void anAtRiskMemberGetsTheWinBackOfferOnlyWhileTheProgrammeHasIt() {
        MemberProfile atRisk = member("at risk", 12, null, LocalDate.of(1980, 3, 2));

        assertThat(demo.decideOffers(atRisk, ALL_OFFERS, TODAY))
                .containsExactly(new OfferGrant("WINBACK", "win-back-at-risk"));
        assertThat(demo.decideOffers(atRisk, ALL_OFFERS.subList(1, 4), TODAY)).isEmpty();
    }

    @Test
    void aChampionGetsDoublePointsOnTheirFavouriteCategoryAndABirthdayPresentInTheirMonth() {
        MemberProfile champion = member("champions", 40, "coffee", LocalDate.of(1990, 11, 30));

        assertThat(demo.decideOffers(champion, ALL_OFFERS, TODAY)).containsExactlyInAnyOrder(
                new OfferGrant("FAVOURITE2X", "champions-favourite-double", "coffee"),
                new OfferGrant("BIRTHDAY", "birthday-month"));
        assertThat(demo.decideOffers(champion, ALL_OFFERS, TODAY.plusMonths(1)))
                .extracting(OfferGrant::offer).containsExactly("FAVOURITE2X");
    }

    @Test
    void aNewMemberAfterTheirFirstPurchaseGetsTheSecondPurchaseNudge() {
        assertThat(demo.decideOffers(member("new", 1, "bakery", null), ALL_OFFERS, TODAY))
                .containsExactly(new OfferGrant("SECOND", "second-purchase-nudge"));
        assertThat(demo.decideOffers(member("new", 2, "bakery", null), ALL_OFFERS, TODAY)).isEmpty();
    }

    @Test
    void aOneOffBuyerOfLongAgoGetsNoSecondPurchaseNudge() {
        assertThat(demo.decideOffers(member("lost", 1, "bakery", null), ALL_OFFERS, TODAY)).isEmpty();
        assertThat(demo.decideOffers(member("hibernating", 1, "bakery", null), ALL_OFFERS, TODAY)).isEmpty();
    }

    @Test
    void aBonusOfferEarnsItsPointsFromItsMinimumSpendOnly() {
        OfferInUse winBack = new OfferInUse("o-1", "WINBACK", "BONUS_POINTS", 200, 0, null, new BigDecimal("10"));

        EarningDecision enough = demo.decideEarning(purchase(PurchaseLine.of("G", "grocery", 1, new BigDecimal("10.00"))),
                member("at risk", 12, null, null), List.of(), List.of(winBack));
        EarningDecision tooLittle = demo.decideEarning(purchase(PurchaseLine.of("G", "grocery", 1, new BigDecimal("9.99"))),
                member("at risk", 12, null, null), List.of(), List.of(winBack));

        assertThat(enough.awards()).containsExactly(new PointsAward("base-earn", 10), new PointsAward("offer:WINBACK", 200));
        assertThat(tooLittle.awards()).containsExactly(new PointsAward("base-earn", 9));
    }

    @Test
    void aCategoryMultiplierDoublesThePointsOfThatCategoryOnly() {
        OfferInUse favourite = new OfferInUse("o-2", "FAVOURITE2X", "CATEGORY_MULTIPLIER", 0, 2, "bakery", BigDecimal.ZERO);

        EarningDecision decision = demo.decideEarning(purchase(
                        PurchaseLine.of("B", "bakery", 3, new BigDecimal("2.50")),
                        PurchaseLine.of("G", "grocery", 1, new BigDecimal("5.00"))),
                member("champions", 40, "bakery", null), List.of(), List.of(favourite));

        assertThat(decision.awards()).containsExactly(new PointsAward("base-earn", 12), new PointsAward("offer:FAVOURITE2X", 7));
    }

    private static MemberProfile member(String segment, long purchases, String favourite, LocalDate birthDate) {
        return new MemberProfile("m-1", "BRONZE", LocalDate.of(2024, 1, 5), birthDate, 0, purchases, BigDecimal.ZERO,
                3, 3, 3, segment, favourite, new BigDecimal("0.50"));
    }

    private static Purchase purchase(PurchaseLine... lines) {
        return Purchase.of("DEMO", "S001", "store", LocalDateTime.of(2026, 11, 23, 10, 0), "EUR", List.of(lines));
    }
}
