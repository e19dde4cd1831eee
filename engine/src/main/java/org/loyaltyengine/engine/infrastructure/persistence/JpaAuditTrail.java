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

    /**
     * Records the event and writes the action's changes out with it. A write that refers to a row deleted at the
     * same moment (a tier added to a programme being deleted) then fails here, inside the action, where its cause is
     * known and answered ({@code 409 deleted_meanwhile}); met at the commit instead, on PostgreSQL, the failure no
     * longer says why. Actions that are audited are few (staff and account changes), so the round trip costs
     * nothing the tills would see.
     */
    @Override
    public void record(AuditEvent event) {
        em.persist(event);
        em.flush();
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
