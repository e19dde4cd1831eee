package org.loyaltyengine.engine.domain.sale;

import java.util.Optional;

import org.loyaltyengine.engine.domain.programme.Programme;

/** Where recorded sales are kept. */
public interface SaleRepository {

    Optional<Sale> findByReceipt(Programme programme, String storeId, String receiptId);

    /** The sale with this transaction id in the programme. */
    Optional<Sale> findByPublicId(Programme programme, String transactionId);

    /** Whether a sale of any programme holds the transaction id (they are unique across programmes). */
    boolean publicIdTaken(String transactionId);

    Optional<SaleReturn> findReturn(Sale sale, String returnId);

    /** Every return recorded against the sale, oldest first. */
    java.util.List<SaleReturn> returnsOf(Sale sale);

    /** Adds the return and flushes, so that a duplicate return id fails here rather than at commit. */
    void add(SaleReturn saleReturn);

    /** The receipt numbers of sales, by the sales' ids (a ledger page names the receipt of each entry). */
    java.util.Map<Long, String> receiptIds(java.util.Collection<Long> saleIds);

    /** A page of the sales of the member and its merged duplicates, newest first (the back office's purchases). */
    java.util.List<Sale> salesOf(org.loyaltyengine.engine.domain.member.Member member, int page, int size);

    /** How many sales the member and its merged duplicates made. */
    long countSales(org.loyaltyengine.engine.domain.member.Member member);

    /** The member's sales, newest first (the GDPR export). */
    java.util.List<Sale> salesOf(org.loyaltyengine.engine.domain.member.Member member);

    /** The programme's sales that occurred in a period, oldest first (simulation replays). */
    java.util.List<Sale> occurredBetween(Programme programme, java.time.Instant from, java.time.Instant to, int max);

    /**
     * Some of the programme's latest sales, at most {@code max}: those among the last {@code window} sales recorded
     * in every programme (read by the primary key, so that it stays cheap on a ledger of millions).
     */
    java.util.List<Sale> latest(Programme programme, int window, int max);

    /**
     * Adds the sale and flushes, so that a duplicate receipt fails here rather than at commit, and the sale is
     * written before the ledger entries that refer to it.
     */
    void add(Sale sale);
}
