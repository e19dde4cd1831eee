package org.loyaltyengine.engine.application;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Goods of a recorded sale brought back to a till.
 *
 * @param programmeCode the till's programme
 * @param storeId       the till's store (may differ from the sale's)
 * @param terminalId    the till, when it says
 * @param transactionId the sale's transaction id
 * @param returnId      the till's id of the return: a replay of it changes nothing
 * @param lines         what came back
 */
public record ReturnCommand(String programmeCode, String storeId, String terminalId, String transactionId,
                            String returnId, List<Line> lines) {

    public ReturnCommand {
        lines = List.copyOf(lines);
    }

    /** Identifies the request's content: the same return id with other lines is a conflict. */
    String fingerprint() {
        return Fingerprints.of(transactionId, returnId, lines.stream()
                .map(line -> line.sku() + "x" + line.quantity()).collect(Collectors.joining(";")));
    }

    /** How many of a SKU came back. */
    public record Line(String sku, int quantity) {
    }
}
