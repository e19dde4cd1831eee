package org.loyaltyengine.engine.domain.ledger;

import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
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
 * Points credited together, with the day they become spendable and the day they expire. Redemption and expiry
 * consume lots soonest-expiring first; what remains of each lot is the member's balance. A lot is a projection of
 * the ledger kept in the same transaction as the entries that change it.
 */
@Entity
@Table(name = "points_lot")
public class PointsLot {

    /** From a database sequence, a block of ids at a time (see {@link IdBlocks}). */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = IdBlocks.POINTS_LOT)
    @SequenceGenerator(name = IdBlocks.POINTS_LOT, sequenceName = IdBlocks.POINTS_LOT, allocationSize = IdBlocks.SIZE)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "member_id")
    private Member member;

    /**
     * Read only when asked for: a redemption reads every open lot of the member, and loading each lot's entry (and
     * that entry's applied rules) made two more statements per lot. A merge opens several lots for one entry.
     */
    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "entry_id")
    private LedgerEntry entry;

    @Column(nullable = false)
    private long points;

    @Column(nullable = false)
    private long remaining;

    /** What the expiry took of the lot: the points it still held on its expiry day. */
    @Column(nullable = false)
    private long expired;

    @Column(name = "available_on", nullable = false)
    private LocalDate availableOn;

    @Column(name = "expires_on", nullable = false)
    private LocalDate expiresOn;

    /**
     * The sale whose points the lot holds when a merge moved them here from a duplicate's lot (null otherwise: a
     * sale's own lot is known by its entry).
     */
    @Column(name = "sale_id")
    private Long movedSale;

    protected PointsLot() {
    }

    PointsLot(LedgerEntry entry, long points, LocalDate availableOn, LocalDate expiresOn, Long movedSale) {
        this.member = entry.member();
        this.entry = entry;
        this.points = points;
        this.remaining = points;
        this.availableOn = availableOn;
        this.expiresOn = expiresOn;
        this.movedSale = movedSale;
    }

    /**
     * The sale whose points these are, if a sale's: the one its earn entry recorded, or the one a merge carried it
     * from ({@link #movedSale}); a merge moving it again keeps it.
     */
    public Long saleOfPoints() {
        if (movedSale != null) {
            return movedSale;
        }
        return entry.kind() == EntryKind.EARN ? entry.saleId() : null;
    }

    /** Takes up to {@code wanted} points from what remains of the lot; returns how many were taken. */
    public long consume(long wanted) {
        long taken = Math.min(wanted, remaining);
        remaining -= taken;
        return taken;
    }

    /** The expiry takes what remains of the lot; returns how many points that was. */
    public long expire() {
        long taken = remaining;
        expired += taken;
        remaining = 0;
        return taken;
    }

    /**
     * The lot's points that are gone unspent on {@code today}: those the expiry took, and those still in a lot
     * whose expiry day has come (the hourly run takes them next). A return never takes these back.
     */
    public long lostBy(LocalDate today) {
        return expired + (expiresOn.isAfter(today) ? 0 : remaining);
    }

    /** Part of the lot's points goes to repay what the member owes (a balance below zero). */
    public long repayDebt(Member holder) {
        long used = holder.repay(remaining);
        remaining -= used;
        return used;
    }

    public Long id() {
        return id;
    }

    public LedgerEntry entry() {
        return entry;
    }

    public long points() {
        return points;
    }

    public long remaining() {
        return remaining;
    }

    public LocalDate availableOn() {
        return availableOn;
    }

    public LocalDate expiresOn() {
        return expiresOn;
    }
}
