package org.loyaltyengine.engine.domain.ledger;

/**
 * What a sale reads of its member under the member's lock, in one statement: the purchase history its rules decide
 * on, the points it may spend, and whether its receipt is already recorded (then it is a replay).
 *
 * @param history          the member's purchase history since the start of the tier window
 * @param spendable        the member's spendable and pending points today, less any debt (no expiry breakdown)
 * @param receiptRecorded  whether a sale of the programme already holds the receipt's store and number; always
 *                         false when no receipt was asked about (a quote)
 */
public record SaleStanding(PurchaseHistory history, Balance spendable, boolean receiptRecorded) {
}
