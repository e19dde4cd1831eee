package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.LocalDate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.card.CardRepository;
import org.loyaltyengine.engine.domain.card.CardStatus;
import org.loyaltyengine.engine.domain.ledger.Channel;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.infrastructure.security.OpenSessions;
import org.loyaltyengine.engine.infrastructure.security.PasswordHasher;

/** What customers do for themselves on the web: register (a new card is issued) and close their account. */
@ApplicationScoped
public class SelfService {

    @Inject
    MemberAdministration members;

    @Inject
    MemberRepository memberRepository;

    @Inject
    CardRepository cards;

    @Inject
    AccessRepository access;

    @Inject
    AuditTrail audit;

    @Inject
    LoginService login;

    @Inject
    FailedAttempts failedAttempts;

    @Inject
    SelfService self;

    @Inject
    OpenSessions sessions;

    @Inject
    Clock clock;

    /**
     * Gives a member enrolled at the desk or by an import (who has a card and no sign-in) their sign-in, and signs
     * them in ({@link #activate}). Each claim of a card is counted before its details are checked, as a sign-in is
     * ({@link FailedAttempts#onCardClaim}), so that the email on file cannot be guessed from the number printed on
     * the card and its holder's name: the sixth claim in a row of one card, existing or not, is refused for 15
     * minutes, on every instance.
     *
     * @throws DomainException {@code claim_locked} (429) after too many claims of the card, and as {@link #activate}
     */
    public Registered claimCard(String programme, String email, String password, String lastName,
                                String cardNumber) {
        org.loyaltyengine.engine.domain.card.CardNumber number;
        try {
            number = org.loyaltyengine.engine.domain.card.CardNumber.parse(cardNumber);
        } catch (DomainException e) {
            throw DomainException.invalid("cardNumber", e.getMessage());
        }
        java.time.Instant lockedUntil = failedAttempts.onCardClaim(number);
        if (lockedUntil != null) {
            BusyRetry.call(() -> self.recordClaimLock(number, lockedUntil));
        }
        return BusyRetry.call(() -> self.activate(programme, email, password, lastName, cardNumber));
    }

    /**
     * Tells the card's programme, in its audit trail under the member, that joining online with the card is locked:
     * the member, kept out by someone trying their card (or by their own typos), calls the desk, which finds why on
     * the member's page. Once per lock, not per refusal; nothing for a number that is nobody's card.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean recordClaimLock(org.loyaltyengine.engine.domain.card.CardNumber number, java.time.Instant until) {
        return cards.findByNumber(number).map(card -> {
            Member member = card.member().current();
            audit.record(new AuditEvent(clock.instant(), "web:join form", "CARD_CLAIMS_LOCKED",
                    member.programme().code(), member.publicId(), LoginService.FAILURES_BEFORE_LOCK + " claims in a"
                    + " row of card " + number.value() + " to join online (card number, email and last name): it"
                    + " cannot be claimed again until " + LoginService.untilText(until) + ". If the member asks,"
                    + " check the email and last name on file, or give them a sign-in at the desk"));
            return true;
        }).orElse(false);
    }

    /**
     * Gives a member enrolled at the desk or by an import (who has a card and no sign-in) their sign-in, and signs
     * them in: the card's number and the email on file prove them, with their last name. Nothing tells which of the
     * three did not match, so that a card number found on a receipt tells nothing of its holder.
     *
     * @throws DomainException {@code details_mismatch} (422) when the card is not the programme's, or its member's
     *                         email or last name differ; {@code account_exists} (409) when the member signs in already
     */
    @Transactional
    public Registered activate(String programme, String email, String password, String lastName, String cardNumber) {
        String key = Member.emailKey(email);
        DomainException mismatch = DomainException.unprocessable("details_mismatch", "cardNumber", "No member of"
                + " programme " + programme + " has this card with this email and last name; the desk can check"
                + " the details on file");
        org.loyaltyengine.engine.domain.card.CardNumber number;
        try {
            number = org.loyaltyengine.engine.domain.card.CardNumber.parse(cardNumber);
        } catch (DomainException e) {
            throw DomainException.invalid("cardNumber", e.getMessage());
        }
        Card card = cards.findByNumber(number).orElseThrow(() -> mismatch);
        Member member = memberRepository.lock(card.member().current());
        if (!member.programme().code().equals(programme) || member.email() == null
                || !Member.emailKey(member.email()).equals(key) || member.lastName() == null
                || !member.lastName().strip().equalsIgnoreCase(lastName.strip())) {
            throw mismatch;
        }
        card.requireUsable();
        if (access.findAccount(key).isPresent()) {
            throw DomainException.conflict("account_exists", "An account signs in with " + key
                    + " already: sign in, or reset the password");
        }
        Account account = new Account(key, PasswordHasher.hash(password), Role.CUSTOMER, programme,
                member.publicId());
        access.add(account);
        audit.record(new AuditEvent(clock.instant(), "web:" + key, "SIGN_IN_ADDED", programme, member.publicId(),
                "with card " + card.number()));
        return new Registered(member.publicId(), card.number().value(), login.tokenFor(account));
    }

