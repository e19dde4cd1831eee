package org.loyaltyengine.engine.application;

/**
 * A redemption undone at a till of the store that recorded it: the customer changed their mind, or the reward
 * could not be handed over.
 *
 * @param programmeCode the till's programme
 * @param storeId       the till's store, which must be the redemption's
 * @param terminalId    the till, when it says
 * @param redemptionId  the redemption's public id ({@code d-…}), as its answer gave it; null when named by receipt
 * @param receiptId     the receipt it was recorded under at the store, when named so (any till of the store has the
 *                      receipt in hand; only the one that made it knows the id); null when named by id
 * @param reason        the cashier's words, when they give some
 */
public record RedemptionCancelCommand(String programmeCode, String storeId, String terminalId, String redemptionId,
                                      String receiptId, String reason) {
}
