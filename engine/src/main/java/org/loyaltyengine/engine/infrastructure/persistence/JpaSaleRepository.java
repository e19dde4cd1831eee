package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.sale.Sale;
import org.loyaltyengine.engine.domain.sale.SaleRepository;
import org.loyaltyengine.engine.domain.sale.SaleReturn;

@ApplicationScoped
public class JpaSaleRepository implements SaleRepository {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public Optional<Sale> findByReceipt(Programme programme, String storeId, String receiptId) {
        return em.createQuery("select s from Sale s where s.programme = :programme and s.storeId = :store"
                        + " and s.receiptId = :receipt", Sale.class)
                .setParameter("programme", programme)
                .setParameter("store", storeId)
                .setParameter("receipt", receiptId)
                .getResultStream().findFirst();
    }

    @Override
    public boolean publicIdTaken(String transactionId) {
        return em.createQuery("select count(s) from Sale s where s.publicId = :id", Long.class)
                .setParameter("id", transactionId).getSingleResult() > 0;
    }

    @Override
    public Optional<Sale> findByPublicId(Programme programme, String transactionId) {
        return em.createQuery("select s from Sale s where s.programme = :programme and s.publicId = :id",
                        Sale.class)
                .setParameter("programme", programme)
                .setParameter("id", transactionId)
                .getResultStream().findFirst();
    }

    @Override
    public Optional<SaleReturn> findReturn(Sale sale, String returnId) {
        return em.createQuery("select r from SaleReturn r where r.sale = :sale and r.returnId = :id",
                        SaleReturn.class)
                .setParameter("sale", sale)
                .setParameter("id", returnId)
                .getResultStream().findFirst();
    }

    @Override
    public List<SaleReturn> returnsOf(Sale sale) {
        // Ordered here, not by the database: a sale has few returns, and Derby's sorter is costly (see
        // JpaLedgerRepository.openLots).
        return em.createQuery("select r from SaleReturn r where r.sale = :sale", SaleReturn.class)
                .setParameter("sale", sale)
                .getResultStream().sorted(Comparator.comparing(SaleReturn::id)).toList();
    }

    @Override
    public void add(SaleReturn saleReturn) {
        em.persist(saleReturn);
        em.flush();
    }

    @Override
    public java.util.Map<Long, String> receiptIds(java.util.Collection<Long> saleIds) {
        if (saleIds.isEmpty()) {
            return java.util.Map.of();
        }
        java.util.Map<Long, String> receipts = new java.util.HashMap<>();
        em.createQuery("select s.id, s.receiptId from Sale s where s.id in :ids", Object[].class)
                .setParameter("ids", saleIds)
                .getResultList()
                .forEach(row -> receipts.put((Long) row[0], (String) row[1]));
        return receipts;
    }

    @Override
    public List<Sale> salesOf(Member member, int page, int size) {
        return em.createQuery("select s from Sale s where s.member.id in :ids"
                        + " order by s.recordedAt desc, s.id desc", Sale.class)
                .setParameter("ids", MergedAccounts.ids(em, member))
                .setFirstResult(Math.multiplyExact(page, size)) // the service keeps it in range
                .setMaxResults(size)
                .getResultList();
    }

    @Override
    public long countSales(Member member) {
        return em.createQuery("select count(s) from Sale s where s.member.id in :ids", Long.class)
                .setParameter("ids", MergedAccounts.ids(em, member))
                .getSingleResult();
    }


    @Override
    public List<Sale> salesOf(Member member) {
        return em.createQuery("select s from Sale s where s.member = :member"
                        + " order by s.recordedAt desc, s.id desc", Sale.class)
                .setParameter("member", member)
                .getResultList();
    }

    @Override
    public List<Sale> occurredBetween(Programme programme, java.time.Instant from, java.time.Instant to, int max) {
        return em.createQuery("select s from Sale s where s.programme = :programme and s.occurredAt >= :from"
                        + " and s.occurredAt < :to order by s.occurredAt, s.id", Sale.class)
                .setParameter("programme", programme)
                .setParameter("from", from)
                .setParameter("to", to)
                .setMaxResults(max)
                .getResultList();
    }

    @Override
    public List<Sale> latest(Programme programme, int window, int max) {
        Long newest = em.createQuery("select max(s.id) from Sale s", Long.class).getSingleResult();
        if (newest == null) {
            return List.of();
        }
        return em.createQuery("select s from Sale s where s.id > :from and s.programme = :programme", Sale.class)
                .setParameter("from", newest - window)
                .setParameter("programme", programme)
                .setMaxResults(max)
                .getResultList();
    }

    @Override
    public void add(Sale sale) {
        em.persist(sale);
        em.flush();
    }
}
