package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.claim.Claim;
import org.loyaltyengine.engine.domain.claim.ClaimRepository;
import org.loyaltyengine.engine.domain.claim.ClaimStatus;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;

@ApplicationScoped
public class JpaClaimRepository implements ClaimRepository {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @jakarta.inject.Inject
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "loyalty.db.kind", defaultValue = "derby")
    String databaseKind;

    @Override
    public void add(Claim claim) {
        em.persist(claim);
        em.flush();
    }

    @Override
    public Optional<Claim> findByPublicId(String publicId) {
        return em.createQuery("select c from Claim c where c.publicId = :id", Claim.class)
                .setParameter("id", publicId)
                .getResultStream().findFirst();
    }

    @Override
    public Optional<Claim> find(Member member, String storeId, String receiptId) {
        return Claim.firstFound(receiptId, spelling -> em.createQuery("select c from Claim c"
                        + " where c.member = :member and c.storeId = :store and c.receiptId = :receipt", Claim.class)
                .setParameter("member", member)
                .setParameter("store", storeId)
                .setParameter("receipt", spelling)
                .getResultStream().findFirst());
    }

    @Override
    public List<Claim> ofMember(Member member) {
        return em.createQuery("select c from Claim c where c.member = :member order by c.id desc", Claim.class)
                .setParameter("member", member)
                .getResultList();
    }

    @Override
    public Claim reread(Claim claim) {
        em.refresh(claim);
        return claim;
    }

    @Override
    public Optional<Claim> approvedFor(Programme programme, String storeId, String receiptId) {
        // Served by claim_receipt_ix (migration 17): the till's sale asks on every receipt.
        return Claim.firstFound(receiptId, spelling -> em.createQuery("select c from Claim c where c.storeId = :store"
                        + " and c.receiptId = :receipt and c.status = :approved and c.member.programme = :programme",
                        Claim.class)
                .setParameter("store", storeId)
                .setParameter("receipt", spelling)
                .setParameter("approved", ClaimStatus.APPROVED)
                .setParameter("programme", programme)
                .getResultStream().findFirst());
    }

    @Override
    public boolean lockReceipt(String storeId, String receiptId) {
        // Scalar and one table: no Claim is built, so no claimant's member row is read under the lock (Derby's
        // readers wait for its writers: a sale reading the row an approval holds deadlocked); Derby locks only a
        // single-table cursor's rows, and keeps them to the commit only with RS.
        // The receipt in each of its spellings (Claim.distinctSpellings: a claim typed in small letters is the till's), one
        // indexed look-up each: Derby narrows an index scan by an IN list only on the index's first column, and
        // receipt_id is its second, so an IN list read (and locked) every claim of the store.
        boolean approved = false;
        for (String spelling : Claim.distinctSpellings(receiptId)) {
            List<?> statuses = em.createNativeQuery("SELECT status FROM claim WHERE store_id = ? AND receipt_id = ?"
                            + " FOR UPDATE" + (databaseKind.strip().equalsIgnoreCase("derby") ? " WITH RS" : ""))
                    .setParameter(1, storeId)
                    .setParameter(2, spelling)
                    .getResultList();
            approved |= statuses.stream().anyMatch(status -> ClaimStatus.APPROVED.name().equals(String.valueOf(status)));
        }
        return approved;
    }

    @Override
    public List<Claim> inProgramme(String programmeCode, ClaimStatus status, int page, int size) {
        // Two queries rather than ":status is null": Derby cannot type a parameter that is only compared to null.
        var query = status == null
                ? em.createQuery("select c from Claim c where c.member.programme.code = :code"
                        + " order by c.createdAt, c.id", Claim.class)
                : em.createQuery("select c from Claim c where c.member.programme.code = :code"
                        + " and c.status = :status order by c.createdAt, c.id", Claim.class)
                        .setParameter("status", status);
        return query.setParameter("code", programmeCode)
                .setFirstResult(Math.multiplyExact(page, size)) // the service keeps it in range
                .setMaxResults(size)
                .getResultList();
    }
}
