package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.ruleset.RuleSetPublication;
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
    public Optional<RuleSetVersion> findPublished(String programmeCode) {
        return em.createQuery("select v from RuleSetVersion v where v.programme.code = :code"
                        + " and v.version = v.programme.liveRuleVersion", RuleSetVersion.class)
                .setParameter("code", programmeCode)
                .getResultStream().findFirst();
    }

    @Override
    public Optional<RuleSetVersion> find(String programmeCode, int version) {
        return em.createQuery("select v from RuleSetVersion v where v.programme.code = :code"
                        + " and v.version = :version", RuleSetVersion.class)
                .setParameter("code", programmeCode)
                .setParameter("version", version)
                .getResultStream().findFirst();
    }

    @Override
    public List<RuleSetVersion> versions(String programmeCode) {
        return em.createQuery("select v from RuleSetVersion v where v.programme.code = :code"
                        + " order by v.version desc", RuleSetVersion.class)
                .setParameter("code", programmeCode)
                .getResultList();
    }

    @Override
    public int nextVersionNumber(String programmeCode) {
        Integer max = em.createQuery("select max(v.version) from RuleSetVersion v where v.programme.code = :code",
                        Integer.class)
                .setParameter("code", programmeCode)
                .getSingleResult();
        return max == null ? 1 : max + 1;
    }

    @Override
    public void add(RuleSetPublication publication) {
        em.persist(publication);
    }

    @Override
    public List<RuleSetPublication> publications(String programmeCode) {
        return em.createQuery("select p from RuleSetPublication p where p.programme.code = :code"
                        // In the order they were made (ids grow with each, the programme's row locked): two
                        // instances' clocks may differ, and a publication's time is taken before its lock.
                        + " order by p.id desc", RuleSetPublication.class)
                .setParameter("code", programmeCode)
                .getResultList();
    }

    @Override
    public Map<String, LiveVersion> liveVersions() {
        Map<String, LiveVersion> live = new HashMap<>();
        for (Object[] row : em.createQuery("select p.code, p.id, p.liveRuleVersion from Programme p"
                + " where p.liveRuleVersion is not null", Object[].class).getResultList()) {
            live.put((String) row[0], new LiveVersion(((Number) row[1]).longValue(), (Integer) row[2]));
        }
        return live;
    }
}
