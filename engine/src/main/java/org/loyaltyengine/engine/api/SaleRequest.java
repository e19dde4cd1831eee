package org.loyaltyengine.engine.api;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * {@code POST /pos/transactions} and {@code /pos/transactions/quote}: a basket as a till sends it.
 * Amounts are decimal strings or numbers in the programme's currency.
 */
public record SaleRequest(
        @NotBlank String cardNumber,
        @NotBlank @Size(max = 32) String storeId,
        @Size(max = 32) String terminalId,
        @NotBlank @Size(max = 64) String receiptId,
        @NotNull OffsetDateTime occurredAt,
        @NotNull @Pattern(regexp = "[A-Z]{3}", message = "is a three-letter ISO 4217 code") String currency,
        @NotEmpty @Size(max = 500) List<@NotNull @Valid Line> lines,
        @PositiveOrZero Long redeemPoints,
        @Size(max = 20) List<@NotBlank String> offerIds) {

    /**
     * The receipt's key without blanks around it: " R-1" and "R-1 " are the receipt R-1, a replay of it, where the
     * first was a second sale of it and the second a conflict with it (Derby compares strings ignoring trailing
     * blanks, the fingerprint did not; PostgreSQL ignores neither).
     */
    public SaleRequest {
        storeId = stripped(storeId);
        terminalId = stripped(terminalId);
        receiptId = stripped(receiptId);
    }

    static String stripped(String key) {
        return key == null ? null : key.strip();
    }

    /** One line of the basket. */
    @Schema(name = "SaleLine", description = "One line of the basket")
    public record Line(
            @NotBlank @Size(max = 64) String sku,
            @NotBlank @Size(max = 64) String category,
            @NotNull @Positive @Max(100_000) Integer quantity,
            @NotNull @DecimalMin("0") @Digits(integer = 13, fraction = 4, message = "has at most 13 digits before the point and 4 after it") BigDecimal unitPrice) {
    }
}
