package org.loyaltyengine.engine.domain.ledger;

import java.math.BigDecimal;

/**
 * What the rules know of a member's past purchases at a moment.
 *
 * @param spend            the amount of the member's sales in the tier window
 * @param qualifyingPoints qualifying points of the entries in the tier window, those of merged duplicates included
 * @param purchases        how many purchases earned points, ever, merged duplicates included
 */
public record PurchaseHistory(BigDecimal spend, long qualifyingPoints, long purchases) {
}