    /** Registers a member with a new card and a sign-in, and signs them in. */
    @Transactional
    public Registered register(String programme, String email, String password, String firstName, String lastName,
                               LocalDate birthDate) {
        MemberAdministration.Enrolled enrolled;
        try {
            enrolled = members.enrol(new Staff("web:" + email.strip(), null, Channel.WEB), programme,
                    new MemberAdministration.NewMember(email, firstName, lastName, birthDate, password, null, null));
        } catch (DomainException e) {
            if (!"member_exists".equals(e.code())) {
                throw e;
            }
            // The staff's message names the member's id: not for whoever types an email on the public form.
            throw new DomainException(DomainException.Kind.CONFLICT, "member_exists", "This email is already a"
                    + " member's: join with the card you were given (its number, with your last name), sign in, or"
                    + " ask the service desk for a reset code", "email");
        }
        Account account = access.findAccount(email.strip().toLowerCase(java.util.Locale.ROOT)).orElseThrow();
        return new Registered(enrolled.memberId(), enrolled.cardNumber(), login.tokenFor(account));
    }

    /**
     * Closes the member's account after checking the password: personal data erased, cards blocked, sign-ins
     * removed; the ledger and its totals stay intact. A wrong password counts as a failed sign-in, and a locked
     * account closes only once the lock ends, so that a stolen token cannot be used to guess the password faster
     * than the sign-in form allows.
     *
     * @throws DomainException {@code invalid_credentials} (403, field {@code password}) for a wrong password,
     *                         {@code account_locked} (429) after too many failures, {@code password_changed} (409)
     *                         when the password was changed meanwhile
     */
    public void close(String memberId, String accountEmail, String password) {
        Account account = login.account(accountEmail).flatMap(known -> login.attempt(known.email()))
                .orElseThrow(() -> DomainException.notFound("member_not_found", "No account " + accountEmail));
        if (!PasswordHasher.matches(password, account.passwordHash())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "invalid_credentials",
                    "The password is wrong; the account stays open", "password");
        }
        self.closeChecked(memberId, account.email(), account.passwordHash());
        sessions.ended(account.email());
    }

    /** Closes the account if the password checked is still its own (another session may have changed it). */
    @Transactional
    public void closeChecked(String memberId, String accountEmail, String checkedHash) {
        Account account = access.lockAccount(accountEmail).orElseThrow(() -> DomainException.notFound(
                "member_not_found", "No account " + accountEmail));
        if (!account.passwordHash().equals(checkedHash)) {
            throw DomainException.conflict("password_changed",
                    "The password was changed meanwhile, by another session; sign in again");
        }
        Member member = memberRepository.lock(memberRepository.findByPublicId(memberId).orElseThrow());
        for (Card card : cards.findByMember(member)) {
            if (card.status() == CardStatus.ACTIVE) {
                card.block("Account closed by the member", "web:" + accountEmail, clock.instant());
            }
        }
        member.close(member.programme().today(clock.instant()));
        access.accountsOf(memberId).forEach(access::remove);
        audit.record(new AuditEvent(clock.instant(), "web:" + accountEmail, "ACCOUNT_CLOSED",
                member.programme().code(), memberId, "Personal data erased at the member's request"));
    }

    /** A new member, their card and their first token. */
    public record Registered(String memberId, String cardNumber, LoginService.Token session) {
    }
}
