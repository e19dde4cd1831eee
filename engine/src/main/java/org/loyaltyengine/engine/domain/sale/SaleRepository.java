package org.loyaltyengine.engine.domain.sale;

import java.util.Optional;

import org.loyaltyengine.engine.domain.programme.Programme;

/** Where recorded sales are kept. */
public interface SaleRepository {

    Optional<Sale> findByReceipt(Programme programme, String storeId, String receiptId);

    /** Adds the sale and flushes, so that a duplicate receipt fails here rather than at commit. */
    void add(Sale sale);
}
