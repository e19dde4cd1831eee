package org.loyaltyengine.engine.domain.ledger;

import java.time.LocalDate;
import java.util.List;

/**
 * A member's points on a given day.
 *
 * @param available points that can be spent now
 * @param pending   points earned but still waiting out the pending period
 * @param expiring  spendable points grouped by the day they expire, soonest first
 */
public record Balance(long available, long pending, List<ExpiringPoints> expiring) {

    public Balance {
        expiring = List.copyOf(expiring);
    }

    /** Points that expire on a day. */
    public record ExpiringPoints(long points, LocalDate on) {
    }
}
