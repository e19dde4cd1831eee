package org.loyaltyengine.engine.application;

/**
 * A redemption undone at a till of the store that recorded it: the customer changed their mind, or the reward
 * could not be handed over.
 *
 * @param programmeCode the till's programme
 * @param storeId       the till's store, which must be the redemption's
 * @param terminalId    the till, when it says
 * @param redemptionId  the redemption's public id ({@code d-…}), as its answer gave it
 * @param reason        the cashier's words, when they give some
 */
public record RedemptionCancelCommand(String programmeCode, String storeId, String terminalId, String redemptionId,
                                      String reason) {
}
