package org.loyaltyengine.engine.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.infrastructure.security.Caller;
import org.loyaltyengine.engine.infrastructure.security.PasswordHasher;
import org.loyaltyengine.engine.infrastructure.security.TokenSigner;

/** Exchanges an email and password for a signed bearer token. */
@ApplicationScoped
public class LoginService {

    // Hashed once so that an unknown email costs as much time as a wrong password.
    private static final String DUMMY_HASH = PasswordHasher.hash("not-a-password");

    @Inject
    AccessRepository access;

    @Inject
    TokenSigner tokens;

    /** The token and its lifetime in seconds. */
    public record Token(String token, long expiresIn, String role) {
    }

    /** @throws DomainException {@code invalid_credentials} (401) for an unknown email or a wrong password */
    @Transactional
    public Token login(String email, String password) {
        Account account = access.findAccount(email).orElse(null);
        boolean matches = PasswordHasher.matches(password, account == null ? DUMMY_HASH : account.passwordHash());
        if (account == null || !matches) {
            throw new DomainException(DomainException.Kind.UNAUTHENTICATED, "invalid_credentials",
                    "The email or the password is wrong");
        }
        Caller caller = new Caller(account.email(), account.role(), account.programmeCode(), null,
                account.memberPublicId());
        return new Token(tokens.issue(caller), tokens.lifetime().toSeconds(), account.role().name());
    }
}
