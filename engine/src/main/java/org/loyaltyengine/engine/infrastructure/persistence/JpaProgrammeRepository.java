package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;

@ApplicationScoped
public class JpaProgrammeRepository implements ProgrammeRepository {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public Optional<Programme> findByCode(String code) {
        return em.createQuery("select p from Programme p where p.code = :code", Programme.class)
                .setParameter("code", code)
                .getResultStream().findFirst();
    }

    @Override
    public Optional<Programme> findByCodeLocked(String code) {
        return em.createQuery("select p from Programme p where p.code = :code", Programme.class)
                .setParameter("code", code)
                .setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .getResultStream().findFirst();
    }

    @Override
    public Programme require(long id) {
        return em.find(Programme.class, id);
    }

    @Override
    public List<Programme> findAll() {
        return em.createQuery("select p from Programme p order by p.code", Programme.class).getResultList();
    }

    @Override
    public void add(Programme programme) {
        em.persist(programme);
    }

    @Override
    public Optional<String> moneyRecorded(Programme programme) {
        if (any("select s.id from Sale s where s.programme = :p", programme)) {
            return Optional.of("sales");
        }
        if (any("select c.id from Claim c where c.member.programme = :p", programme)) {
            return Optional.of("missing-points claims");
        }
        if (any("select o.id from Offer o where o.programme = :p and o.minimumSpend > 0", programme)) {
            return Optional.of("offers with a minimum spend");
        }
        return Optional.empty();
    }

    @Override
    public long members(Programme programme) {
        return em.createQuery("select count(m) from Member m where m.programme = :p", Long.class)
                .setParameter("p", programme).getSingleResult();
    }

    @Override
    public List<String> staffOf(String programmeCode) {
        return em.createQuery("select a.email from Account a where a.programmeCode = :code and a.role <> :customer"
                        + " order by a.email", String.class)
                .setParameter("code", programmeCode)
                .setParameter("customer", Role.CUSTOMER)
                .getResultList();
    }

    @Override
    public boolean lockAgainstWrites(Programme programme) {
        em.lock(programme, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        return em.createNativeQuery("UPDATE programme SET code = code WHERE id = ?").setParameter(1, programme.id())
                .executeUpdate() == 1;
    }

    @Override
    public void delete(Programme programme) {
        em.flush();
        long id = programme.id();
        // Children first, by their foreign keys; a programme without members has no sale, claim, redemption or
        // offer given, so nothing else refers to these rows.
        for (String statement : List.of(
                "DELETE FROM rule_file WHERE version_id IN (SELECT id FROM rule_set_version WHERE programme_id = ?)",
                "DELETE FROM rule_set_version WHERE programme_id = ?",
                "DELETE FROM rule_set_publication WHERE programme_id = ?",
                "DELETE FROM offer WHERE programme_id = ?",
                "DELETE FROM reward WHERE programme_id = ?",
                "DELETE FROM pos_key WHERE programme_id = ?",
                "DELETE FROM store WHERE programme_id = ?",
                "DELETE FROM expiry_run WHERE programme_id = ?",
                "DELETE FROM tier WHERE programme_id = ?",
                "DELETE FROM programme WHERE id = ?")) {
            em.createNativeQuery(statement).setParameter(1, id).executeUpdate();
        }
        em.detach(programme);
    }

    private boolean any(String query, Programme programme) {
        return !em.createQuery(query).setParameter("p", programme).setMaxResults(1).getResultList().isEmpty();
    }
}
