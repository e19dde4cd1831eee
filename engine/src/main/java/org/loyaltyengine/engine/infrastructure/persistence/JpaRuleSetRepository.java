package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.ruleset.RuleSetRepository;
import org.loyaltyengine.engine.domain.ruleset.RuleSetStatus;
import org.loyaltyengine.engine.domain.ruleset.RuleSetVersion;

@ApplicationScoped
public class JpaRuleSetRepository implements RuleSetRepository {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public List<RuleSetVersion> findPublished() {
        return em.createQuery("select v from RuleSetVersion v where v.status = :status", RuleSetVersion.class)
                .setParameter("status", RuleSetStatus.PUBLISHED)
                .getResultList();
    }

    @Override
    public void add(RuleSetVersion version) {
        em.persist(version);
    }

    @Override
    public java.util.Optional<RuleSetVersion> findPublished(String programmeCode) {
        return em.createQuery("select v from RuleSetVersion v where v.status = :status"
                        + " and v.programme.code = :code", RuleSetVersion.class)
                .setParameter("status", RuleSetStatus.PUBLISHED)
                .setParameter("code", programmeCode)
                .getResultStream().findFirst();
    }
}
