package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.sale.Sale;
import org.loyaltyengine.engine.domain.sale.SaleRepository;

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
    public void add(Sale sale) {
        em.persist(sale);
        em.flush();
    }
}
