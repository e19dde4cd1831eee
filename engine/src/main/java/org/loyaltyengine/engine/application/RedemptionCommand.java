package org.loyaltyengine.engine.application;

/**
 * Points spent at a till on a reward, or for their value.
 *
 * @param programmeCode the till's programme
 * @param storeId       the till's store
 * @param terminalId    the till, when it says
 * @param receiptId     with the store, identifies the redemption: a replay gets the first answer
 * @param cardNumber    the member's card
 * @param rewardId      the reward taken, or {@code null} when {@code points} are spent for their value
 * @param points        the points spent for their value, or {@code null} for a reward
 */
public record RedemptionCommand(String programmeCode, String storeId, String terminalId, String receiptId,
                                String cardNumber, String rewardId, Long points) {

    String fingerprint() {
        return Fingerprints.of(storeId, terminalId, receiptId, cardNumber, rewardId, points);
    }
}
