package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;

import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.reward.Redemption;
import org.loyaltyengine.engine.domain.reward.Reward;
import org.loyaltyengine.engine.domain.reward.RewardRepository;

@ApplicationScoped
public class JpaRewardRepository implements RewardRepository {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Override
    public Optional<Reward> findByCode(Programme programme, String code) {
        return em.createQuery("select r from Reward r where r.programme = :programme and r.code = :code",
                        Reward.class)
                .setParameter("programme", programme)
                .setParameter("code", code)
                .getResultStream().findFirst();
    }

    @Override
    public List<Reward> catalogue(Programme programme) {
        return em.createQuery("select r from Reward r where r.programme = :programme and r.active = 1"
                        + " order by r.pointsPrice, r.code", Reward.class)
                .setParameter("programme", programme)
                .getResultList();
    }

    @Override
    public void add(Reward reward) {
        em.persist(reward);
        em.flush();
    }

    @Override
    public Reward lock(Reward reward) {
        em.refresh(reward, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        return reward;
    }

    /** {@code UPDATE ... SET stock = stock - 1 WHERE stock > 0}: atomic on any database, any instance. */
    @Override
    public boolean takeOne(Reward reward) {
        if (reward.stock() == null) {
            return true;
        }
        int updated = em.createQuery("update Reward r set r.stock = r.stock - 1 where r.id = :id and r.stock > 0")
                .setParameter("id", reward.id())
                .executeUpdate();
        em.refresh(reward);
        return updated == 1;
    }

    @Override
    public Optional<Redemption> findRedemption(Programme programme, String storeId, String receiptId) {
        return em.createQuery("select r from Redemption r where r.programme = :programme and r.storeId = :store"
                        + " and r.receiptId = :receipt", Redemption.class)
                .setParameter("programme", programme)
                .setParameter("store", storeId)
                .setParameter("receipt", receiptId)
                .getResultStream().findFirst();
    }

    @Override
    public Optional<Redemption> findRedemption(Programme programme, String publicId) {
        return em.createQuery("select r from Redemption r where r.programme = :programme and r.publicId = :id",
                        Redemption.class)
                .setParameter("programme", programme)
                .setParameter("id", publicId)
                .getResultStream().findFirst();
    }

    @Override
    public Redemption lock(Redemption redemption) {
        em.refresh(redemption, LockModeType.PESSIMISTIC_WRITE);
        return redemption;
    }

    @Override
    public void giveBackOne(Reward reward) {
        if (reward.stock() == null) {
            return;
        }
        em.createQuery("update Reward r set r.stock = r.stock + 1 where r.id = :id and r.stock is not null")
                .setParameter("id", reward.id())
                .executeUpdate();
        em.refresh(reward);
    }

    @Override
    public void add(Redemption redemption) {
        em.persist(redemption);
        em.flush();
    }

    @Override
    public List<Redemption> redemptionsOf(Member member) {
        return em.createQuery("select r from Redemption r where r.member = :member order by r.id desc",
                        Redemption.class)
                .setParameter("member", member)
                .getResultList();
    }

    @Override
    public List<Redemption> redemptionsOf(Member member, int page, int size) {
        return em.createQuery("select r from Redemption r where r.member.id in :ids"
                        + " order by r.recordedAt desc, r.id desc", Redemption.class)
                .setParameter("ids", MergedAccounts.ids(em, member))
                .setFirstResult(Math.multiplyExact(page, size)) // the service keeps it in range
                .setMaxResults(size)
                .getResultList();
    }

    @Override
    public long countRedemptions(Member member) {
        return em.createQuery("select count(r) from Redemption r where r.member.id in :ids", Long.class)
                .setParameter("ids", MergedAccounts.ids(em, member))
                .getSingleResult();
    }
}
