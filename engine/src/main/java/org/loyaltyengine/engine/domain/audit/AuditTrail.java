package org.loyaltyengine.engine.domain.audit;

import java.util.List;

/** Where administrative actions are recorded, in the transaction of the action itself. */
public interface AuditTrail {

    void record(AuditEvent event);

    /** The events about a subject (member id, card number, ...), newest first. */
    List<AuditEvent> about(String subject);

    /** The events of a programme, newest first, at most 500. */
    List<AuditEvent> inProgramme(String programmeCode);
}
