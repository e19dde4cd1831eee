package org.loyaltyengine.engine.domain.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.loyaltyengine.engine.domain.member.Member;

/** Where ledger entries and lots are kept. */
public interface LedgerRepository {

    /** Appends an entry and, for a credit, the lot it opens. */
    void append(LedgerEntry entry);

    void add(PointsLot lot);

    /** The lots with points left that have not expired by {@code today}, soonest-expiring first. */
    List<PointsLot> openLots(Member member, LocalDate today);

    /** The member's balance on a day: spendable, pending and expiring points of the lots. */
    Balance balanceOf(Member member, LocalDate today);

    /** Qualifying points of the entries that occurred at or after the given instant. */
    long qualifyingPointsSince(Member member, Instant since);

    /** How many purchases the member made. */
    long purchaseCount(Member member);

    /** The member's entries, newest first. */
    List<LedgerEntry> history(Member member, int page, int size);

    long countEntries(Member member);
}
