package org.loyaltyengine.engine.domain.sale;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** How many of one SKU came back in a return. */
@Embeddable
public class ReturnedLine {

    @Column(nullable = false, length = 64)
    private String sku;

    @Column(nullable = false)
    private int quantity;

    protected ReturnedLine() {
    }

    public ReturnedLine(String sku, int quantity) {
        this.sku = sku;
        this.quantity = quantity;
    }

    public String sku() {
        return sku;
    }

    public int quantity() {
        return quantity;
    }
}
