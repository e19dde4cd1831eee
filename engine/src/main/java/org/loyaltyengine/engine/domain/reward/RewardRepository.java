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

    /** The programme's redemption of this public id ({@code d-…}). */
    Optional<Redemption> findRedemption(Programme programme, String publicId);

    /** Locks the redemption's row until the transaction ends and reads it again (cancelled or not, as it is now). */
    Redemption lock(Redemption redemption);

    /** Puts one unit of a cancelled redemption's reward back in stock; unlimited rewards are left as they are. */
    void giveBackOne(Reward reward);

    /** Adds the redemption and flushes, so that a duplicate receipt fails here rather than at commit. */
    void add(Redemption redemption);

    List<Redemption> redemptionsOf(Member member);

    /** A page of the redemptions made on the member's account and its merged duplicates', newest first. */
    List<Redemption> redemptionsOf(Member member, int page, int size);

    /** How many redemptions {@link #redemptionsOf(Member, int, int)} pages through. */
    long countRedemptions(Member member);
}
