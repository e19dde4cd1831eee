package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.card.CardNumber;
import org.loyaltyengine.engine.domain.card.CardRepository;
import org.loyaltyengine.engine.domain.member.Member;

@ApplicationScoped
public class JpaCardRepository implements CardRepository {

    /** EclipseLink's query hints (org.eclipse.persistence.config.QueryHints), by name: the engine compiles on JPA. */
    static final String JOIN_FETCH = "eclipselink.join-fetch";
    static final String LEFT_JOIN_FETCH = "eclipselink.left-join-fetch";

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public Optional<Card> findByNumber(CardNumber number) {
        // Card, member, programme and its tiers in one statement: every till call starts here. (EclipseLink reads
        // only the first level of JPQL fetch joins; nested ones, written as JPQL, became two more statements.)
        return em.createQuery("select c from Card c where c.number = :number", Card.class)
                .setParameter("number", number.value())
                .setHint(JOIN_FETCH, "c.member")
                .setHint(JOIN_FETCH, "c.member.programme")
                .setHint(LEFT_JOIN_FETCH, "c.member.programme.tiers")
                .getResultStream().findFirst();
    }

    @Override
    public List<Card> findByMember(Member member) {
        return em.createQuery("select c from Card c where c.member = :member order by c.issuedAt", Card.class)
                .setParameter("member", member)
                .getResultList();
    }

    @Override
    public void add(Card card) {
        em.persist(card);
    }
}
