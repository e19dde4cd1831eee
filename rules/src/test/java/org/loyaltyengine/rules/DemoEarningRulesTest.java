package org.loyaltyengine.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.loyaltyengine.rules.decision.PointsAward;
import org.loyaltyengine.rules.decision.TierStanding;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.PurchaseLine;
import org.loyaltyengine.rules.fact.TierThreshold;

class DemoEarningRulesTest {

    private static final List<TierThreshold> TIERS = List.of(
            new TierThreshold("BRONZE", 0, 0), new TierThreshold("SILVER", 1, 1_000), new TierThreshold("GOLD", 2, 5_000));

    private static CompiledRuleSet demo;

    @BeforeAll
    static void compileDemo() throws RuleSetInvalidException {
        demo = new RuleSetCompiler().compile("DEMO v1", DemoRuleSet.sources());
    }

    @Test
    void aNewProgrammesStarterRulesSayWhatTheyAreNotTheDemosClauses() throws RuleSetInvalidException {
        List<RuleSource> starter = DemoRuleSet.starterSources();

        assertThat(starter).extracting(RuleSource::content).allSatisfy(content -> assertThat(content)
                .startsWith("// Starter rules (").doesNotContain("DEMO"));
        assertThat(new RuleSetCompiler().compile("NEW v1", starter).label()).isEqualTo("NEW v1");
    }

    @Test
    void silverMemberBuyingTwoCoffeesEarnsBaseTierBonusAndCoffeeBonus() {
        EarningDecision decision = demo.decideEarning(
                purchase(PurchaseLine.of("COF-250", "coffee", 2, new BigDecimal("4.50"))), member("SILVER", 1_240), TIERS);

        assertThat(decision.awards()).containsExactlyInAnyOrder(
                new PointsAward("base-earn", 9), new PointsAward("tier-silver-bonus", 4), new PointsAward("coffee-bonus", 9));
        assertThat(decision.totalPoints()).isEqualTo(22);
    }

    @ParameterizedTest(name = "{0} member, basket {1} of which coffee {2}: {3} points")
    @CsvSource({
            // tier,  non-coffee, coffee, expected total
            "BRONZE,  10.99,      0.00,   10",
            "BRONZE,  0.99,       0.00,   0",
            "BRONZE,  0.00,       3.20,   6",
            "SILVER,  1.00,       0.00,   1",
            "SILVER,  3.00,       0.00,   4",
            "GOLD,    20.00,      5.50,   55",
            "GOLD,    0.50,       0.60,   2",
    })
    void pointsFollowTheDemoProgramme(String tier, BigDecimal other, BigDecimal coffee, long expected) {
        Purchase purchase = purchase(
                PurchaseLine.of("GRO-1", "grocery", 1, other), PurchaseLine.of("COF-1", "coffee", 1, coffee));

        assertThat(demo.decideEarning(purchase, member(tier, 0), TIERS).totalPoints()).isEqualTo(expected);
    }

    @Test
    void crossingATierThresholdWithThisPurchaseReachesTheHigherTier() {
        EarningDecision decision = demo.decideEarning(
                purchase(PurchaseLine.of("TV-1", "electronics", 1, new BigDecimal("30.00"))), member("BRONZE", 980), TIERS);

        assertThat(decision.tierStanding()).contains(new TierStanding("SILVER", 1));
    }

    @Test
    void stayingBelowTheNextThresholdKeepsTheStandingOfTheQualifyingPoints() {
        EarningDecision decision = demo.decideEarning(
                purchase(PurchaseLine.of("TV-1", "electronics", 1, new BigDecimal("3.00"))), member("GOLD", 100), TIERS);

        assertThat(decision.tierStanding()).contains(new TierStanding("BRONZE", 0));
    }

