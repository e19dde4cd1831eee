package org.loyaltyengine.engine.application;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import org.loyaltyengine.engine.domain.sale.Receipt;
import org.loyaltyengine.engine.domain.sale.SaleLine;

/**
 * A sale as a till reports it.
 *
 * @param programmeCode the till's programme
 * @param receipt       the receipt: store, terminal, receipt id, card, time, currency, lines
 * @param occurredAt    the receipt's time with the till's offset (the store's local time)
 * @param redeemPoints  points the member pays with, zero or more
 * @param offerIds      personal offers the member uses on this sale
 */
public record SaleCommand(String programmeCode, Receipt receipt, OffsetDateTime occurredAt, long redeemPoints,
                          List<String> offerIds) {

    public SaleCommand {
        offerIds = List.copyOf(offerIds);
    }

    /**
     * A digest of everything that decides the sale's outcome, in a canonical form: two requests with the same
     * fingerprint are the same sale (a replay), whatever their JSON spelling ("4.5" or "4.50").
     */
    public String fingerprint() {
        String lines = receipt.lines().stream().map(SaleCommand::canonical).collect(Collectors.joining(";"));
        String canonical = String.join("|", receipt.storeId(), nullToEmpty(receipt.terminalId()),
                receipt.receiptId(), receipt.cardNumber(), receipt.occurredAt().toString(), receipt.currency(),
                lines, Long.toString(redeemPoints), String.join(",", offerIds));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String canonical(SaleLine line) {
        return line.sku() + "," + line.category() + "," + line.quantity() + ","
                + line.unitPrice().stripTrailingZeros().toPlainString();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
