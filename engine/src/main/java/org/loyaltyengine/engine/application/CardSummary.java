package org.loyaltyengine.engine.application;

import java.util.List;

/** What a till shows when a card is scanned (API.md, {@code GET /pos/cards/{cardNumber}}). */
public record CardSummary(String cardNumber, String status, String memberId, String displayName, String tier,
                          long availablePoints, long pendingPoints, List<OfferSummary> offers) {

    /** A personal offer as the till lists it. */
    public record OfferSummary(String offerId, String title, String expiresAt) {
    }
}
