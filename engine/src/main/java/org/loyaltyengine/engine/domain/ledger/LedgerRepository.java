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

    /** Records a run of the expiry job. */
    void record(ExpiryRun run);

    /** The lots with points left that have not expired by {@code today}, soonest-expiring first. */
    List<PointsLot> openLots(Member member, LocalDate today);

    /** The member's lots with points left that expire on or before {@code asOf}, soonest first. */
    List<PointsLot> lotsExpiringBy(Member member, LocalDate asOf);

    /**
     * The lots the earn entry of a sale opened, and, when the sale's member was merged into the {@code holder}, the
     * lots the merges moved its points into (a return takes points from them first).
     */
    List<PointsLot> lotsOfSale(long saleId, Member buyer, Member holder);

    /** Ids of the programme's members holding points that expire on or before {@code asOf}. */
    List<Long> membersWithPointsExpiringBy(long programmeId, LocalDate asOf);

    /** Points the sale earned (its earn entry), 0 when it earned none. */
    long earnedOnSale(long saleId);

    /** Qualifying points the sale's returns took back so far, 0 when none did. */
    long qualifyingReversedOnSale(long saleId);

    /** The rules' shares of the points the sale earned (its earn entry's applied rules), empty when it earned none. */
    List<AppliedRule> earnSharesOfSale(long saleId);

    /** The entry of this id on the member or on a duplicate merged into it, if any. */
    java.util.Optional<LedgerEntry> entryOf(Member member, long entryId);

    /** Whether an entry of the member or of a duplicate merged into it has this reference. */
    boolean referenced(Member member, String reference);

    /** The lots an entry opened. */
    List<PointsLot> lotsOf(LedgerEntry entry);

    /** The entry recorded under an idempotency key on the member or on a duplicate merged into it, if any. */
    java.util.Optional<LedgerEntry> findByIdempotencyKey(Member member, String key);

    /** Sum of all the member's entries: what the lots and the debt must add up to. */
    long entriesTotal(Member member);

    /** What remains in all the member's lots, expired or not. */
    long lotsRemainingTotal(Member member);

    /** Every entry of the member, oldest first. */
    List<LedgerEntry> allEntries(Member member);

    /**
     * The member's spendable and pending points on a day, summed by the database (no expiry breakdown): what
     * tills need, at a cost that does not grow with the member's history.
     */
    Balance spendable(Member member, LocalDate today);

    /** The member's balance on a day: spendable, pending and expiring points of the lots, less any debt. */
    Balance balanceOf(Member member, LocalDate today);

    /**
     * The member's spend and qualifying points since the given instant and purchases ever, read together: the
     * facts every sale gives the rules, and the tier progress the member sees. Qualifying points and purchases
     * count those of the duplicates merged into the member.
     */
    PurchaseHistory purchaseHistory(Member member, Instant since);

    /**
     * The same as the engine knew it just before {@code recordedAt}: the sales and entries recorded before then
     * (spend since {@code since}, qualifying points of entries dated since {@code since}, purchases ever), each sale
     * less what of it had come back by then (a return recorded since does not count), and the scores as they are now (a day's scores are not kept). What a simulation's replay gives the rules for a sale
     * recorded then, so that the live set's figure is what the sale earned.
     */
    PurchaseHistory purchaseHistoryBefore(Member member, Instant since, Instant recordedAt);

    /**
     * The member's tier just before {@code recordedAt}: the tier a change recorded since says it left (the first of
     * them), else the tier the member holds now.
     */
    String tierBefore(Member member, Instant recordedAt);

    /**
     * The member's (and their merged accounts') first entries since the instant that moved qualifying points, oldest
     * first, at most {@code limit}: when each was made and its qualifying points.
     */
    java.util.List<QualifyingMove> oldestQualifying(Member member, Instant since, int limit);

    /** Qualifying points an entry moved (a purchase's, a return's), and when. */
    record QualifyingMove(Instant occurredAt, long points) {
    }

    /**
     * The member's purchase history since the given instant, its spendable points on {@code today} and, when a
     * store and receipt are given, whether the programme already holds a sale of that receipt: the three reads of
     * a sale (or, without the receipt, of a quote) in one statement.
     */
    SaleStanding saleStanding(Member member, Instant since, LocalDate today, String storeId, String receiptId);

    /** The member's entries, newest first. */
    List<LedgerEntry> history(Member member, int page, int size);

    long countEntries(Member member);
}
