package org.loyaltyengine.engine.application;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Failed sign-ins and reset codes tried on emails of no account, counted as an account's are
 * ({@link LoginService#FAILURES_BEFORE_LOCK} in a row lock the email for {@link LoginService#LOCK}), so that a
 * lock does not tell whoever tries an email that it has an account: the sixth wrong password on any email answers
 * 429 {@code account_locked}. The counts are kept in a fixed number of slots ({@link #SLOTS}), an email's chosen by
 * a keyed hash of it: trying a hundred thousand other emails cannot push one's count out, as it could out of a map
 * with a limit (two emails of no account that share a slot share their count and lock, which locks nobody out of an
 * account). Kept in this instance's memory: on a
 * cluster an email of no account locks after five attempts on the instance that received them, where an account
 * locks after five on all of them (README, "Security").
 */
@ApplicationScoped
public class UnknownEmails {

    /** How many emails' counts are kept apart (a million references: 4-8 MB). */
    static final int SLOTS = 1 << 20;

    private record Failures(int count, Instant lockedUntil) {
    }

    private final AtomicReferenceArray<Failures> slots = new AtomicReferenceArray<>(SLOTS);

    /** The hash's key, this instance's own: nobody can choose emails that share a slot. */
    private final byte[] key = new SecureRandom().generateSeed(32);

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
        int slot = slot(email.strip().toLowerCase(Locale.ROOT));
        // One slot's attempts are counted one at a time, so that of guesses sent all at once five are answered 401.
        while (true) {
            Failures failures = slots.get(slot);
            if (failures != null && failures.lockedUntil() != null && failures.lockedUntil().isAfter(now)) {
                throw LoginService.locked(failures.lockedUntil());
            }
            int count = (failures == null || failures.lockedUntil() != null ? 0 : failures.count()) + 1;
            Failures after = count >= LoginService.FAILURES_BEFORE_LOCK ? new Failures(0, now.plus(LoginService.LOCK))
                    : new Failures(count, null);
            if (slots.compareAndSet(slot, failures, after)) {
                return;
            }
        }
    }

    private int slot(String email) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] hash = mac.doFinal(email.getBytes(StandardCharsets.UTF_8));
            return ((hash[0] & 0xff) << 16 | (hash[1] & 0xff) << 8 | (hash[2] & 0xff)) & (SLOTS - 1);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
