package org.loyaltyengine.engine.application;

import java.util.List;

import jakarta.json.bind.annotation.JsonbNillable;

/**
 * What a till is told about a sale (API.md, {@code POST /pos/transactions}). Kept as JSON with the sale so that a
 * replay gets exactly the first answer.
 *
 * @param transactionId the sale's, {@code null} on a quote (written as {@code null}: a quote answers what a commit
 *                      would, keys included)
 * @param quote {@code true} for a quote, which wrote nothing; absent on a recorded sale
 */
public record SaleResult(@JsonbNillable String transactionId, long pointsEarned, long pointsRedeemed, String redemptionValue,
                         long availablePoints, long pendingPoints, String tier, List<RuleShare> appliedRules,
                         List<String> offersUsed, Boolean quote) {

    /** One rule's points in the sale. */
    public record RuleShare(String rule, long points) {
    }
}
