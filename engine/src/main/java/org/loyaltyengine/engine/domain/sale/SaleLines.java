package org.loyaltyengine.engine.domain.sale;

import java.util.List;

/**
 * A sale's lines in the receipt's order, as one value: the sale's row keeps them in one column, so that recording
 * a sale writes one row however many lines its receipt has (a row per line cost a third of a sale's time).
 */
public record SaleLines(List<SaleLine> lines) {

    public SaleLines {
        lines = List.copyOf(lines);
    }
}
