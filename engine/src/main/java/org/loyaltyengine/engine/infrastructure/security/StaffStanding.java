package org.loyaltyengine.engine.infrastructure.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.domain.access.Role;

/**
 * A staff member's token says who they were when they signed in; their account says who they are now. Each call
 * of a manager, auditor or administrator reads the account (one row by its unique email: staff calls are few),
 * so that an account an administrator disabled is refused from its next call on, on every instance, and a new
 * role or programme applies at once. The same row says whether the token's session was ended (a password set by an
 * administrator, a disable): a staff token signed in before is refused at once on every instance, without waiting
 * for the open-session recheck. Customers' tokens are taken as they are.
 */
@ApplicationScoped
public class StaffStanding {

    @Inject
    AccessRepository access;

    /**
     * @return the caller as their account stands now; empty when the account is gone, no longer a staff account,
     *         or its sessions were ended since the token was signed in
     * @throws DomainException {@code unauthenticated} (401) when the account is disabled
     */
    public Optional<Caller> now(Session session) {
        Caller signedIn = session.caller();
        if (signedIn.role() == Role.CUSTOMER) {
            return Optional.of(signedIn);
        }
        // A token signed in before sessions had stamps (version 22) carries none: it works until it expires.
        Optional<Account> account = access.findAccount(signedIn.name()).filter(Account::isStaff)
                .filter(current -> session.stamp() == null || session.stamp().equals(current.sessionStamp()));
        if (account.isPresent() && account.get().isDisabled()) {
            throw Credentials.unauthenticated("The account " + signedIn.name() + " has been disabled by an"
                    + " administrator");
        }
        return account.map(current -> new Caller(current.email(), current.role(), current.programmeCode(), null,
                null));
    }
}
