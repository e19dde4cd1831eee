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

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public Optional<Card> findByNumber(CardNumber number) {
        return em.createNamedQuery(Card.FOR_TILL, Card.class)
                .setParameter("number", number.value())
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

    @Override
    public void reread(Card card) {
        em.refresh(card);
    }
}
