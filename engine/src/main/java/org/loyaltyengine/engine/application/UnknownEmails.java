package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Failed sign-ins and reset codes tried on emails of no account, counted as an account's are
 * ({@link LoginService#FAILURES_BEFORE_LOCK} in a row lock the email for {@link LoginService#LOCK}), so that a
 * lock does not tell whoever tries an email that it has an account: the sixth wrong password on any email answers
 * 429 {@code account_locked}. Kept in this instance's memory (a row per email tried would let anyone fill the
 * database): on a cluster, an email of no account locks after five attempts on the instance that received them.
 */
@ApplicationScoped
public class UnknownEmails {

    /** How many emails are remembered at most; past it those not locked are forgotten, then all of them. */
    static final int LIMIT = 100_000;

    private record Failures(int count, Instant lockedUntil) {
    }

    private final Map<String, Failures> byEmail = new ConcurrentHashMap<>();

    @Inject
    Clock clock;

    /**
     * Counts a failed attempt on an email of no account.
     *
     * @throws org.loyaltyengine.engine.domain.DomainException {@code account_locked} (429) while earlier failures
     *         keep the email locked, as an account's would
     */
    public void attempt(String email) {
        Instant now = clock.instant();
        String key = email.strip().toLowerCase(Locale.ROOT);
        if (byEmail.size() >= LIMIT) {
            byEmail.values().removeIf(failures -> failures.lockedUntil() == null
                    || !failures.lockedUntil().isAfter(now));
            if (byEmail.size() >= LIMIT) {
                byEmail.clear();
            }
        }
        // One email's attempts are counted one at a time, so that of guesses sent all at once five are answered 401.
        byEmail.compute(key, (k, failures) -> {
            if (failures != null && failures.lockedUntil() != null && failures.lockedUntil().isAfter(now)) {
                throw LoginService.locked(failures.lockedUntil());
            }
            int count = (failures == null || failures.lockedUntil() != null ? 0 : failures.count()) + 1;
            return count >= LoginService.FAILURES_BEFORE_LOCK ? new Failures(0, now.plus(LoginService.LOCK))
                    : new Failures(count, null);
        });
    }

}
