package org.loyaltyengine.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.kie.api.KieBase;
import org.kie.api.io.ResourceType;
import org.kie.internal.utils.KieHelper;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.PurchaseLine;
import org.loyaltyengine.rules.fact.RedemptionRequest;
import org.loyaltyengine.rules.fact.TierThreshold;

/**
 * A rule that compiles but fails as it runs is named, with the file and line it is written on, so that the
 * back office can say which rule to mend; a compile error of a decision table names the table's row.
 */
class RuleFailuresTest {

    private static final String DIVIDES_BY_ZERO = """
            package org.loyaltyengine.rules.broken;

            import org.loyaltyengine.rules.fact.Purchase;
            import org.loyaltyengine.rules.decision.PointsAward;

            rule "fine"
            when
                Purchase()
            then
                insert( new PointsAward( "fine", 1 ) );
            end

            rule "divides-by-zero"
            when
                Purchase( $x : total )
            then
                insert( new PointsAward( "divides-by-zero", 10 / ($x.intValue() - $x.intValue()) ) );
            end
            """;

    private static final String REFUSES_BADLY = """
            package org.loyaltyengine.rules.broken;

            import org.loyaltyengine.rules.fact.RedemptionRequest;
            import org.loyaltyengine.rules.decision.RedemptionRefusal;

            rule "refuses-badly"
            when
                RedemptionRequest( $p : points )
            then
                insert( new RedemptionRefusal( "refuses-badly", "" + (10 / ($p - $p)) ) );
            end
            """;

    private static final String TABLE = """
            RuleSet,org.loyaltyengine.rules.broken
            Import,"org.loyaltyengine.rules.fact.Purchase, org.loyaltyengine.rules.decision.PointsAward"
            ,,
            RuleTable Category multipliers,,
            NAME,CONDITION,ACTION
            ,$purchase : Purchase,
            ,"spentIn(""$param"") >= 1","insert(new PointsAward(""$1"", $purchase.spentIn(""$2"").longValue() / $3));"
            Rule,Category,"Award, category, divisor"
            beauty-x2,beauty,"beauty-x2,beauty,1"
            wine-zero,wine,"wine-zero,wine,0"
            """;

    @Test
    void aRuleThatFailsInItsConsequenceIsNamedWithItsFileAndLine() throws RuleSetInvalidException {
        CompiledRuleSet rules = new RuleSetCompiler().compile("BROKEN v2", List.of(
                new RuleSource("earning/base.drl", DIVIDES_BY_ZERO)));

        RuleFailedException failed = catchThrowableOfType(RuleFailedException.class,
                () -> rules.decideEarning(purchase("grocery"), member(), tiers()));

        assertThat(failed.ruleSet()).isEqualTo("BROKEN v2");
        assertThat(failed.rule()).isEqualTo("divides-by-zero");
        assertThat(failed.source()).isEqualTo("earning/base.drl");
        assertThat(failed.line()).isEqualTo(13);
        assertThat(failed.reason()).isEqualTo("ArithmeticException: / by zero");
    }

    @Test
    void aRedemptionRuleThatFailsIsNamedToo() throws RuleSetInvalidException {
        CompiledRuleSet rules = new RuleSetCompiler().compile("BROKEN v3", List.of(
                new RuleSource("redemption/refuse.drl", REFUSES_BADLY)));

        assertThatThrownBy(() -> rules.decideRedemption(new RedemptionRequest(100, null, null, 500), member()))
                .isInstanceOfSatisfying(RuleFailedException.class, failed -> {
                    assertThat(failed.rule()).isEqualTo("refuses-badly");
                    assertThat(failed.line()).isEqualTo(6);
                });
    }

