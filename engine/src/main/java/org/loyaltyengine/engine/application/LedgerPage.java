package org.loyaltyengine.engine.application;

import java.time.Instant;
import java.util.List;

/** A page of a member's ledger, newest first (API.md, {@code GET /me/transactions}). */
public record LedgerPage(int page, int size, long total, List<Line> items) {

    /** One ledger entry as the member sees it. */
    public record Line(String kind, long points, Instant occurredAt, String channel, String storeId, String reason,
                       String ruleSet, List<SaleResult.RuleShare> appliedRules) {
    }
}
