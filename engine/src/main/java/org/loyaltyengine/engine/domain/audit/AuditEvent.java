package org.loyaltyengine.engine.domain.audit;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One administrative action: who did what to which member, card or programme, when, and the details. */
@Entity
@Table(name = "audit_event")
public class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false, length = 254)
    private String actor;

    @Column(nullable = false, length = 40)
    private String action;

    @Column(name = "programme_code", length = 32)
    private String programmeCode;

    /** The member id, card number, programme code, claim id or staff account's email acted upon. */
    @Column(nullable = false, length = 254)
    private String subject;

    @Column(length = 2000)
    private String detail;

    protected AuditEvent() {
    }

    public AuditEvent(Instant occurredAt, String actor, String action, String programmeCode, String subject,
                      String detail) {
        this.occurredAt = occurredAt;
        this.actor = actor;
        this.action = action;
        this.programmeCode = programmeCode;
        this.subject = subject;
        this.detail = detail == null || detail.length() <= 2000 ? detail : detail.substring(0, 2000);
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public String actor() {
        return actor;
    }

    public String action() {
        return action;
    }

    public String programmeCode() {
        return programmeCode;
    }

    public String subject() {
        return subject;
    }

    public String detail() {
        return detail;
    }
}
