package org.loyaltyengine.engine.domain.sale;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A sale's lines in the receipt's order, as one value: the sale's row keeps them in one column, so that recording
 * a sale writes one row however many lines its receipt has (a row per line cost a third of a sale's time).
 */
public record SaleLines(List<SaleLine> lines) {

    public SaleLines {
        lines = List.copyOf(lines);
    }

    /** How many of each SKU the receipt bought. */
    public Map<String, Long> quantities() {
        Map<String, Long> bought = new HashMap<>();
        lines.forEach(line -> bought.merge(line.sku(), (long) line.quantity(), Long::sum));
        return bought;
    }

    /** Whether these quantities brought back (per SKU) are everything the receipt bought. */
    public boolean allBack(Map<String, Long> returned) {
        return quantities().entrySet().stream()
                .allMatch(bought -> bought.getValue() <= returned.getOrDefault(bought.getKey(), 0L));
    }

    /**
     * Each category's spend on the receipt, less what came back: a SKU's lines lose the share of their value a
     * return gave back for it (the quantity back over the quantity bought, as a return values its lines).
     */
    public Map<String, BigDecimal> keptPerCategory(Map<String, Long> returned) {
        Map<String, Long> bought = returned.isEmpty() ? Map.of() : quantities();
        Map<String, BigDecimal> kept = new HashMap<>();
        for (SaleLine line : lines) {
            BigDecimal value = line.unitPrice().multiply(BigDecimal.valueOf(line.quantity()));
            long back = returned.getOrDefault(line.sku(), 0L);
            if (back > 0) {
                long of = bought.get(line.sku());
                value = value.multiply(BigDecimal.valueOf(of - Math.min(back, of)))
                        .divide(BigDecimal.valueOf(of), 4, RoundingMode.HALF_UP);
            }
            kept.merge(line.category(), value, BigDecimal::add);
        }
        return kept;
    }
}