    @Test
    void aBrokenRuleIsReportedWithItsFileLineAndColumn() {
        List<RuleSource> sources = List.of(new RuleSource("earning/broken.drl", """
                package org.loyaltyengine.rules.broken;
                rule "oops"
                when
                    Purchase( total >  )
                then
                end
                """));

        RuleSetInvalidException error = org.junit.jupiter.api.Assertions.assertThrows(
                RuleSetInvalidException.class, () -> new RuleSetCompiler().compile("broken", sources));

        assertThat(error.errors()).isNotEmpty();
        assertThat(error.errors().get(0).source()).isEqualTo("earning/broken.drl");
        assertThat(error.errors().get(0).line()).isEqualTo(4);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "String note = $p.noSuchMethod();      | 19 | 21 | Rules may not use .noSuchMethod",
        "long more = unknownPoints + 1;        | 19 | 16 | unknownPoints cannot be resolved",
        "Bonus b = new Bonus();                | 19 | 4  | Rules may not use the class Bonus",
        "PointsCap cap = null;                 | 19 | 4  | PointsCap is not imported: add import org.loyaltyengine.rules.decision.PointsCap;",
        "BigDecimal big = null;                | 19 | 4  | BigDecimal is not imported: add import java.math.BigDecimal;",
        "int wrong = 1 +;                      | 19 | 18 | Syntax error on token \"+\"",
        "int points = 3;                       | 19 | 8  | Duplicate local variable points",
        "String.valueOf(\"unknownPoints \" + unknownPoints); | 19 | 38 | unknownPoints cannot be resolved"})
    void anErrorInARulesActionPartIsPlacedOnItsLineNotOnTheRulesFirst(String statement, int line, int column,
                                                                      String says) {
        // The broken statement is line 19 of the file; Drools reports the error on line 12, where the rule opens.
        List<RuleSource> sources = List.of(new RuleSource("earning/actions.drl", """
                package org.loyaltyengine.rules.actions;
                import org.loyaltyengine.rules.fact.Purchase;

                rule "fine"
                when
                    Purchase( )
                then
                    String.valueOf("fine");
                end

                // unknownPoints and noSuchMethod are named here, in a comment, before the action part
                rule "long action"
                when
                    $p : Purchase( total > 10 )
                then
                    // the points of the purchase, not noSuchMethod's nor unknownPoints'
                    int points = 1;
                    points = points * 2;
                %s
                    String.valueOf(points);
                end
                """.formatted("    " + statement.strip())));

        RuleSetInvalidException error = org.junit.jupiter.api.Assertions.assertThrows(
                RuleSetInvalidException.class, () -> new RuleSetCompiler().compile("actions", sources));

        RuleError first = error.errors().get(0);
        assertThat(first.source()).isEqualTo("earning/actions.drl");
        assertThat(first.line()).as(first.message()).isEqualTo(line);
        assertThat(first.column()).as(first.message()).isEqualTo(column);
        assertThat(first.message()).contains(says).contains("rule \"long action\"");
    }

    @Test
    void anActionPartErrorThatNamesNothingIsPlacedOnTheActionPartsFirstLine() {
        List<RuleSource> sources = List.of(new RuleSource("earning/mismatch.drl", """
                package org.loyaltyengine.rules.mismatch;
                import org.loyaltyengine.rules.fact.Purchase;

                rule "mismatch"
                when
                    Purchase( )
                then

                    int points = "ten";
                end
                """));

        RuleSetInvalidException error = org.junit.jupiter.api.Assertions.assertThrows(
                RuleSetInvalidException.class, () -> new RuleSetCompiler().compile("mismatch", sources));

        assertThat(error.errors().get(0).line()).isEqualTo(9);
        assertThat(error.errors().get(0).message()).contains("Type mismatch");
    }

    private static Purchase purchase(PurchaseLine... lines) {
        return Purchase.of("DEMO", "S001", "store", LocalDateTime.of(2026, 11, 23, 10, 15), "EUR", List.of(lines));
    }

    private static MemberProfile member(String tier, long qualifyingPoints) {
        return new MemberProfile("m-1", tier, LocalDate.of(2024, 1, 1), null, qualifyingPoints, 3);
    }
}
