package org.loyaltyengine.engine.application;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.infrastructure.security.OpenSessions;
import org.loyaltyengine.engine.infrastructure.security.PasswordHasher;

/**
 * A signed-in person changes their own password, customer or staff alike, by giving the current one. Every session
 * signed in before ends, the one that asked included: the answer carries the token of a new session in its place.
 * A wrong current password counts as a failed sign-in (counted before it is checked, as at the sign-in form), so a
 * stolen token cannot be used to guess the password faster than the sign-in form allows.
 */
@ApplicationScoped
public class PasswordService {

    @Inject
    AccessRepository access;

    @Inject
    LoginService login;

    @Inject
    PasswordService self;

    @Inject
    OpenSessions sessions;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    /**
     * @param email the account's email, as the caller's token names it
     * @return the token of a new session of the account
     * @throws DomainException {@code invalid_credentials} (403, field {@code currentPassword}) for a wrong current
     *                         password, {@code account_locked} (429) after too many failures,
     *                         {@code password_unchanged} (422, field {@code newPassword}) when the new password is
     *                         the current one, {@code password_changed} (409) when another change came first
     */
    public LoginService.Token change(String email, String currentPassword, String newPassword) {
        Account account = login.account(email).flatMap(known -> login.attempt(known.email()))
                .orElseThrow(() -> new DomainException(DomainException.Kind.UNAUTHENTICATED, "unauthenticated",
                        "No account " + email + " any more"));
        if (!PasswordHasher.matches(currentPassword, account.passwordHash())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "invalid_credentials",
                    "The current password is wrong; the password is unchanged", "currentPassword");
        }
        if (PasswordHasher.matches(newPassword, account.passwordHash())) {
            login.proved(account.email());
            throw DomainException.unprocessable("password_unchanged", "newPassword",
                    "The new password is the current one; choose another");
        }
        String newHash = PasswordHasher.hash(newPassword);
        LoginService.Token token = BusyRetry.call(() -> self.store(account.email(), account.passwordHash(), newHash));
        sessions.ended(account.email());
        return token;
    }

    /** Stores the new password if the one checked is still the account's, and signs a new session in. */
    @Transactional
    public LoginService.Token store(String email, String checkedHash, String newHash) {
        Account account = access.lockAccount(email).orElseThrow(() -> new DomainException(
                DomainException.Kind.UNAUTHENTICATED, "unauthenticated", "No account " + email + " any more"));
        if (!account.passwordHash().equals(checkedHash)) {
            throw DomainException.conflict("password_changed",
                    "The password was changed meanwhile, by another session; sign in again");
        }
        account.changePassword(newHash);
        boolean customer = account.role() == Role.CUSTOMER;
        String subject = customer && account.memberPublicId() != null ? account.memberPublicId()
                : email.substring(0, Math.min(email.length(), 64));
        audit.record(new AuditEvent(clock.instant(), customer ? "web:" + email : email, "PASSWORD_CHANGED",
                account.programmeCode(), subject, "Password changed by its owner; every session signed in"
                        + " before ended"));
        return login.tokenFor(account);
    }
}
