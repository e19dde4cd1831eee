package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;

@ApplicationScoped
public class JpaAuditTrail implements AuditTrail {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public void record(AuditEvent event) {
        em.persist(event);
    }

    @Override
    public List<AuditEvent> about(String subject) {
        return em.createQuery("select e from AuditEvent e where e.subject = :subject"
                        + " order by e.occurredAt desc, e.id desc", AuditEvent.class)
                .setParameter("subject", subject)
                .setMaxResults(200)
                .getResultList();
    }

    @Override
    public List<AuditEvent> inProgramme(String programmeCode) {
        return em.createQuery("select e from AuditEvent e where e.programmeCode = :code"
                        + " order by e.occurredAt desc, e.id desc", AuditEvent.class)
                .setParameter("code", programmeCode)
                .setMaxResults(500)
                .getResultList();
    }
}
