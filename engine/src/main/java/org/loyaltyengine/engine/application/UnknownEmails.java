package org.loyaltyengine.engine.application;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.UnknownEmailFailures;
import org.loyaltyengine.engine.infrastructure.security.SigningKey;

/**
 * Failed sign-ins and reset codes tried on emails of no account, counted as an account's are
 * ({@link LoginService#FAILURES_BEFORE_LOCK} in a row lock the email for {@link LoginService#LOCK}), so that a
 * lock does not tell whoever tries an email that it has an account: the sixth wrong password on any email answers
 * 429 {@code account_locked}. The counts are kept in the database, as an account's, so that on a cluster an email
 * of no account locks after five attempts over all the instances, as an account does, and attempts sent at once
 * are each counted under the row's lock. They are kept in a fixed number of slots ({@link #SLOTS}), an email's
 * chosen by a hash of it keyed with a key derived from the token signing key, which the instances share: trying a
 * hundred thousand other emails cannot push one's count out, as it could out of a table with a limit, and nobody
 * can choose emails that share a slot (two emails of no account that do share their count and lock, which locks
 * nobody out of an account).
 */
@ApplicationScoped
public class UnknownEmails {

    /** How many emails' counts are kept apart (rows in the table at most). */
    static final int SLOTS = 1 << 20;

    @Inject
    AccessRepository access;

    @Inject
    SigningKey signingKey;

    @Inject
    UnknownEmails self;

    @Inject
    Clock clock;

    /** The slots' hash key, derived once from the signing key. */
    private volatile byte[] key;

    /**
     * Counts a failed attempt on an email of no account.
     *
     * @throws org.loyaltyengine.engine.domain.DomainException {@code account_locked} (429) while earlier failures
     *         keep the email locked, as an account's would
     */
    public void attempt(String email) {
        int slot = slot(email);
        try {
            BusyRetry.call(() -> self.count(slot));
        } catch (RuntimeException e) {
            // The slot's first failure counted at once on two instances (or threads): both inserted its row, and the
            // one refused counts again on the row the other wrote.
            if (!ConstraintViolations.duplicateKey(e)) {
                throw e;
            }
            BusyRetry.call(() -> self.count(slot));
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean count(int slot) {
        Instant now = clock.instant();
        UnknownEmailFailures failures = access.lockUnknownEmailSlot(slot).orElseGet(() -> {
            UnknownEmailFailures first = new UnknownEmailFailures(slot);
            access.add(first);
            return first;
        });
        if (failures.lockedAt(now)) {
            throw LoginService.locked(failures.lockedUntil());
        }
        return failures.attempt(now, LoginService.FAILURES_BEFORE_LOCK, LoginService.LOCK);
    }

    /** The email's slot: the same on every instance that shares the signing key, whatever its case and spaces. */
    int slot(String email) {
        byte[] hashKey = key;
        if (hashKey == null) {
            hashKey = signingKey.derive("unknown-email-slots");
            key = hashKey;
        }
        return slot(hashKey, email);
    }

    static int slot(byte[] key, String email) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] hash = mac.doFinal(email.strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return ((hash[0] & 0xff) << 16 | (hash[1] & 0xff) << 8 | (hash[2] & 0xff)) & (SLOTS - 1);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
