package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.member.MemberStatus;
import org.loyaltyengine.engine.domain.programme.Programme;

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
        return lockById(member.id());
    }

    @Override
    public Optional<Member> findByEmail(Programme programme, String email) {
        return em.createQuery("select m from Member m where m.programme = :programme"
                        + " and m.emailKey = :email and m.status = :active", Member.class)
                .setParameter("programme", programme)
                .setParameter("email", Member.emailKey(email))
                .setParameter("active", MemberStatus.ACTIVE)
                .getResultStream().findFirst();
    }

    @Override
    public Member lockById(long id) {
        // One statement: the row is read again as it stands under the lock (never a copy read before it), into
        // the instance the persistence context already holds.
        return em.createNamedQuery(Member.LOCK, Member.class)
                .setParameter("id", id)
                .getSingleResult();
    }

    @Override
    public List<Member> duplicatesOf(Member member) {
        if (!member.hasMergedAccounts()) {
            return List.of();
        }
        return em.createQuery("select m from Member m where m.mergedInto = :member order by m.id", Member.class)
                .setParameter("member", member)
                .getResultList();
    }

    @Override
    public void add(Member member) {
        em.persist(member);
    }
}
