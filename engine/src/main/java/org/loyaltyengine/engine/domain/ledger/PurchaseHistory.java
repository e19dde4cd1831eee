package org.loyaltyengine.engine.domain.ledger;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What the rules know of a member's past purchases at a moment.
 *
 * @param spend            the amount of the member's sales in the tier window
 * @param qualifyingPoints qualifying points of the entries in the tier window, those of merged duplicates included
 * @param purchases        how many purchases earned points, ever, merged duplicates included
 * @param scores           the member's scores and segment as last computed; null before the first computation
 */
public record PurchaseHistory(BigDecimal spend, long qualifyingPoints, long purchases, Scores scores) {

    /** The scores and segment of the member's last score computation (customer knowledge). */
    public record Scores(int recency, int frequency, int monetary, String segment, String favouriteCategory,
                         BigDecimal attritionRisk) {
    }

    public Optional<Scores> lastScores() {
        return Optional.ofNullable(scores);
    }
}
