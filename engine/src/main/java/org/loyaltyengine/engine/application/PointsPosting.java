package org.loyaltyengine.engine.application;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.PointsLot;
import org.loyaltyengine.engine.domain.member.Member;

/**
 * Writes entries to the ledger and keeps the lots in step, in the caller's transaction, with the member's row
 * already locked by the caller. Credits open a lot and repay any debt first; debits take their points from lots
 * soonest-expiring first, and when the lots do not hold enough (a return after the points were spent) the rest
 * becomes a debt: the member's balance is below zero until new points repay it.
 */
@ApplicationScoped
public class PointsPosting {

    @Inject
    LedgerRepository ledger;

    /** Appends a credit and opens its lot. */
    public void credit(LedgerEntry entry, LocalDate availableOn, LocalDate expiresOn) {
        ledger.append(entry);
        PointsLot lot = entry.openLot(availableOn, expiresOn);
        lot.repayDebt(entry.member());
        ledger.add(lot);
    }

    /** Appends a credit whose points come in several lots, each with its own dates (a merge). */
    public void credit(LedgerEntry entry, List<LotShape> shapes) {
        ledger.append(entry);
        for (LotShape shape : shapes) {
            PointsLot lot = entry.openLot(shape.points(), shape.availableOn(), shape.expiresOn(), shape.sale());
            lot.repayDebt(entry.member());
            ledger.add(lot);
        }
    }

    /**
     * Appends a debit and takes its points from the lots: the {@code preferred} ones first (a sale's own lot on a
     * return), then spendable lots soonest-expiring first, then pending ones.
     *
     * @param mayOwe whether points the lots do not hold become a debt; when not, the caller has checked the
     *               balance and a shortfall is a defect
     * @return the points that became a debt
     */
    public long debit(LedgerEntry entry, LocalDate today, List<PointsLot> preferred, boolean mayOwe) {
        return debit(entry, today, preferred, mayOwe, null);
    }

    /**
     * {@link #debit(LedgerEntry, LocalDate, List, boolean)}, telling {@code taken} what it took from each lot, with
     * the lot's dates (a redemption keeps them, to give them back as they were when it is cancelled); null for no
     * one (a lot's sale is then not read: the entry behind it stays unread, as on a sale's path).
     */
    public long debit(LedgerEntry entry, LocalDate today, List<PointsLot> preferred, boolean mayOwe,
                      Consumer<LotShape> taken) {
        ledger.append(entry);
        Member member = entry.member();
        long left = -entry.points();
        Set<Long> tried = new HashSet<>();
        for (PointsLot lot : preferred) {
            if (left > 0 && lot.expiresOn().isAfter(today)) {
                tried.add(lot.id());
                left -= take(lot, left, taken);
            }
        }
        if (left > 0) {
            // The member's other lots are read only when the preferred ones fall short (a return is nearly always
            // covered by the sale's own lot): spendable ones soonest-expiring first, then pending ones.
            List<PointsLot> open = ledger.openLots(member, today);
            List<PointsLot> order = new ArrayList<>();
            open.stream().filter(lot -> !lot.availableOn().isAfter(today)).forEach(order::add);
            open.stream().filter(lot -> lot.availableOn().isAfter(today)).forEach(order::add);
            for (PointsLot lot : order) {
                if (left == 0) {
                    break;
                }
                if (!tried.contains(lot.id())) {
                    left -= take(lot, left, taken);
                }
            }
        }
        if (left > 0) {
            if (!mayOwe) {
                throw new IllegalStateException("Lots of member " + member.publicId() + " did not cover "
                        + -entry.points() + " points");
            }
            member.owe(left);
        }
        return left;
    }

    private static long take(PointsLot lot, long wanted, Consumer<LotShape> taken) {
        long points = lot.consume(wanted);
        if (points > 0 && taken != null) {
            taken.accept(new LotShape(points, lot.availableOn(), lot.expiresOn(), lot.saleOfPoints()));
        }
        return points;
    }

    /** Consumes exactly these lots (the duplicate's side of a merge). */
    public void consume(LedgerEntry entry, List<PointsLot> lots) {
        ledger.append(entry);
        long left = -entry.points();
        for (PointsLot lot : lots) {
            left -= lot.consume(lot.remaining());
        }
        if (left != 0) {
            throw new IllegalStateException("Entry of " + entry.points() + " does not match its lots");
        }
    }

    /** Expires exactly these lots: what remains of each, noted on the lot as expired. */
    public void expire(LedgerEntry entry, List<PointsLot> lots) {
        ledger.append(entry);
        long left = -entry.points();
        for (PointsLot lot : lots) {
            left -= lot.expire();
        }
        if (left != 0) {
            throw new IllegalStateException("Entry of " + entry.points() + " does not match its lots");
        }
    }

    /** The points and dates of a lot to open. */
    public record LotShape(long points, LocalDate availableOn, LocalDate expiresOn, Long sale) {
    }
}
