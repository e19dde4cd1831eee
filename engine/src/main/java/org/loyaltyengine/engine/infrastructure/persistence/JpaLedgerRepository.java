package org.loyaltyengine.engine.infrastructure.persistence;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.ledger.AppliedRule;
import org.loyaltyengine.engine.domain.ledger.Balance;
import org.loyaltyengine.engine.domain.ledger.EntryKind;
import org.loyaltyengine.engine.domain.ledger.ExpiryRun;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.PointsLot;
import org.loyaltyengine.engine.domain.ledger.PurchaseHistory;
import org.loyaltyengine.engine.domain.ledger.SaleStanding;
import org.loyaltyengine.engine.domain.member.Member;

@ApplicationScoped
public class JpaLedgerRepository implements LedgerRepository {

    private static final Comparator<PointsLot> SOONEST_EXPIRING =
            Comparator.comparing(PointsLot::expiresOn).thenComparing(PointsLot::id);

    /** The member's lots with points left that have not expired on a day (parameters: member, day). */
    private static final String OPEN_LOTS =
            " FROM points_lot l WHERE l.member_id = ? AND l.remaining > 0 AND l.expires_on > ?";

    /** The sums of the open lots' points and of the pending ones among them; markers: day, member, day. */
    private static final String LOT_SUMS = "SELECT SUM(l.remaining) AS open_points,"
            + " SUM(CASE WHEN l.available_on > ? THEN l.remaining ELSE 0 END) AS pending" + OPEN_LOTS;

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public void append(LedgerEntry entry) {
        em.persist(entry);
    }

    @Override
    public void record(ExpiryRun run) {
        em.persist(run);
    }

    @Override
    public void add(PointsLot lot) {
        em.persist(lot);
    }

    @Override
    public Balance balanceOf(Member member, LocalDate today) {
        List<PointsLot> lots = openLots(member, today);
        long available = -member.pointsOwed();
        long pending = 0;
        TreeMap<LocalDate, Long> expiring = new TreeMap<>();
        for (PointsLot lot : lots) {
            if (lot.availableOn().isAfter(today)) {
                pending += lot.remaining();
            } else {
                available += lot.remaining();
                expiring.merge(lot.expiresOn(), lot.remaining(), Long::sum);
            }
        }
        return new Balance(available, pending, expiring.entrySet().stream()
                .map(e -> new Balance.ExpiringPoints(e.getValue(), e.getKey())).toList());
    }

    @Override
    public Balance spendable(Member member, LocalDate today) {
        // One statement for both sums, every parameter a marker (a JPQL parameter inside CASE is written into the
        // SQL by EclipseLink, and Derby would then compile a new statement for every member and day). Lots the
        // transaction has opened or spent are written first: EclipseLink flushes before any query in a transaction,
        // native ones included.
        java.sql.Date day = java.sql.Date.valueOf(today);
        Object[] row = (Object[]) em.createNativeQuery(LOT_SUMS)
                .setParameter(1, day)
                .setParameter(2, member.id())
                .setParameter(3, day)
                .getSingleResult();
        return spendable(member, row[0], row[1]);
    }

    /** The spendable balance from the sums of the open lots' points and of the pending ones among them. */
    private static Balance spendable(Member member, Object open, Object pending) {
        return new Balance(sum(open) - sum(pending) - member.pointsOwed(), sum(pending), List.of());
    }

    @Override
    public List<PointsLot> openLots(Member member, LocalDate today) {
        // Ordered here rather than by the database: the lots of one member are few, and on Derby every ORDER BY
        // the index cannot answer runs a sorter that formats its statistics in text, throwing and catching a
        // missing-bundle exception per message (1.4 % of the sale path's CPU in the profile).
        return em.createQuery("select l from PointsLot l where l.member = :member"
                        + " and l.remaining > 0 and l.expiresOn > :today", PointsLot.class)
                .setParameter("member", member)
                .setParameter("today", today)
                .getResultStream().sorted(SOONEST_EXPIRING).toList();
    }

    @Override
    public List<PointsLot> lotsExpiringBy(Member member, LocalDate asOf) {
        return em.createQuery("select l from PointsLot l where l.member = :member and l.remaining > 0"
                        + " and l.expiresOn <= :asOf order by l.expiresOn, l.id", PointsLot.class)
                .setParameter("member", member)
                .setParameter("asOf", asOf)
                .getResultList();
    }

