package org.loyaltyengine.rules.decision;

/**
 * A redemption the rules refuse, and why (said to the cashier and the member).
 *
 * @param rule   the refusing rule's name
 * @param reason the reason, in people's words
 */
public record RedemptionRefusal(String rule, String reason) {
}
