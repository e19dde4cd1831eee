package org.loyaltyengine.engine.application;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.card.CardNumber;
import org.loyaltyengine.engine.domain.card.CardRepository;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.member.PersonalDetails;
import org.loyaltyengine.engine.domain.programme.Programme;

/** Enrols members and issues their cards. */
@ApplicationScoped
public class EnrolmentService {

    private final SecureRandom random = new SecureRandom();

    @Inject
    MemberRepository members;

    @Inject
    CardRepository cards;

    @Inject
    PublicIds ids;

    @Inject
    Clock clock;

    /** Enrols a member with a newly issued card; {@code cardNumber} may name the card to issue, or be null. */
    @Transactional
    public Card enrol(Programme programme, PersonalDetails details, CardNumber cardNumber) {
        Instant now = clock.instant();
        Member member = new Member(ids.next("m-"), programme, details, programme.today(now), now);
        members.add(member);
        Card card = new Card(cardNumber == null ? newCardNumber() : cardNumber, member, now);
        cards.add(card);
        return card;
    }

    /**
     * A card number never issued before, in the engine's range: 29 then ten random digits, then the check digit.
     * Random rather than sequential, so that a card number cannot be guessed from another.
     */
    public CardNumber newCardNumber() {
        for (int attempt = 0; attempt < 20; attempt++) {
            StringBuilder body = new StringBuilder("29");
            for (int i = 0; i < 10; i++) {
                body.append(random.nextInt(10));
            }
            CardNumber candidate = CardNumber.fromBody(body.toString());
            if (cards.findByNumber(candidate).isEmpty()) {
                return candidate;
            }
        }
        throw new IllegalStateException("Could not find a free card number in 20 attempts");
    }
}
