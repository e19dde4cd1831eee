package org.loyaltyengine.engine.application;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.infrastructure.security.OpenSessions;
import org.loyaltyengine.engine.infrastructure.security.PasswordHasher;

/**
 * A customer who forgot their password gets a new one through the service desk, the engine sending no mail: the
 * desk checks who they are (their card, an identity document), then issues a one-time code that it reads out or
 * hands over, valid for {@link #VALIDITY}. The customer types it on the site with a new password: every session
 * signed in before ends, and the code is spent. Only the code's hash is kept; a new code replaces the last one. A
 * wrong code counts as a failed sign-in, so codes cannot be guessed faster than passwords.
 */
@ApplicationScoped
public class PasswordResets {

    /** How long a reset code may be used after the desk issued it. */
    static final Duration VALIDITY = Duration.ofMinutes(30);

    /** Letters and digits that cannot be mistaken for one another when read out or typed (no O/0, I/1). */
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /** Ten symbols of 32: 50 bits, behind the sign-in lock after five wrong codes. */
    private static final int LENGTH = 10;

    /** Compared with when the email has no code, so that an unknown email answers as slowly as a wrong code. */
    private static final String DUMMY_HASH = PasswordHasher.hash("NOTACODE00");

    private final SecureRandom random = new SecureRandom();

    @Inject
    MemberRepository members;

    @Inject
    AccessRepository access;

    @Inject
    LoginService login;

    @Inject
    PasswordResets self;

    @Inject
    OpenSessions sessions;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    /** A code as the desk gives it to the customer, with the email they sign in with. */
    public record IssuedCode(String memberId, String email, String code, Instant expiresAt) {
    }

    /**
     * Issues a new reset code for the member's online account; a code issued before stops working. The desk has
     * checked who the customer is, so a lock after wrong passwords (the usual reason to come to the desk) ends.
     *
     * @param email which of the member's sign-ins, when a merge left them several; may be null when they have one
     * @throws DomainException {@code member_not_found} (404, also for a member of a programme the staff member does
     *                         not run), {@code member_merged} or {@code member_closed} (409),
     *                         {@code no_online_account} (409) for a member who never signed up online,
     *                         {@code several_online_accounts} (409, field {@code email}) when the member has several
     *                         and none, or another, was named
     */
    @Transactional
    public IssuedCode issue(Staff staff, String memberId, String email) {
        Member member = members.findByPublicId(memberId).orElseThrow(() -> DomainException.notFound(
                "member_not_found", "No member " + memberId));
        staff.requireManages(member.programme(), "member_not_found", "member " + memberId);
        member.requireActive(null);
        List<String> emails = access.accountsOf(member.publicId()).stream()
                .filter(account -> account.role() == Role.CUSTOMER).map(Account::email).sorted().toList();
        if (emails.isEmpty()) {
            throw DomainException.conflict("no_online_account", "Member " + memberId + " has no online account to"
                    + " reset: they sign up on the site with their card number, email and last name");
        }
        String chosen = email == null && emails.size() == 1 ? emails.get(0)
                : emails.stream().filter(known -> known.equalsIgnoreCase(email == null ? "" : email.strip()))
                        .findFirst().orElseThrow(() -> new DomainException(DomainException.Kind.CONFLICT,
                                "several_online_accounts", "Member " + memberId + " signs in with "
                                + String.join(", ", emails) + ": name the one to reset (email)", "email"));
        Account account = access.lockAccount(chosen).orElseThrow();
        String code = newCode();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(VALIDITY);
        account.succeededLogin();
        account.expectResetCode(PasswordHasher.hash(normalised(code)), expiresAt);
        audit.record(new AuditEvent(now, staff.name(), "PASSWORD_RESET_CODE_ISSUED", member.programme().code(),
                member.publicId(), "One-time code to reset the password of " + chosen + ", valid until "
                + expiresAt));
        return new IssuedCode(member.publicId(), chosen, code.substring(0, LENGTH / 2) + "-"
                + code.substring(LENGTH / 2), expiresAt);
    }

    /**
     * Sets a new password with the code the desk issued, ending every session signed in before.
     *
     * @return the token of a new session of the account
     * @throws DomainException {@code invalid_reset_code} (401, field {@code code}) for an unknown email, a wrong,
     *                         used, replaced or expired code; {@code account_locked} (429) after too many
     *                         failures; {@code account_disabled} (403)
     */
    public LoginService.Token reset(String email, String code, String newPassword) {
        Account account = login.attemptOn(email).orElse(null);
        String expected = account == null ? null : account.resetCodeHashAt(clock.instant());
        boolean matches = PasswordHasher.matches(normalised(code), expected == null ? DUMMY_HASH : expected);
        if (expected == null || !matches) {
            throw wrongCode();
        }
        if (account.isDisabled()) {
            login.proved(account.email());
            throw DomainException.forbidden("account_disabled", "This account has been disabled by an"
                    + " administrator");
        }
        String newHash = PasswordHasher.hash(newPassword);
        LoginService.Token token = BusyRetry.call(() -> self.store(account.email(), expected, newHash));
        sessions.ended(account.email());
        return token;
    }

    /** Stores the new password if the code checked is still the account's, spending it, and signs a session in. */
    @Transactional
    public LoginService.Token store(String email, String checkedCodeHash, String newHash) {
        Account account = access.lockAccount(email).orElseThrow(PasswordResets::wrongCode);
        if (!checkedCodeHash.equals(account.resetCodeHashAt(clock.instant()))) {
            throw wrongCode();
        }
        account.changePassword(newHash);
        audit.record(new AuditEvent(clock.instant(), "web:" + email, "PASSWORD_RESET", account.programmeCode(),
                account.memberPublicId() == null ? email : account.memberPublicId(), "Password reset with the code"
                        + " the service desk issued; every session signed in before ended"));
        return login.tokenFor(account);
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** The code as typed, without its dash or spaces, in capitals: "abcde-fghjk" is ABCDEFGHJK. */
    private static String normalised(String code) {
        return code == null ? "" : code.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    private static DomainException wrongCode() {
        return new DomainException(DomainException.Kind.UNAUTHENTICATED, "invalid_reset_code", "The email or the"
                + " reset code is wrong, or the code was used or has expired: ask the service desk for a new one",
                "code");
    }
}
