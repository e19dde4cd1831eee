package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;

@ApplicationScoped
public class JpaMemberRepository implements MemberRepository {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public Optional<Member> findByPublicId(String publicId) {
        return em.createQuery("select m from Member m where m.publicId = :id", Member.class)
                .setParameter("id", publicId)
                .getResultStream().findFirst();
    }

    /** A row lock (SELECT ... FOR UPDATE) held until commit, on Derby and PostgreSQL alike. */
    @Override
    public Member lock(Member member) {
        Member managed = em.find(Member.class, member.id(), LockModeType.PESSIMISTIC_WRITE);
        em.refresh(managed);
        return managed;
    }

    @Override
    public void add(Member member) {
        em.persist(member);
    }
}
