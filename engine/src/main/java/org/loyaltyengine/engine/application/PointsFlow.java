package org.loyaltyengine.engine.application;

/**
 * What the reports call points issued, redeemed and expired, as SQL over the ledger: one definition for the
 * dashboard's weeks and the activity report's period, so that the two tabs give the same figures.
 *
 * <ul>
 *   <li><b>issued</b>: every credit to customers: points earned on purchases ({@code EARN}) and positive
 *       adjustments ({@code ADJUSTMENT}, which approved missing-points claims are too); not points moved between
 *       merged member records ({@code MERGE_TRANSFER}), which were issued once already;</li>
 *   <li><b>redeemed</b>: points spent ({@code REDEEM}), net of any given back (a redemption cancelled at a
 *       till, in the period the cancellation was recorded: a period with more given back than spent, which the
 *       30 days a till may cancel in allow, shows a negative figure);</li>
 *   <li><b>expired</b>: points that reached their expiry date unspent ({@code EXPIRY});</li>
 *   <li><b>reversed</b>: points taken back: by returns ({@code RETURN_REVERSAL}) and by managers' debits (negative
 *       {@code ADJUSTMENT}s).</li>
 * </ul>
 * So issued less redeemed, expired and reversed is what the period added to the points outstanding (with merges,
 * which move points without changing the total).
 * An entry counts in the period it was recorded in ({@code recorded_at}), so that a past period's figures do not
 * change when a till that was offline catches up.
 */
final class PointsFlow {

    /** The points an entry {@code e} issued. */
    static final String ISSUED = "CASE WHEN e.kind IN ('EARN', 'ADJUSTMENT') AND e.points > 0 THEN e.points ELSE 0 END";

    /** The points an entry {@code e} redeemed. */
    static final String REDEEMED = "CASE WHEN e.kind = 'REDEEM' THEN -e.points ELSE 0 END";

    /** The points an entry {@code e} expired. */
    static final String EXPIRED = "CASE WHEN e.kind = 'EXPIRY' THEN -e.points ELSE 0 END";

    /** The points an entry {@code e} took back. */
    static final String REVERSED = "CASE WHEN e.kind = 'RETURN_REVERSAL' OR (e.kind = 'ADJUSTMENT' AND e.points < 0)"
            + " THEN -e.points ELSE 0 END";

    /**
     * The programme's entries {@code e} that count, recorded in a period; parameters: the programme's id, the
     * period's start (inclusive) and end (exclusive) as UTC timestamps.
     */
    static final String ENTRIES = "FROM ledger_entry e JOIN member m ON m.id = e.member_id WHERE m.programme_id = ?"
            + " AND e.recorded_at >= ? AND e.recorded_at < ? AND e.kind IN ('EARN', 'ADJUSTMENT', 'REDEEM', 'EXPIRY'"
            + ", 'RETURN_REVERSAL')";

    private PointsFlow() {
    }
}
