package org.loyaltyengine.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loyaltyengine.rules.CompiledRuleSet;
import org.loyaltyengine.rules.RuleSetCompiler;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.PurchaseLine;

/** The benchmark compares like with like: the hand-coded decisions give the rules' points on any basket. */
class HandCodedRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"demo", "generated-200", "generated-2000"})
    void theHandCodedDecisionsGiveTheRulesPoints(String name) throws Exception {
        CompiledRuleSet rules = new RuleSetCompiler().compile(name, GeneratedRuleSets.named(name));
        HandCodedRules handCoded = new HandCodedRules(name);
        Random random = new Random(42);
        for (int basket = 0; basket < 200; basket++) {
            List<PurchaseLine> lines = new ArrayList<>();
            for (int i = 0; i < 1 + random.nextInt(12); i++) {
                lines.add(PurchaseLine.of("SKU-" + random.nextInt(2_200), random.nextBoolean() ? "coffee"
                        : "cat-" + random.nextInt(2_200), 1 + random.nextInt(4),
                        BigDecimal.valueOf(random.nextInt(5_000), 2)));
            }
            Purchase purchase = Purchase.of("BENCH", "S001", "store", LocalDateTime.of(2026, 11, 24, 17, 30), "EUR",
                    lines);
            assertThat(rules.decideEarning(purchase, GeneratedRuleSets.member(), GeneratedRuleSets.TIERS).totalPoints())
                    .as("basket %d of %s", basket, name)
                    .isEqualTo(handCoded.points(purchase, GeneratedRuleSets.member()));
        }
        assertThat(rules.decideEarning(GeneratedRuleSets.basket(), GeneratedRuleSets.member(), GeneratedRuleSets.TIERS)
                .totalPoints()).isEqualTo(handCoded.points(GeneratedRuleSets.basket(), GeneratedRuleSets.member()));
    }
}
