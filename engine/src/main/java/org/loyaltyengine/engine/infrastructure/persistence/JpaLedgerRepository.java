package org.loyaltyengine.engine.infrastructure.persistence;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.ledger.Balance;
import org.loyaltyengine.engine.domain.ledger.EntryKind;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.PointsLot;
import org.loyaltyengine.engine.domain.member.Member;

@ApplicationScoped
public class JpaLedgerRepository implements LedgerRepository {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public void append(LedgerEntry entry) {
        em.persist(entry);
    }

    @Override
    public void add(PointsLot lot) {
        em.persist(lot);
    }

    @Override
    public Balance balanceOf(Member member, LocalDate today) {
        List<PointsLot> lots = openLots(member, today);
        long available = 0;
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
    public List<PointsLot> openLots(Member member, LocalDate today) {
        return em.createQuery("select l from PointsLot l where l.member = :member and l.remaining > 0"
                        + " and l.expiresOn > :today order by l.expiresOn, l.id", PointsLot.class)
                .setParameter("member", member)
                .setParameter("today", today)
                .getResultList();
    }

    @Override
    public long qualifyingPointsSince(Member member, Instant since) {
        Long sum = em.createQuery("select sum(e.qualifyingPoints) from LedgerEntry e where e.member = :member"
                        + " and e.occurredAt >= :since", Long.class)
                .setParameter("member", member)
                .setParameter("since", since)
                .getSingleResult();
        return sum == null ? 0 : sum;
    }

    @Override
    public long purchaseCount(Member member) {
        return em.createQuery("select count(e) from LedgerEntry e where e.member = :member and e.kind = :kind",
                        Long.class)
                .setParameter("member", member)
                .setParameter("kind", EntryKind.EARN)
                .getSingleResult();
    }

    @Override
    public List<LedgerEntry> history(Member member, int page, int size) {
        return em.createQuery("select e from LedgerEntry e where e.member = :member"
                        + " order by e.recordedAt desc, e.id desc", LedgerEntry.class)
                .setParameter("member", member)
                .setFirstResult(page * size)
                .setMaxResults(size)
                .getResultList();
    }

    @Override
    public long countEntries(Member member) {
        return em.createQuery("select count(e) from LedgerEntry e where e.member = :member", Long.class)
                .setParameter("member", member)
                .getSingleResult();
    }
}
