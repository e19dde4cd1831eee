package org.loyaltyengine.engine.infrastructure.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.domain.access.EndedSession;
import org.loyaltyengine.engine.domain.access.PosKey;
import org.loyaltyengine.engine.domain.access.Store;
import org.loyaltyengine.engine.domain.access.AttemptSlot;

@ApplicationScoped
public class JpaAccessRepository implements AccessRepository {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public Optional<Account> findAccount(String email) {
        return em.createQuery("select a from Account a where a.email = :email", Account.class)
                .setParameter("email", email.strip().toLowerCase(Locale.ROOT))
                .getResultStream().findFirst();
    }

    @Override
    public Optional<Account> lockAccount(String email) {
        return em.createQuery("select a from Account a where a.email = :email", Account.class)
                .setParameter("email", email)
                .setHint("eclipselink.pessimistic-lock", "Lock")
                .setHint("eclipselink.refresh", "true")
                .getResultStream().findFirst();
    }

    @Override
    public Optional<AttemptSlot> lockAttemptSlot(int slot) {
        return em.createQuery("select f from AttemptSlot f where f.slot = :slot", AttemptSlot.class)
                .setParameter("slot", slot)
                .setHint("eclipselink.pessimistic-lock", "Lock")
                .setHint("eclipselink.refresh", "true")
                .getResultStream().findFirst();
    }

    @Override
    public void add(AttemptSlot failures) {
        em.persist(failures);
    }

    @Override
    public Optional<PosKey> findPosKey(String keyHash) {
        return em.createQuery("select k from PosKey k where k.keyHash = :hash", PosKey.class)
                .setParameter("hash", keyHash)
                .getResultStream().findFirst();
    }

    @Override
    public void add(Account account) {
        em.persist(account);
    }

    @Override
    public void add(PosKey key) {
        em.persist(key);
    }

    @Override
    public java.util.List<Account> accountsOf(String memberPublicId) {
        return em.createQuery("select a from Account a where a.memberPublicId = :member", Account.class)
                .setParameter("member", memberPublicId)
                .getResultList();
    }

    @Override
    public java.util.List<Account> staff() {
        return em.createQuery("select a from Account a where a.role <> :customer order by a.email", Account.class)
                .setParameter("customer", org.loyaltyengine.engine.domain.access.Role.CUSTOMER)
                .getResultList();
    }

    @Override
    public long activeAdministrators() {
        return em.createQuery("select count(a) from Account a where a.role = :admin and a.disabledAt is null",
                        Long.class)
                .setParameter("admin", org.loyaltyengine.engine.domain.access.Role.ADMIN)
                .getSingleResult();
    }

    @Override
    public void remove(Account account) {
        em.remove(em.contains(account) ? account : em.merge(account));
    }

    @Override
    public java.util.List<Store> stores(String programmeCode) {
        java.util.List<Store> stores = new java.util.ArrayList<>(em.createQuery(
                        "select s from Store s where s.programme.code = :code", Store.class)
                .setParameter("code", programmeCode)
                .getResultList());
        // Ordered here: a few rows, and Derby's sorter costs more than they do (HISTORY.md).
        java.text.Collator collator = java.text.Collator.getInstance(java.util.Locale.ROOT);
        stores.sort(java.util.Comparator.comparing(Store::name, collator).thenComparing(Store::storeId));
        return stores;
    }

    @Override
    public Optional<Store> store(String programmeCode, String storeId) {
        return em.createQuery("select s from Store s where s.programme.code = :code and s.storeId = :store",
                        Store.class)
                .setParameter("code", programmeCode)
                .setParameter("store", storeId)
                .getResultStream().findFirst();
    }

    @Override
    public void add(Store store) {
        em.persist(store);
    }

    @Override
    public java.util.List<PosKey> posKeys(String programmeCode) {
        return em.createQuery("select k from PosKey k where k.programme.code = :code order by k.issuedAt desc, k.id desc",
                        PosKey.class)
                .setParameter("code", programmeCode)
                .getResultList();
    }

    @Override
    public boolean sessionOpen(String email, String sessionStamp, String sessionId) {
        // The email exactly as the token names it: the account's own spelling, as the login read it.
        List<String> stamps = em.createQuery("select a.sessionStamp from Account a where a.email = :email",
                        String.class)
                .setParameter("email", email)
                .getResultList();
        if (stamps.isEmpty() || !Objects.equals(stamps.get(0), sessionStamp)) {
            return false;
        }
        return sessionId == null || !sessionEnded(sessionId);
    }

    @Override
    public void add(EndedSession session) {
        em.persist(session);
    }

    @Override
    public boolean sessionEnded(String sessionId) {
        return em.find(EndedSession.class, sessionId) != null;
    }

    @Override
    public int forgetEndedSessions(Instant expiredBefore) {
        return em.createQuery("delete from EndedSession e where e.expiresAt < :before")
                .setParameter("before", expiredBefore)
                .executeUpdate();
    }
}
