package org.loyaltyengine.engine.domain.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.IdBlocks;
import org.loyaltyengine.engine.domain.member.Member;

/**
 * One change of a member's points. Entries are only ever added: a mistake is corrected by a new entry, never by
 * editing an old one. Each records who, when, through which channel and why, and for earnings which rules of
 * which rule set version decided the points.
 */
@Entity
@Table(name = "ledger_entry")
public class LedgerEntry {

    /** From a database sequence, a block of ids at a time (see {@link IdBlocks}). */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = IdBlocks.LEDGER_ENTRY)
    @SequenceGenerator(name = IdBlocks.LEDGER_ENTRY, sequenceName = IdBlocks.LEDGER_ENTRY,
            allocationSize = IdBlocks.SIZE)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "member_id")
    private Member member;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 24)
    private EntryKind kind;

    /** Signed: positive credits, negative debits. */
    @Column(nullable = false)
    private long points;

    /** How many of the points count towards the member's tier. */
    @Column(name = "qualifying_points", nullable = false)
    private long qualifyingPoints;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Channel channel;

    @Column(name = "store_id", length = 32)
    private String storeId;

    @Column(nullable = false, length = 254)
    private String actor;

    @Column(length = 500)
    private String reason;

    @Column(name = "sale_id")
    private Long saleId;

    @Column(name = "rule_set", length = 64)
    private String ruleSet;

    /** The public id of what the entry belongs to: a return, a redemption, a merged member, a claim. */
    @Column(length = 64)
    private String reference;

    /** The caller's key of an administrative change, so that a retry is recorded once. */
    @Column(name = "idempotency_key", length = 80)
    private String idempotencyKey;

    /** An earn's rule shares, in one column (AppliedRulesColumn); none on other entries. */
    @Column(name = "applied_rules")
    private AppliedRules appliedRules = AppliedRules.NONE;

    protected LedgerEntry() {
    }

    private LedgerEntry(Member member, EntryKind kind, long points, long qualifyingPoints, Provenance provenance,
                        Instant recordedAt) {
        this.member = member;
        this.kind = kind;
        this.points = points;
        this.qualifyingPoints = qualifyingPoints;
        this.occurredAt = provenance.occurredAt();
        this.recordedAt = recordedAt;
        this.channel = provenance.channel();
        this.storeId = provenance.storeId();
        this.actor = provenance.actor();
        this.reason = provenance.reason();
    }

    /** Points earned on a sale: every point qualifies for tiers. */
    public static LedgerEntry earn(Member member, long saleId, List<AppliedRule> rules, String ruleSet,
                                   Provenance provenance, Instant recordedAt) {
        long points = rules.stream().mapToLong(AppliedRule::points).sum();
        LedgerEntry entry = new LedgerEntry(member, EntryKind.EARN, points, points, provenance, recordedAt);
        entry.saleId = saleId;
        entry.ruleSet = ruleSet;
        entry.appliedRules = new AppliedRules(rules);
        return entry;
    }

    /** Points spent, on a sale (as payment) or on a reward: a debit. */
    public static LedgerEntry redeem(Member member, Long saleId, long points, Provenance provenance,
                                     Instant recordedAt) {
        if (points <= 0) {
            throw new IllegalArgumentException("A redemption spends a positive number of points, was " + points);
        }
        LedgerEntry entry = new LedgerEntry(member, EntryKind.REDEEM, -points, 0, provenance, recordedAt);
        entry.saleId = saleId;
        return entry;
    }

    /**
     * The points of a redemption given back when it is cancelled: a credit of the same kind, so that what a
     * programme's reports call redeemed is net of it, referring to the redemption. They never count towards tiers,
     * as the points spent did not stop counting.
     */
    public static LedgerEntry redemptionCancelled(Member member, long points, String redemptionId,
                                                  Provenance provenance, Instant recordedAt) {
        if (points <= 0) {
            throw new IllegalArgumentException("A cancelled redemption gives back a positive number of points, was "
                    + points);
        }
        LedgerEntry entry = new LedgerEntry(member, EntryKind.REDEEM, points, 0, provenance, recordedAt);
        entry.reference = redemptionId;
        return entry;
    }

    /**
     * A manual correction. A reason is required; credits may count towards tiers (an opening balance carried
     * over from a previous scheme does), debits never do (the caller refuses them: a debit dated now would stay in
     * the tier window after the credit it undid left it, and hold back the member's real purchases).
     */
    public static LedgerEntry adjustment(Member member, long points, boolean qualifying, Provenance provenance,
                                         Instant recordedAt) {
        if (points == 0) {
            throw new IllegalArgumentException("An adjustment of zero points records nothing");
        }
        if (provenance.reason() == null || provenance.reason().isBlank()) {
            throw new IllegalArgumentException("An adjustment needs a reason");
        }
        long qualifyingPoints = qualifying && points > 0 ? points : 0;
        return new LedgerEntry(member, EntryKind.ADJUSTMENT, points, qualifyingPoints, provenance, recordedAt);
    }

    /** The reference of the reversal of an entry ({@link #reversalOf}). */
    public static String reversing(long entryId) {
        return "reverses " + entryId;
    }

    /**
     * A manual credit taken back whole, a mistake undone: its points, and its qualifying points from the tier
     * standing, dated at the credit's time ({@code provenance}'s) so that they leave the tier window together.
     */
    public static LedgerEntry reversalOf(LedgerEntry credit, Member member, Provenance provenance, Instant recordedAt) {
        if (credit.kind != EntryKind.ADJUSTMENT || credit.points <= 0) {
            throw new IllegalArgumentException("Only a manual credit is reversed, not entry " + credit.id);
        }
        if (provenance.reason() == null || provenance.reason().isBlank()) {
            throw new IllegalArgumentException("An adjustment needs a reason");
        }
        LedgerEntry entry = new LedgerEntry(member, EntryKind.ADJUSTMENT, -credit.points, -credit.qualifyingPoints,
                provenance, recordedAt);
        entry.reference = reversing(credit.id);
        return entry;
    }

    /**
     * Earned points taken back because goods were returned: {@code points} from the balance and
     * {@code qualifyingPoints} from the tier standing. The two differ when the sale's points expired before the
     * goods came back: what expired is not taken a second time, but the points still stop counting towards tiers,
     * so an entry may take qualifying points alone.
     *
     * @param returnId the till's id of the return
     */
    public static LedgerEntry returnReversal(Member member, long saleId, String returnId, long points,
                                             long qualifyingPoints, Provenance provenance, Instant recordedAt) {
        if (points < 0 || qualifyingPoints < points || qualifyingPoints == 0) {
            throw new IllegalArgumentException("A reversal takes back some points, no more of the balance than of the"
                    + " tier standing; was " + points + " and " + qualifyingPoints + " qualifying");
        }
        LedgerEntry entry = new LedgerEntry(member, EntryKind.RETURN_REVERSAL, -points, -qualifyingPoints,
                provenance, recordedAt);
        entry.saleId = saleId;
        entry.reference = returnId;
        return entry;
    }

    /** Points that reached their expiry date unspent. */
    public static LedgerEntry expiry(Member member, long points, Provenance provenance, Instant recordedAt) {
        if (points <= 0) {
            throw new IllegalArgumentException("An expiry removes a positive number of points, was " + points);
        }
        return new LedgerEntry(member, EntryKind.EXPIRY, -points, 0, provenance, recordedAt);
    }

    /**
     * Points moved between a duplicate member and the member it is merged into: negative on the duplicate,
     * positive on the survivor. Qualifying points are not moved: tier qualification reads the merged member's
     * own entries, where they happened.
     */
    public static LedgerEntry mergeTransfer(Member member, long points, String otherMemberId, Provenance provenance,
                                            Instant recordedAt) {
        if (points == 0) {
            throw new IllegalArgumentException("A transfer of zero points records nothing");
        }
        LedgerEntry entry = new LedgerEntry(member, EntryKind.MERGE_TRANSFER, points, 0, provenance, recordedAt);
        entry.reference = otherMemberId;
        return entry;
    }

    /**
     * A change of tier, up after a purchase or down at the yearly review: a ledger-visible event of no points.
     *
     * @param change "BRONZE->SILVER", kept as the entry's reference
     */
    public static LedgerEntry tierChange(Member member, String change, Provenance provenance, Instant recordedAt) {
        LedgerEntry entry = new LedgerEntry(member, EntryKind.TIER_CHANGE, 0, 0, provenance, recordedAt);
        entry.reference = change;
        return entry;
    }

    /** Ties the entry to what it belongs to (a redemption, a claim) by that thing's public id. */
    public LedgerEntry referring(String publicId) {
        this.reference = publicId;
        return this;
    }

    /** Records the caller's idempotency key: the database refuses the same key twice for one member. */
    public LedgerEntry withIdempotencyKey(String key) {
        this.idempotencyKey = key;
        return this;
    }

    /** A lot of these points, when the entry credits points that can later be spent or expire. */
    public PointsLot openLot(LocalDate availableOn, LocalDate expiresOn) {
        if (points <= 0) {
            throw new IllegalStateException("Only a credit opens a lot; this entry is " + points);
        }
        return new PointsLot(this, points, availableOn, expiresOn, null);
    }

    /**
     * A lot of part of this credit's points: a merge moves each lot of the duplicate with its own dates, and with
     * the sale whose points it holds (null for none).
     */
    public PointsLot openLot(long lotPoints, LocalDate availableOn, LocalDate expiresOn, Long sale) {
        if (lotPoints <= 0 || lotPoints > points) {
            throw new IllegalStateException("A lot of " + lotPoints + " points cannot come from an entry of "
                    + points);
        }
        return new PointsLot(this, lotPoints, availableOn, expiresOn, sale);
    }

    public Long id() {
        return id;
    }

    public Member member() {
        return member;
    }

    public EntryKind kind() {
        return kind;
    }

    public long points() {
        return points;
    }

    public long qualifyingPoints() {
        return qualifyingPoints;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public Instant recordedAt() {
        return recordedAt;
    }

    public Channel channel() {
        return channel;
    }

    public String storeId() {
        return storeId;
    }

    public String actor() {
        return actor;
    }

    public String reason() {
        return reason;
    }

    public String ruleSet() {
        return ruleSet;
    }

    public Long saleId() {
        return saleId;
    }

    public String reference() {
        return reference;
    }

    public String idempotencyKey() {
        return idempotencyKey;
    }

    public List<AppliedRule> appliedRules() {
        return appliedRules == null ? List.of() : appliedRules.shares();
    }
}
