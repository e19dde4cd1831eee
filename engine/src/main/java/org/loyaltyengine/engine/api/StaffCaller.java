package org.loyaltyengine.engine.api;

import jakarta.servlet.http.HttpServletRequest;

import org.loyaltyengine.engine.application.Staff;
import org.loyaltyengine.engine.domain.ledger.Channel;
import org.loyaltyengine.engine.infrastructure.security.Caller;

/** The staff member behind an administrative request, as the services record them. */
final class StaffCaller {

    private StaffCaller() {
    }

    static Staff of(HttpServletRequest request) {
        return of(request, Channel.ADMIN);
    }

    static Staff of(HttpServletRequest request, Channel channel) {
        Caller caller = AccessFilter.callerOf(request);
        return new Staff(caller.name(), caller.programmeCode(), channel);
    }
}