    @Override
    public List<PointsLot> lotsOfSale(long saleId, Member buyer, Member holder) {
        List<PointsLot> lots = new ArrayList<>(em.createQuery("select l from PointsLot l"
                        + " where l.entry.saleId = :sale and l.entry.kind = :kind", PointsLot.class)
                .setParameter("sale", saleId)
                .setParameter("kind", EntryKind.EARN)
                .getResultList());
        if (!buyer.id().equals(holder.id())) {
            lots.addAll(em.createQuery("select l from PointsLot l where l.member.id in :accounts"
                            + " and l.movedSale = :sale", PointsLot.class)
                    .setParameter("accounts", MergedAccounts.ids(em, holder))
                    .setParameter("sale", saleId)
                    .getResultList());
        }
        return lots.stream().sorted(Comparator.comparing(PointsLot::id)).toList(); // see openLots
    }

    @Override
    public List<Long> membersWithPointsExpiringBy(long programmeId, LocalDate asOf) {
        return em.createQuery("select distinct l.member.id from PointsLot l where l.member.programme.id = :p"
                        + " and l.remaining > 0 and l.expiresOn <= :asOf", Long.class)
                .setParameter("p", programmeId)
                .setParameter("asOf", asOf)
                .getResultList();
    }

    @Override
    public long earnedOnSale(long saleId) {
        Long sum = em.createQuery("select sum(e.points) from LedgerEntry e where e.saleId = :sale"
                        + " and e.kind = :kind", Long.class)
                .setParameter("sale", saleId)
                .setParameter("kind", EntryKind.EARN)
                .getSingleResult();
        return sum == null ? 0 : sum;
    }

    @Override
    public long qualifyingReversedOnSale(long saleId) {
        Long sum = em.createQuery("select sum(e.qualifyingPoints) from LedgerEntry e where e.saleId = :sale"
                        + " and e.kind = :kind", Long.class)
                .setParameter("sale", saleId)
                .setParameter("kind", EntryKind.RETURN_REVERSAL)
                .getSingleResult();
        return sum == null ? 0 : -sum;
    }

    @Override
    public List<AppliedRule> earnSharesOfSale(long saleId) {
        return em.createQuery("select e from LedgerEntry e where e.saleId = :sale and e.kind = :kind",
                        LedgerEntry.class)
                .setParameter("sale", saleId)
                .setParameter("kind", EntryKind.EARN)
                .getResultStream().flatMap(entry -> entry.appliedRules().stream()).toList();
    }

    @Override
    public Optional<LedgerEntry> entryOf(Member member, long entryId) {
        return em.createQuery("select e from LedgerEntry e where e.id = :id and e.member.id in :accounts",
                        LedgerEntry.class)
                .setParameter("id", entryId)
                .setParameter("accounts", MergedAccounts.ids(em, member))
                .getResultStream().findFirst();
    }

    @Override
    public boolean referenced(Member member, String reference) {
        return !em.createQuery("select e.id from LedgerEntry e where e.member.id in :accounts"
                        + " and e.reference = :reference", Long.class)
                .setParameter("accounts", MergedAccounts.ids(em, member))
                .setParameter("reference", reference)
                .setMaxResults(1)
                .getResultList().isEmpty();
    }

    @Override
    public List<PointsLot> lotsOf(LedgerEntry entry) {
        return em.createQuery("select l from PointsLot l where l.entry = :entry order by l.id", PointsLot.class)
                .setParameter("entry", entry)
                .getResultList();
    }

    @Override
    public Optional<LedgerEntry> findByIdempotencyKey(Member member, String key) {
        // An adjustment made on a duplicate before it was merged here is this account's too: its retry on the kept
        // member (the duplicate answers member_merged) is the same adjustment, not a second one.
        return em.createQuery("select e from LedgerEntry e where e.member.id in :accounts"
                                + " and e.idempotencyKey = :key order by e.id", LedgerEntry.class)
                .setParameter("accounts", MergedAccounts.ids(em, member))
                .setParameter("key", key)
                .getResultStream().findFirst();
    }

    @Override
    public long entriesTotal(Member member) {
        Long sum = em.createQuery("select sum(e.points) from LedgerEntry e where e.member = :member", Long.class)
                .setParameter("member", member)
                .getSingleResult();
        return sum == null ? 0 : sum;
    }

    @Override
    public long lotsRemainingTotal(Member member) {
        Long sum = em.createQuery("select sum(l.remaining) from PointsLot l where l.member = :member", Long.class)
                .setParameter("member", member)
                .getSingleResult();
        return sum == null ? 0 : sum;
    }

    @Override
    public List<LedgerEntry> allEntries(Member member) {
        return em.createQuery("select e from LedgerEntry e where e.member = :member"
                        + " order by e.recordedAt, e.id", LedgerEntry.class)
                .setParameter("member", member)
                .getResultList();
    }

