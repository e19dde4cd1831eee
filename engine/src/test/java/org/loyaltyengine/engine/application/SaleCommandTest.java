package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.sale.Receipt;
import org.loyaltyengine.engine.domain.sale.SaleLine;

class SaleCommandTest {

    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-11-23T10:15:00+01:00");

    @Test
    void theSameSaleSpelledDifferentlyHasTheSameFingerprint() {
        assertThat(sale("4.5", 2, 0).fingerprint()).isEqualTo(sale("4.50", 2, 0).fingerprint());
    }

    @Test
    void anyChangeThatAltersTheOutcomeChangesTheFingerprint() {
        String original = sale("4.50", 2, 0).fingerprint();

        assertThat(sale("4.50", 3, 0).fingerprint()).isNotEqualTo(original);
        assertThat(sale("4.51", 2, 0).fingerprint()).isNotEqualTo(original);
        assertThat(sale("4.50", 2, 100).fingerprint()).isNotEqualTo(original);
    }

    private static SaleCommand sale(String price, int quantity, long redeem) {
        Receipt receipt = new Receipt("S001", "T3", "R-1", "2900000000018", AT.toInstant(), "EUR",
                List.of(new SaleLine("COF-250", "coffee", quantity, new BigDecimal(price))));
        return new SaleCommand("DEMO", receipt, AT, redeem, List.of());
    }
}
