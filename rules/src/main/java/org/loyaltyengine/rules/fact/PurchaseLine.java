package org.loyaltyengine.rules.fact;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One line of a basket as the rules see it.
 *
 * @param sku       the retailer's product code
 * @param category  the product category ("coffee", "gift-card", ...), lower case
 * @param quantity  how many units were bought, at least 1
 * @param unitPrice the price of one unit in the purchase's currency
 * @param amount    {@code quantity × unitPrice}
 */
public record PurchaseLine(String sku, String category, int quantity, BigDecimal unitPrice, BigDecimal amount) {

    public PurchaseLine {
        Objects.requireNonNull(sku, "sku");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(unitPrice, "unitPrice");
        Objects.requireNonNull(amount, "amount");
    }

    public static PurchaseLine of(String sku, String category, int quantity, BigDecimal unitPrice) {
        return new PurchaseLine(sku, category, quantity, unitPrice, unitPrice.multiply(BigDecimal.valueOf(quantity)));
    }
}
