package org.loyaltyengine.engine.application;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.ledger.Channel;
import org.loyaltyengine.engine.domain.programme.Programme;

/**
 * A person acting in the administration: recorded on every change they make.
 *
 * @param name           the person's email
 * @param programmeScope the one programme they manage, or {@code null} for staff of every programme
 * @param channel        the channel their changes are recorded under (admin, call centre)
 */
public record Staff(String name, String programmeScope, Channel channel) {

    /**
     * Checks the person manages the programme. Members and cards of other programmes do not exist for them
     * (404), so nothing leaks about them.
     */
    public void requireManages(Programme programme, String code, String what) {
        if (programmeScope != null && !programmeScope.equals(programme.code())) {
            throw DomainException.notFound(code, "No " + what);
        }
    }

    /** @throws DomainException {@code forbidden} (403) when the person manages another programme only */
    public void requireManages(String programmeCode) {
        if (programmeScope != null && !programmeScope.equals(programmeCode)) {
            throw DomainException.forbidden("forbidden", name + " manages programme " + programmeScope
                    + " only, not " + programmeCode);
        }
    }
}
