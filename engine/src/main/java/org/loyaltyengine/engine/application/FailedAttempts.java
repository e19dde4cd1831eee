package org.loyaltyengine.engine.application;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.AttemptSlot;
import org.loyaltyengine.engine.domain.card.CardNumber;
import org.loyaltyengine.engine.infrastructure.security.SigningKey;

/**
 * Failed attempts on what has no row of its own to count them in, counted as an account's failed sign-ins are
 * ({@link LoginService#FAILURES_BEFORE_LOCK} in a row lock for {@link LoginService#LOCK}):
 * <ul>
 *   <li>sign-ins and reset codes tried on emails of no account ({@link #onUnknownEmail}), so that a lock does not
 *       tell whoever tries an email that it has an account: the sixth wrong password on any email answers 429
 *       {@code account_locked};</li>
 *   <li>claims of a desk-issued card ({@link #onCardClaim}: its number, an email and a last name), whether the card
 *       exists or not, so that the email on file cannot be guessed from the number printed on the card and the
 *       holder's name: the sixth claim of a card answers 429 {@code claim_locked}.</li>
 * </ul>
 * The counts are kept in the database, so that on a cluster they lock after five attempts over all the instances,
 * and attempts sent at once are each counted under the row's lock. They are kept in a fixed number of slots
 * ({@link #SLOTS}), a name's chosen by a hash of it keyed with a key derived from the token signing key, which the
 * instances share: trying a hundred thousand other names cannot push one's count out, as it could out of a table
 * with a limit, and nobody can choose names that share a slot (two that do share their count and lock, which locks
 * nobody out of an account).
 */
@ApplicationScoped
public class FailedAttempts {

    /** How many names' counts are kept apart (rows in the table at most). */
    static final int SLOTS = 1 << 20;

    @Inject
    AccessRepository access;

    @Inject
    SigningKey signingKey;

    @Inject
    FailedAttempts self;

    @Inject
    Clock clock;

    /** The slots' hash key, derived once from the signing key. */
    private volatile byte[] key;

    /**
     * Counts a failed attempt on an email of no account.
     *
     * @throws DomainException {@code account_locked} (429) while earlier failures keep the email locked, as an
     *                         account's would
     */
    public void onUnknownEmail(String email) {
        count(email.strip().toLowerCase(Locale.ROOT), LoginService::locked);
    }

    /**
     * Counts the claim of a card before its details are checked: a right one has nothing left to guess (the card has
     * its sign-in then).
     *
     * @return the end of the lock this claim began (the fifth in a row), else {@code null}
     * @throws DomainException {@code claim_locked} (429, field {@code cardNumber}) while earlier claims keep the card
     *                         locked
     */
    public Instant onCardClaim(CardNumber card) {
        return count("card " + card.value(), until -> new DomainException(DomainException.Kind.TOO_MANY, "claim_locked",
                "Too many attempts to join with this card: try again after " + LoginService.untilText(until)
                        + ", or ask the service desk to check the email and name on file", "cardNumber"));
    }

    private Instant count(String name, Function<Instant, DomainException> locked) {
        int slot = slot(name);
        try {
            return BusyRetry.call(() -> self.count(slot, locked));
        } catch (RuntimeException e) {
            // The slot's first failure counted at once on two instances (or threads): both inserted its row, and the
            // one refused counts again on the row the other wrote.
            if (!ConstraintViolations.duplicateKey(e)) {
                throw e;
            }
            return BusyRetry.call(() -> self.count(slot, locked));
        }
    }

    /** @return the end of the lock this attempt began, else {@code null} */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Instant count(int slot, Function<Instant, DomainException> locked) {
        Instant now = clock.instant();
        AttemptSlot failures = access.lockAttemptSlot(slot).orElseGet(() -> {
            AttemptSlot first = new AttemptSlot(slot);
            access.add(first);
            return first;
        });
        if (failures.lockedAt(now)) {
            throw locked.apply(failures.lockedUntil());
        }
        return failures.attempt(now, LoginService.FAILURES_BEFORE_LOCK, LoginService.LOCK) ? failures.lockedUntil()
                : null;
    }

    /** The name's slot: the same on every instance that shares the signing key. */
    int slot(String name) {
        byte[] hashKey = key;
        if (hashKey == null) {
            hashKey = signingKey.derive("attempt-slots");
            key = hashKey;
        }
        return slot(hashKey, name);
    }

    static int slot(byte[] key, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] hash = mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
            return ((hash[0] & 0xff) << 16 | (hash[1] & 0xff) << 8 | (hash[2] & 0xff)) & (SLOTS - 1);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
