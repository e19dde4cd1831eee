package org.loyaltyengine.benchmarks;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.PurchaseLine;

/** The decisions of the demo and generated rule sets written by hand in plain Java: the baseline. */
public final class HandCodedRules {

    private final boolean demo;
    private final Map<String, Integer> skuBonus = new HashMap<>();
    private final Map<String, Integer> categoryBonus = new HashMap<>();

    /** The hand-coded equivalent of a named rule set ({@link GeneratedRuleSets#named(String)}). */
    public HandCodedRules(String name) {
        demo = name.equals("demo");
        if (!demo) {
            int rules = Integer.parseInt(name.substring(10));
            for (int i = 0; i < rules; i++) {
                if (i % 2 == 0) {
                    skuBonus.put("SKU-" + i, GeneratedRuleSets.skuBonus(i));
                } else {
                    categoryBonus.put("cat-" + i, GeneratedRuleSets.categoryBonus(i));
                }
            }
        }
    }

    public long points(Purchase purchase, MemberProfile member) {
        long base = purchase.total().longValue();
        long points = base;
        if (demo) {
            if (member.tier().equals("SILVER")) {
                points += base / 2;
            } else if (member.tier().equals("GOLD")) {
                points += base;
            }
            return points + purchase.spentIn("coffee").longValue();
        }
        for (PurchaseLine line : purchase.lines()) {
            Integer perUnit = skuBonus.get(line.sku());
            if (perUnit != null) {
                points += (long) line.quantity() * perUnit;
            }
            Integer perCurrency = categoryBonus.get(line.category());
            if (perCurrency != null && line.amount().compareTo(BigDecimal.ONE) >= 0) {
                points += line.amount().longValue() * perCurrency;
            }
        }
        return points;
    }
}
