package org.loyaltyengine.engine.domain.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * Who made a change of points, through which channel, when and why: recorded on every ledger entry.
 *
 * @param channel    the channel the change came through
 * @param storeId    the store, for changes made at a till; otherwise {@code null}
 * @param actor      who acted: a terminal ("S001/T3"), a manager's email, "system"
 * @param reason     why, in people's words; required for adjustments
 * @param occurredAt when the change happened in the business sense (the sale's time)
 */
public record Provenance(Channel channel, String storeId, String actor, String reason, Instant occurredAt) {

    public Provenance {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
