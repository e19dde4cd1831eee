package org.loyaltyengine.engine.application;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A page of a member's ledger, newest first (API.md, {@code GET /me/transactions}). */
public record LedgerPage(int page, int size, long total, List<Line> items) {

    /** One ledger entry as the member sees it. */
    /**
     * @param entryId   the entry's number in the ledger
     * @param reference what the entry belongs to: a return id, a redemption, a merged member, a claim
     * @param actor     who made the change; shown to staff only ({@code null} for members)
     * @param receiptId the receipt of the sale the entry belongs to (an earn, a spend at the till, a return)
     */
    @Schema(name = "LedgerLine", description = "One entry of a ledger page")
    public record Line(long entryId, String kind, long points, Instant occurredAt, Instant recordedAt,
                       String channel, String storeId, String reason, String reference, String actor,
                       String ruleSet, List<SaleResult.RuleShare> appliedRules, String receiptId) {
    }
}
