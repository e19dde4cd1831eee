package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.domain.access.EndedSession;
import org.loyaltyengine.engine.infrastructure.security.Caller;
import org.loyaltyengine.engine.infrastructure.security.OpenSessions;
import org.loyaltyengine.engine.infrastructure.security.PasswordHasher;
import org.loyaltyengine.engine.infrastructure.security.Session;
import org.loyaltyengine.engine.infrastructure.security.TokenSigner;

/**
 * Exchanges an email and password for a signed bearer token, and ends sessions when their holder logs out.
 * {@value #FAILURES_BEFORE_LOCK} failed sign-ins in a row lock the account for {@code LOCK}: the count is kept in
 * the database, and each attempt is counted before its password is checked ({@link #attempt}), so guessing on
 * several engine instances, or many times at once, gains nothing. Passwords are never logged.
 */
@ApplicationScoped
public class LoginService {

    private static final Logger LOG = Logger.getLogger(LoginService.class.getName());
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
    OpenSessions sessions;

    @Inject
    FailedAttempts failedAttempts;

    @Inject
    Clock clock;

    /** The token and its lifetime in seconds. */
    public record Token(String token, long expiresIn, String role) {
    }

    /**
     * @throws DomainException {@code invalid_credentials} (401) for an unknown email or a wrong password,
     *                         {@code account_locked} (429) after too many failures, {@code account_disabled} (403)
     *                         for the right password of an account an administrator disabled
     */
    public Token login(String email, String password) {
        Optional<Account> account = attemptOn(email);
        boolean matches = PasswordHasher.matches(password, account.map(Account::passwordHash).orElse(DUMMY_HASH));
        if (account.isEmpty() || !matches) {
            throw new DomainException(DomainException.Kind.UNAUTHENTICATED, "invalid_credentials",
                    "The email or the password is wrong");
        }
        Account known = account.get();
        if (known.isDisabled()) {
            self.proved(known.email());
            throw DomainException.forbidden("account_disabled", "This account has been disabled by an"
                    + " administrator");
        }
        self.succeeded(known.email());
        return tokenFor(known);
    }

    /**
     * Counts an attempt to prove who one is, by the account's password or a reset code, as failed before it is
     * checked: a right one takes it back ({@link #proved}, {@link #succeeded}). Attempts made at the same moment, on
     * one instance or several, are each counted under the account's row lock, and the fifth in a row locks the
     * account, so that of guesses sent all at once no more than five are checked.
     *
     * @param email the account's email as it is kept
     * @return the account as it is now, or empty when there is none (any more)
     * @throws DomainException {@code account_locked} (429) while failed attempts keep the account locked
     */
    public Optional<Account> attempt(String email) {
        return BusyRetry.call(() -> self.countAttempt(email));
    }

    /**
     * An attempt on the account of an email someone typed ({@link #attempt}); on an email of no account, counted all
     * the same ({@link FailedAttempts#onUnknownEmail}), so that a lock tells nothing of which emails have an account.
     *
     * @return the account, or empty when the email has none
     * @throws DomainException {@code account_locked} (429) while failed attempts keep the email locked
     */
    public Optional<Account> attemptOn(String email) {
        Optional<Account> known = self.account(email);
        if (known.isEmpty()) {
            failedAttempts.onUnknownEmail(email);
            return Optional.empty();
        }
        return attempt(known.get().email());
    }

    /** @throws DomainException {@code account_locked} (429) while failed sign-ins keep the account locked */
    static void requireUnlocked(Account account, Instant now) {
        if (account.lockedAt(now)) {
            throw locked(account.lockedUntil());
        }
    }

    /** The refusal of an attempt on an account (or an email of none) locked until then. */
    static DomainException locked(Instant until) {
        return new DomainException(DomainException.Kind.TOO_MANY, "account_locked", "Too many failed sign-ins:"
                + " this account is locked until " + untilText(until) + "; try again then, or ask the service desk"
                + " for a reset code");
    }

    /** The end of a lock as people read it: the minute it has ended by, in UTC ("2026-12-07 09:16 UTC"). */
    static String untilText(Instant until) {
        Instant minute = until.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
                .withZone(java.time.ZoneOffset.UTC).format(minute.equals(until) ? minute : minute.plusSeconds(60));
    }

    /** The token of a new session of an account that just proved who it is (a registration, a new password). */
    public Token tokenFor(Account account) {
        Caller caller = new Caller(account.email(), account.role(), account.programmeCode(), null,
                account.memberPublicId());
        return new Token(tokens.issue(caller, account.sessionStamp()), tokens.lifetime().toSeconds(),
                account.role().name());
    }

    /**
     * Ends the session: its token is refused from now on, by this instance at once and by the others within their
     * recheck time ({@link OpenSessions}). With {@code everywhere}, or for a token issued before sessions had ids,
     * every session of the account ends.
     */
    public void logout(Session session, boolean everywhere) {
        String email = session.caller().name();
        if (everywhere || session.id() == null) {
            BusyRetry.call(() -> self.endEverySession(email));
        } else {
            try {
                BusyRetry.call(() -> self.end(session));
            } catch (RuntimeException e) {
                // The same session logged out twice at once: the other call recorded it.
                if (!access.sessionEnded(session.id())) {
                    throw e;
                }
            }
            forgetExpiredSessions();
        }
        sessions.ended(email);
    }

    @Transactional
    public EndedSession end(Session session) {
        EndedSession ended = new EndedSession(session.id(), clock.instant(), session.expiresAt());
        if (!access.sessionEnded(session.id())) {
            access.add(ended);
        }
        return ended;
    }

    @Transactional
    public Account endEverySession(String email) {
        Account account = access.lockAccount(email).orElseThrow(() -> new DomainException(
                DomainException.Kind.UNAUTHENTICATED, "unauthenticated", "No account " + email + " any more"));
        account.endSessions();
        return account;
    }

    /** The records of ended sessions whose tokens expired serve nothing: a log-out deletes them. */
    private void forgetExpiredSessions() {
        try {
            int forgotten = BusyRetry.call(() -> self.forgetEndedSessions());
            LOG.fine(() -> forgotten + " ended session(s) whose tokens expired forgotten");
        } catch (RuntimeException e) {
            LOG.log(Level.INFO, "Could not delete the ended sessions whose tokens expired; the next log-out does", e);
        }
    }

    @Transactional
    public int forgetEndedSessions() {
        return access.forgetEndedSessions(clock.instant());
    }

    @Transactional
    public Optional<Account> account(String email) {
        return access.findAccount(email.strip().toLowerCase(java.util.Locale.ROOT))
                .or(() -> access.findAccount(email.strip()));
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<Account> countAttempt(String email) {
        Instant now = clock.instant();
        // Locked, so that attempts at the same moment are each counted, and each sees the others' count.
        Optional<Account> account = access.lockAccount(email);
        account.ifPresent(known -> {
            requireUnlocked(known, now);
            known.attemptSignIn(now, FAILURES_BEFORE_LOCK, LOCK);
        });
        return account;
    }

    /** The password or code was right: the count of failures starts again, and a lock its attempt set is lifted. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void proved(String email) {
        access.lockAccount(email).ifPresent(Account::succeededLogin);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void succeeded(String email) {
        // The password was remembered after all: a reset code the desk issued no longer works.
        access.lockAccount(email).ifPresent(account -> {
            account.succeededLogin();
            account.forgetResetCode();
        });
    }
}
