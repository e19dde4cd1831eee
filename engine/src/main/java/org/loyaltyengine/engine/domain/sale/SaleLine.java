package org.loyaltyengine.engine.domain.sale;

import java.math.BigDecimal;

/** One line of a recorded sale, kept so that returns can take back the points of the lines returned. */
public record SaleLine(String sku, String category, int quantity, BigDecimal unitPrice) {
}
