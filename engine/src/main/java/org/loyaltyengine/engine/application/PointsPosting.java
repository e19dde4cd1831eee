package org.loyaltyengine.engine.application;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
            PointsLot lot = entry.openLot(shape.points(), shape.availableOn(), shape.expiresOn());
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
        ledger.append(entry);
        Member member = entry.member();
        Map<Long, PointsLot> order = new LinkedHashMap<>();
        preferred.stream().filter(lot -> lot.expiresOn().isAfter(today)).forEach(lot -> order.put(lot.id(), lot));
        List<PointsLot> pending = new ArrayList<>();
        for (PointsLot lot : ledger.openLots(member, today)) {
            if (lot.availableOn().isAfter(today)) {
                pending.add(lot);
            } else {
                order.putIfAbsent(lot.id(), lot);
            }
        }
        pending.forEach(lot -> order.putIfAbsent(lot.id(), lot));
        long left = -entry.points();
        for (PointsLot lot : order.values()) {
            if (left == 0) {
                break;
            }
            left -= lot.consume(left);
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

    /** Consumes exactly these lots (expiry, the duplicate's side of a merge). */
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

    /** The points and dates of a lot to open. */
    public record LotShape(long points, LocalDate availableOn, LocalDate expiresOn) {
    }
}