    @Test
    void aDecisionTableRowThatFailsIsNamedWithItsRow() throws RuleSetInvalidException {
        CompiledRuleSet rules = new RuleSetCompiler().compile("BROKEN v4", List.of(
                new RuleSource("earning/multipliers.csv", TABLE)));

        assertThat(rules.decideEarning(purchase("beauty"), member(), tiers()).totalPoints()).isEqualTo(40);
        RuleFailedException failed = catchThrowableOfType(RuleFailedException.class,
                () -> rules.decideEarning(purchase("wine"), member(), tiers()));

        assertThat(failed.rule()).isEqualTo("wine-zero");
        assertThat(failed.source()).isEqualTo("earning/multipliers.csv");
        assertThat(failed.line()).isEqualTo(10);
    }

    @Test
    void anAwardBeyondTheMostARuleMayAwardFailsTheRuleInsteadOfCreditingIt() throws RuleSetInvalidException {
        CompiledRuleSet rules = new RuleSetCompiler().compile("HUGE v7", List.of(new RuleSource("earning/huge.drl",
                """
                package org.loyaltyengine.rules.huge;

                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;

                rule "huge"
                when
                    Purchase( spentIn("wine") >= 1 )
                then
                    insert( new PointsAward( "huge", 9223372036854775000L ) );
                end
                """)));

        RuleFailedException failed = catchThrowableOfType(RuleFailedException.class,
                () -> rules.decideEarning(purchase("wine"), member(), tiers()));

        assertThat(failed.rule()).isEqualTo("huge");
        assertThat(failed.source()).isEqualTo("earning/huge.drl");
        assertThat(failed.line()).isEqualTo(6);
        assertThat(failed.reason()).contains("9223372036854775000").contains("10000000");
    }

    @Test
    void awardsThatAddUpBeyondTheMostAPurchaseMayEarnNameTheRuleOfTheLargest() throws RuleSetInvalidException {
        // Each award within the most, the decision table's row names its award differently from its rule.
        String table = TABLE.replace("/ $3", "* $3")
                .replace("beauty-x2,beauty,\"beauty-x2,beauty,1\"", "wine-some,wine,\"some,wine,125000\"")
                .replace("wine-zero,wine,\"wine-zero,wine,0\"", "wine-many,wine,\"many,wine,150000\"");
        CompiledRuleSet rules = new RuleSetCompiler().compile("MANY v8", List.of(
                new RuleSource("earning/multipliers.csv", table)));

        RuleFailedException failed = catchThrowableOfType(RuleFailedException.class,
                () -> rules.decideEarning(purchase("wine"), member(), tiers()));

        assertThat(failed).as("5 + 6 million points for one purchase of 40.00 of wine").isNotNull();
        assertThat(failed.rule()).isEqualTo("wine-many");
        assertThat(failed.source()).isEqualTo("earning/multipliers.csv");
        assertThat(failed.line()).as("the row of wine-many, the largest award").isEqualTo(10);
        assertThat(failed.reason()).contains("add up to 11000000 points").contains("6000000 (\"many\")");
    }

    @Test
    void aCompileErrorInADecisionTableNamesTheTablesRow() {
        String broken = TABLE.replace("wine-zero,wine,0", "wine-zero,wine,0 +");

        RuleSetInvalidException invalid = catchThrowableOfType(RuleSetInvalidException.class,
                () -> new RuleSetCompiler().compile("BROKEN v5", List.of(
                        new RuleSource("earning/multipliers.csv", broken))));

        assertThat(invalid.errors()).isNotEmpty();
        RuleError error = invalid.errors().get(0);
        assertThat(error.source()).isEqualTo("earning/multipliers.csv");
        assertThat(error.line()).as("the row of the CSV, not a line of the DRL generated from it").isEqualTo(10);
        assertThat(error.message()).contains("wine-zero");
    }

