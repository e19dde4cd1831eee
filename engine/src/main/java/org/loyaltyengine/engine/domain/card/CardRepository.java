package org.loyaltyengine.engine.domain.card;

import java.util.List;
import java.util.Optional;

import org.loyaltyengine.engine.domain.member.Member;

/** Where cards are kept. */
public interface CardRepository {

    Optional<Card> findByNumber(CardNumber number);

    List<Card> findByMember(Member member);

    void add(Card card);

    /**
     * Reads the card's row again, as it stands now: called under its holder's lock, it sees what another change of
     * the card (a block, a replacement) committed while this one waited for the lock.
     */
    void reread(Card card);
}
