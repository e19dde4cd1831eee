package org.loyaltyengine.engine.domain.sale;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** What the till says was sold: the identity of the receipt and its lines. */
public record Receipt(String storeId, String terminalId, String receiptId, String cardNumber, Instant occurredAt,
                      String currency, List<SaleLine> lines) {

    public Receipt {
        lines = List.copyOf(lines);
    }

    public BigDecimal total() {
        return lines.stream()
                .map(line -> line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