    @Test
    void aRuleThatKeepsMatchingWhatItInsertsIsStoppedAndNamed() throws RuleSetInvalidException {
        CompiledRuleSet rules = new RuleSetCompiler().compile("LOOPS v6", List.of(new RuleSource("earning/double.drl",
                """
                package org.loyaltyengine.rules.loops;

                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;

                rule "base"
                when
                    Purchase()
                then
                    insert( new PointsAward( "base", 1 ) );
                end

                rule "double every award"
                when
                    $a : PointsAward()
                then
                    insert( new PointsAward( "promo", $a.points() ) );
                end
                """)));

        RuleFailedException failed = catchThrowableOfType(RuleFailedException.class,
                () -> rules.decideEarning(purchase("grocery"), member(), tiers()));

        assertThat(failed.rule()).as(failed.getMessage()).isEqualTo("double every award");
        assertThat(failed.line()).isEqualTo(13);
        assertThat(failed.reason()).contains("fired " + CompiledRuleSet.MAX_FIRINGS + " times");
    }

    @Test
    void aRuleWhoseActionOverflowsTheStackFailsNamedAndTheNextDecisionIsMade() {
        CompiledRuleSet rules = unguarded("DEEP v7", new RuleSource("earning/deeper.drl", """
                package org.loyaltyengine.rules.deep;

                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.decision.PointsAward;

                function long deeper(long n) { return deeper(n + 1) + 1; }

                rule "deeper"
                when
                    Purchase( $c : lines[0].category, $c == "wine" )
                then
                    insert( new PointsAward( "deeper", deeper(1) ) );
                end
                """));

        RuleFailedException failed = catchThrowableOfType(RuleFailedException.class,
                () -> rules.decideEarning(purchase("wine"), member(), tiers()));

        assertThat(failed.rule()).as(failed.getMessage()).isEqualTo("deeper");
        assertThat(failed.source()).isEqualTo("earning/deeper.drl");
        assertThat(failed.line()).isEqualTo(8);
        assertThat(failed.reason()).isEqualTo("StackOverflowError");
        assertThat(rules.decideEarning(purchase("grocery"), member(), tiers()).totalPoints()).isZero();
    }

    @Test
    void aConditionThatOverflowsTheStackFailsTheDecisionNotTheEngine() {
        CompiledRuleSet rules = unguarded("DEEP v8", new RuleSource("redemption/deeper.drl", """
                package org.loyaltyengine.rules.deep;

                import org.loyaltyengine.rules.fact.RedemptionRequest;
                import org.loyaltyengine.rules.decision.RedemptionRefusal;

                function long deeper(long n) { return deeper(n + 1) + 1; }

                rule "deeper condition"
                when
                    RedemptionRequest( $p : points )
                    eval( deeper($p) > 0 )
                then
                    insert( new RedemptionRefusal( "deeper condition", "never" ) );
                end
                """));

        assertThatThrownBy(() -> rules.decideRedemption(new RedemptionRequest(100, null, null, 500), member()))
                .isInstanceOfSatisfying(RuleFailedException.class,
                        failed -> assertThat(failed.reason()).isEqualTo("StackOverflowError"));
    }

    /** A rule set compiled without {@link RuleSourceGuard}, which refuses these: what a hole in it would let run. */
    private static CompiledRuleSet unguarded(String label, RuleSource source) {
        KieBase kieBase = new KieHelper().addContent(source.content(), ResourceType.DRL).build();
        return new CompiledRuleSet(label, kieBase, List.of(source));
    }

    private static Purchase purchase(String category) {
        return Purchase.of("BROKEN", "S001", "store", LocalDateTime.of(2026, 11, 24, 15, 0), "EUR",
                List.of(PurchaseLine.of("A", category, 1, new BigDecimal("40.00"))));
    }

    private static MemberProfile member() {
        return new MemberProfile("m-1", "BRONZE", LocalDate.of(2024, 1, 1), null, 0, 3, BigDecimal.TEN, null, null,
                null, null, null, null);
    }

    private static List<TierThreshold> tiers() {
        return List.of(new TierThreshold("BRONZE", 0, 0));
    }
}