    @Override
    public PurchaseHistory purchaseHistory(Member member, Instant since) {
        return read(member, since, null, null, null).history();
    }

    @Override
    public PurchaseHistory purchaseHistoryBefore(Member member, Instant since, Instant recordedAt) {
        List<Long> ids = MergedAccounts.ids(em, member);
        String accounts = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        jakarta.persistence.Query query = em.createNativeQuery("SELECT"
                + " p.spend, h.qualifying, p.purchases,"
                + " ms.recency_score, ms.frequency_score, ms.monetary_score, ms.segment, ms.favourite_category,"
                + " ms.attrition_risk"
                + " FROM member m LEFT OUTER JOIN member_score ms ON ms.member_id = m.id,"
                // The sales recorded before, each less what of it had come back by then (not since).
                + " (SELECT SUM(CASE WHEN k.occurred_at >= ? THEN k.total - k.back ELSE 0 END) AS spend,"
                + " SUM(CASE WHEN k.back < k.total OR k.back = 0 THEN 1 ELSE 0 END) AS purchases FROM"
                + " (SELECT s.id, s.occurred_at, s.total, COALESCE(SUM(r.returned_value), 0) AS back FROM sale s"
                + " LEFT OUTER JOIN sale_return r ON r.sale_id = s.id AND r.recorded_at < ?"
                + " WHERE s.member_id IN (" + accounts + ") AND s.recorded_at < ?"
                + " GROUP BY s.id, s.occurred_at, s.total) k) p,"
                + " (SELECT SUM(e.qualifying_points) AS qualifying FROM ledger_entry e"
                + " WHERE e.member_id IN (" + accounts + ") AND e.occurred_at >= ? AND e.recorded_at < ?) h"
                + " WHERE m.id = ?");
        InstantConverter converter = new InstantConverter();
        java.sql.Timestamp from = java.sql.Timestamp.valueOf(converter.convertToDatabaseColumn(since));
        java.sql.Timestamp before = java.sql.Timestamp.valueOf(converter.convertToDatabaseColumn(recordedAt));
        int position = 1;
        query.setParameter(position++, from);
        query.setParameter(position++, before);
        for (Long id : ids) {
            query.setParameter(position++, id);
        }
        query.setParameter(position++, before);
        for (Long id : ids) {
            query.setParameter(position++, id);
        }
        query.setParameter(position++, from);
        query.setParameter(position++, before);
        query.setParameter(position, member.id());
        return history((Object[]) query.getSingleResult());
    }

    /** The purchase history of a row whose first nine columns are spend, qualifying, purchases and the scores. */
    private static PurchaseHistory history(Object[] row) {
        PurchaseHistory.Scores scores = row[6] == null ? null : new PurchaseHistory.Scores(
                ((Number) row[3]).intValue(), ((Number) row[4]).intValue(), ((Number) row[5]).intValue(),
                (String) row[6], (String) row[7], new java.math.BigDecimal(row[8].toString()));
        return new PurchaseHistory(row[0] == null ? java.math.BigDecimal.ZERO
                : new java.math.BigDecimal(row[0].toString()), sum(row[1]), sum(row[2]), scores);
    }

    @Override
    public String tierBefore(Member member, Instant recordedAt) {
        // A change recorded with the sale (its upgrade) is the sale's own: the tier it left is the one before.
        return em.createQuery("select e.reference from LedgerEntry e where e.member.id in :ids and e.kind = :kind"
                        + " and e.recordedAt >= :at order by e.recordedAt, e.id", String.class)
                .setParameter("ids", MergedAccounts.ids(em, member)).setParameter("kind", EntryKind.TIER_CHANGE)
                .setParameter("at", recordedAt).setMaxResults(1).getResultList().stream()
                .filter(change -> change != null && change.contains("->"))
                .map(change -> change.substring(0, change.indexOf("->"))).findFirst().orElse(member.tierCode());
    }

    @Override
    public List<QualifyingMove> oldestQualifying(Member member, Instant since, int limit) {
        return em.createQuery("select e.occurredAt, e.qualifyingPoints from LedgerEntry e where e.member.id in :ids"
                        + " and e.occurredAt >= :since and e.qualifyingPoints <> 0 order by e.occurredAt", Object[].class)
                .setParameter("ids", MergedAccounts.ids(em, member)).setParameter("since", since)
                .setMaxResults(limit).getResultList().stream()
                .map(row -> new QualifyingMove((Instant) row[0], ((Number) row[1]).longValue())).toList();
    }

    @Override
    public SaleStanding saleStanding(Member member, Instant since, LocalDate today, String storeId,
                                     String receiptId) {
        return read(member, since, today, storeId, receiptId);
    }

