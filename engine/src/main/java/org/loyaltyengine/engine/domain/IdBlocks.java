package org.loyaltyengine.engine.domain;

import java.util.Map;

/**
 * The rows every sale inserts (the sale, its ledger entries, their points lots) take their ids from database
 * sequences, a block at a time: each instance of the engine asks its database for a block of {@link #SIZE} ids
 * and hands them out itself, so the id is known when the row is persisted and no read-back follows each insert.
 * A sequence's increment is the block's size; the value it returns is the block's last id.
 */
public final class IdBlocks {

    /** Ids per block, and the increment of each sequence. */
    public static final int SIZE = 50;

    public static final String SALE = "sale_ids";
    public static final String LEDGER_ENTRY = "ledger_entry_ids";
    public static final String POINTS_LOT = "points_lot_ids";

    /** The sequence of each table whose ids come in blocks. */
    public static final Map<String, String> SEQUENCES = Map.of("sale", SALE, "ledger_entry", LEDGER_ENTRY,
            "points_lot", POINTS_LOT);

    private IdBlocks() {
    }
}
