package org.loyaltyengine.engine.domain.card;

import java.util.List;
import java.util.Optional;

import org.loyaltyengine.engine.domain.member.Member;

/** Where cards are kept. */
public interface CardRepository {

    Optional<Card> findByNumber(CardNumber number);

    List<Card> findByMember(Member member);

    void add(Card card);
}
