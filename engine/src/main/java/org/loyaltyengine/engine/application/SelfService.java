package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.LocalDate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.access.Account;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.card.CardRepository;
import org.loyaltyengine.engine.domain.card.CardStatus;
import org.loyaltyengine.engine.domain.ledger.Channel;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
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
    Clock clock;

    /** Registers a member with a new card and a sign-in, and signs them in. */
    @Transactional
    public Registered register(String programme, String email, String password, String firstName, String lastName,
                               LocalDate birthDate) {
        MemberAdministration.Enrolled enrolled = members.enrol(new Staff("web:" + email.strip(), null, Channel.WEB),
                programme, new MemberAdministration.NewMember(email, firstName, lastName, birthDate, password, null, null));
        Account account = access.findAccount(email.strip().toLowerCase(java.util.Locale.ROOT)).orElseThrow();
        return new Registered(enrolled.memberId(), enrolled.cardNumber(), login.tokenFor(account));
    }

    /**
     * Closes the member's account after checking the password: personal data erased, cards blocked, sign-ins
     * removed; the ledger and its totals stay intact.
     */
    @Transactional
    public void close(String memberId, String accountEmail, String password) {
        Account account = access.findAccount(accountEmail).orElseThrow(() -> DomainException.notFound(
                "member_not_found", "No account " + accountEmail));
        if (!PasswordHasher.matches(password, account.passwordHash())) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "invalid_credentials",
                    "The password is wrong; the account stays open", "password");
        }
        Member member = memberRepository.lock(memberRepository.findByPublicId(memberId).orElseThrow());
        for (Card card : cards.findByMember(member)) {
            if (card.status() == CardStatus.ACTIVE) {
                card.block("Account closed by the member", "web:" + accountEmail, clock.instant());
            }
        }
        member.close();
        access.accountsOf(memberId).forEach(access::remove);
        audit.record(new AuditEvent(clock.instant(), "web:" + accountEmail, "ACCOUNT_CLOSED",
                member.programme().code(), memberId, "Personal data erased at the member's request"));
    }

    /** A new member, their card and their first token. */
    public record Registered(String memberId, String cardNumber, LoginService.Token session) {
    }
}
