package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.infrastructure.security.Caller;
import org.loyaltyengine.engine.infrastructure.security.PasswordHasher;
import org.loyaltyengine.engine.infrastructure.security.TokenSigner;

/**
 * Exchanges an email and password for a signed bearer token. {@value #FAILURES_BEFORE_LOCK} failed sign-ins in a
 * row lock the account for {@code LOCK}: the count is kept in the database, so guessing on several engine
 * instances gains nothing. Passwords are never logged.
 */
@ApplicationScoped
public class LoginService {

    public static final int FAILURES_BEFORE_LOCK = 5;
    public static final Duration LOCK = Duration.ofMinutes(15);

    // Hashed once so that an unknown email costs as much time as a wrong password.
    private static final String DUMMY_HASH = PasswordHasher.hash("not-a-password");

    @Inject
    AccessRepository access;

    @Inject
    TokenSigner tokens;

    @Inject
    LoginService self;

    @Inject
    Clock clock;

    /** The token and its lifetime in seconds. */
    public record Token(String token, long expiresIn, String role) {
    }

    /**
     * @throws DomainException {@code invalid_credentials} (401) for an unknown email or a wrong password,
     *                         {@code account_locked} (429) after too many failures
     */
    public Token login(String email, String password) {
        Optional<Account> account = self.account(email);
        Instant now = clock.instant();
        if (account.isPresent() && account.get().lockedAt(now)) {
            throw new DomainException(DomainException.Kind.TOO_MANY, "account_locked", "Too many failed sign-ins:"
                    + " this account is locked until " + account.get().lockedUntil() + "; try again later");
        }
        boolean matches = PasswordHasher.matches(password, account.map(Account::passwordHash).orElse(DUMMY_HASH));
        if (account.isEmpty() || !matches) {
            account.ifPresent(known -> self.failed(known.email()));
            throw new DomainException(DomainException.Kind.UNAUTHENTICATED, "invalid_credentials",
                    "The email or the password is wrong");
        }
        self.succeeded(account.get().email());
        Account known = account.get();
        Caller caller = new Caller(known.email(), known.role(), known.programmeCode(), null,
                known.memberPublicId());
        return new Token(tokens.issue(caller), tokens.lifetime().toSeconds(), known.role().name());
    }

    /** The token of an account that just proved who it is (a registration). */
    public Token tokenFor(Account account) {
        return new Token(tokens.issue(new Caller(account.email(), account.role(), account.programmeCode(), null,
                account.memberPublicId())), tokens.lifetime().toSeconds(), account.role().name());
    }

    @Transactional
    public Optional<Account> account(String email) {
        return access.findAccount(email.strip().toLowerCase(java.util.Locale.ROOT))
                .or(() -> access.findAccount(email.strip()));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void failed(String email) {
        access.findAccount(email).ifPresent(account -> account.failedLogin(clock.instant(), FAILURES_BEFORE_LOCK,
                LOCK));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void succeeded(String email) {
        access.findAccount(email).ifPresent(Account::succeededLogin);
    }
}
