package org.loyaltyengine.benchmarks;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import org.loyaltyengine.rules.DemoRuleSet;
import org.loyaltyengine.rules.RuleSource;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.PurchaseLine;
import org.loyaltyengine.rules.fact.TierThreshold;

/**
 * Rule sets of any size, shaped like a real catalogue's promotions: the base earn, then half SKU bonuses
 * ("SKU-i": k points per unit) and half category multipliers ("cat-i": k points per whole unit of currency),
 * with k cycling through small figures. {@link HandCodedRules} decides the same points in plain Java.
 */
public final class GeneratedRuleSets {

    /** The demo programme's tiers. */
    public static final List<TierThreshold> TIERS = List.of(new TierThreshold("BRONZE", 0, 0),
            new TierThreshold("SILVER", 1, 1_000), new TierThreshold("GOLD", 2, 5_000));

    private GeneratedRuleSets() {
    }

    /** The named set: "demo", or "generated-N" for N generated rules on top of the base earn. */
    public static List<RuleSource> named(String name) {
        return name.equals("demo") ? DemoRuleSet.sources() : generate(Integer.parseInt(name.substring(10)));
    }

    public static List<RuleSource> generate(int rules) {
        StringBuilder drl = new StringBuilder("""
                package org.loyaltyengine.rules.generated;

                import org.loyaltyengine.rules.fact.Purchase;
                import org.loyaltyengine.rules.fact.PurchaseLine;
                import org.loyaltyengine.rules.decision.BasePoints;
                import org.loyaltyengine.rules.decision.PointsAward;

                rule "base-points"
                when
                    $purchase : Purchase()
                then
                    insert( new BasePoints( $purchase.total().longValue() ) );
                end

                rule "base-earn"
                when
                    BasePoints( $points : points, points > 0 )
                then
                    insert( new PointsAward( "base-earn", $points ) );
                end
                """);
        for (int i = 0; i < rules; i++) {
            if (i % 2 == 0) {
                drl.append("\nrule \"sku-").append(i).append("\"\nwhen\n    PurchaseLine( sku == \"SKU-").append(i)
                        .append("\", $quantity : quantity )\nthen\n    insert( new PointsAward( \"sku-").append(i)
                        .append("\", $quantity * ").append(skuBonus(i)).append("L ) );\nend\n");
            } else {
                drl.append("\nrule \"cat-").append(i).append("\"\nwhen\n    PurchaseLine( category == \"cat-")
                        .append(i).append("\", amount >= 1, $amount : amount )\nthen\n    insert( new PointsAward( \"cat-")
                        .append(i).append("\", $amount.longValue() * ").append(categoryBonus(i)).append("L ) );\nend\n");
            }
        }
        List<RuleSource> sources = new ArrayList<>();
        sources.add(new RuleSource("generated/rules.drl", drl.toString()));
        return sources;
    }

    static int skuBonus(int i) {
        return i % 5 + 1;
    }

    static int categoryBonus(int i) {
        return i % 3 + 1;
    }

    /** A realistic basket of ten lines: some lines hit promotions of the generated sets, some do not. */
    public static Purchase basket() {
        List<PurchaseLine> lines = List.of(
                line("SKU-0", "grocery", 2, "3.49"), line("SKU-2", "grocery", 1, "12.90"),
                line("SKU-40", "dairy", 3, "1.15"), line("SKU-99999", "bakery", 1, "2.30"),
                line("COF-250", "coffee", 2, "4.50"), line("TEA-1", "cat-1", 1, "6.80"),
                line("WINE-7", "cat-3", 2, "11.95"), line("SOAP-2", "cat-99999", 4, "0.99"),
                line("SKU-198", "household", 1, "7.25"), line("BAG", "cat-7", 1, "0.50"));
        return Purchase.of("BENCH", "S001", "store", LocalDateTime.of(2026, 11, 24, 17, 30), "EUR", lines);
    }

    /** A SILVER member with some history. */
    public static MemberProfile member() {
        return new MemberProfile("m-bench", "SILVER", LocalDate.of(2024, 3, 10), LocalDate.of(1988, 5, 2), 2_400, 37);
    }

    static PurchaseLine line(String sku, String category, int quantity, String unitPrice) {
        return PurchaseLine.of(sku, category, quantity, new BigDecimal(unitPrice));
    }
}
