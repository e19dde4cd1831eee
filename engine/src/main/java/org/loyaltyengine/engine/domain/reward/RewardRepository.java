package org.loyaltyengine.engine.domain.reward;

import java.util.List;
import java.util.Optional;

import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;

/** Where rewards and redemptions are kept. */
public interface RewardRepository {

    Optional<Reward> findByCode(Programme programme, String code);

    /** Locks the reward's row until the transaction ends and reads it again (its stock as it is now). */
    Reward lock(Reward reward);

    List<Reward> catalogue(Programme programme);

    void add(Reward reward);

    /**
     * Takes one of the reward's stock in the database: {@code false} when none is left. Unlimited rewards always
     * succeed.
     */
    boolean takeOne(Reward reward);

    Optional<Redemption> findRedemption(Programme programme, String storeId, String receiptId);

    /** Adds the redemption and flushes, so that a duplicate receipt fails here rather than at commit. */
    void add(Redemption redemption);

    List<Redemption> redemptionsOf(Member member);
}
