package org.loyaltyengine.rules.fact;

import java.math.BigDecimal;

/**
 * A personal offer the member presents with the purchase being decided. The offer rules turn it into points
 * with a {@link org.loyaltyengine.rules.decision.PointsAward} named {@code "offer:" + code}: the engine consumes
 * the offer only when such an award is made, so an offer whose conditions the basket does not meet (a minimum
 * spend, a category not bought) stays with the member for a later visit.
 *
 * @param offerId      the member's offer ("o-…"), as the till sent it
 * @param code         the offer's code in the programme
 * @param kind         {@code BONUS_POINTS} or {@code CATEGORY_MULTIPLIER}
 * @param points       bonus points ({@code BONUS_POINTS})
 * @param multiplier   points multiplier on the category's spend ({@code CATEGORY_MULTIPLIER}, 2 for double)
 * @param category     the category of a multiplier, {@code null} otherwise
 * @param minimumSpend the basket total from which the offer applies
 */
public record OfferInUse(String offerId, String code, String kind, long points, int multiplier, String category,
                         BigDecimal minimumSpend) {

    public OfferInUse {
        minimumSpend = minimumSpend == null ? BigDecimal.ZERO : minimumSpend;
    }

    /** The name an award of this offer carries. */
    public String awardName() {
        return "offer:" + code;
    }
}