    /**
     * One statement for the three figures of the purchase history and the scores (it was seven with the merged
     * accounts' look-ups and the scores' row, on every sale); with a day, the spendable and pending sums of the
     * lots (as {@link #spendable}); with a receipt, whether it is recorded. A sale's reads under its lock were
     * three statements, and each costs a round trip to PostgreSQL and a statement's execution in Derby. The text
     * only changes with the number of merged accounts and the parts asked for, so the database keeps reusing its
     * compiled plans. Without a day, the standing has no balance.
     *
     * <p>The purchases are the member's sales (and their merged accounts'), each read once from the index for both
     * figures: the spend kept in the tier window, and the count of sales ever made, less those whose goods all
     * came back. A sale that earned nothing (a basket under a euro) is a purchase too; counting the earn entries,
     * as the engine did, left it out. The entries are read for the tier window only (the index leads with the
     * member, then the time). The open lots are read once for both their sums. Each sum reads index rows in
     * proportion to the member's history (a weekly shopper holds a hundred lots), and read twice they made a sale
     * for a member with a thousand open lots take half as long again (benchmarks/HISTORY.md).
     */
    private SaleStanding read(Member member, Instant since, LocalDate today, String storeId, String receiptId) {
        List<Long> ids = MergedAccounts.ids(em, member);
        String accounts = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
        boolean receipt = storeId != null;
        jakarta.persistence.Query query = em.createNativeQuery("SELECT"
                + " p.spend, h.qualifying, p.purchases,"
                + " ms.recency_score, ms.frequency_score, ms.monetary_score, ms.segment, ms.favourite_category,"
                + " ms.attrition_risk"
                + (today == null ? "" : ", lots.open_points, lots.pending")
                + (receipt ? ", (SELECT COUNT(*) FROM sale r WHERE r.programme_id = ? AND r.store_id = ?"
                        + " AND r.receipt_id = ?)" : "")
                + " FROM member m LEFT OUTER JOIN member_score ms ON ms.member_id = m.id,"
                // What was kept of the sales: a sale whose goods all came back is no purchase.
                + " (SELECT SUM(CASE WHEN s.occurred_at >= ? THEN s.total - s.returned_value ELSE 0 END) AS spend,"
                + " SUM(CASE WHEN s.returned_value < s.total OR s.returned_value = 0 THEN 1 ELSE 0 END) AS purchases"
                + " FROM sale s WHERE s.member_id IN (" + accounts + ")) p,"
                + " (SELECT SUM(e.qualifying_points) AS qualifying FROM ledger_entry e"
                + " WHERE e.member_id IN (" + accounts + ") AND e.occurred_at >= ?) h"
                + (today == null ? "" : ", (" + LOT_SUMS + ") lots")
                + " WHERE m.id = ?");
        java.sql.Timestamp from = java.sql.Timestamp.valueOf(new InstantConverter().convertToDatabaseColumn(since));
        int position = 1;
        if (receipt) {
            query.setParameter(position++, member.programme().id());
            query.setParameter(position++, storeId);
            query.setParameter(position++, receiptId);
        }
        query.setParameter(position++, from);
        for (Long id : ids) {
            query.setParameter(position++, id);
        }
        for (Long id : ids) {
            query.setParameter(position++, id);
        }
        query.setParameter(position++, from);
        if (today != null) {
            java.sql.Date day = java.sql.Date.valueOf(today);
            query.setParameter(position++, day);
            query.setParameter(position++, member.id());
            query.setParameter(position++, day);
        }
        query.setParameter(position, member.id());
        Object[] row = (Object[]) query.getSingleResult();
        PurchaseHistory history = history(row);
        int column = 9;
        Balance spendable = null;
        if (today != null) {
            spendable = spendable(member, row[column], row[column + 1]);
            column += 2;
        }
        return new SaleStanding(history, spendable, receipt && sum(row[column]) > 0);
    }

    @Override
    public List<LedgerEntry> history(Member member, int page, int size) {
        return em.createQuery("select e from LedgerEntry e where e.member = :member"
                        + " order by e.recordedAt desc, e.id desc", LedgerEntry.class)
                .setParameter("member", member)
                .setFirstResult(Math.multiplyExact(page, size)) // the service keeps it in range
                .setMaxResults(size)
                .getResultList();
    }

    @Override
    public long countEntries(Member member) {
        return em.createQuery("select count(e) from LedgerEntry e where e.member = :member", Long.class)
                .setParameter("member", member)
                .getSingleResult();
    }

    /** A sum or count read by a native statement: SQL's SUM of no rows is NULL, and drivers differ in the type. */
    private static long sum(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }
}
