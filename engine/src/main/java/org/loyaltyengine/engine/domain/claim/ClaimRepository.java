package org.loyaltyengine.engine.domain.claim;

import java.util.List;
import java.util.Optional;

import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;

/** Where missing-points claims are kept. */
public interface ClaimRepository {

    /** Adds the claim and flushes: the database refuses a second claim of one receipt by one member. */
    void add(Claim claim);

    Optional<Claim> findByPublicId(String publicId);

    Optional<Claim> find(Member member, String storeId, String receiptId);

    List<Claim> ofMember(Member member);

    /**
     * Reads the claim again as the database holds it now: the caller holds the lock of the claim's member, which
     * every resolution takes first, so a resolution committed meanwhile is seen.
     */
    Claim reread(Claim claim);

    /** The approved claim of the receipt in the programme, by any member, if there is one. */
    Optional<Claim> approvedFor(Programme programme, String storeId, String receiptId);

    /**
     * Locks every claim of the receipt (of any programme) until commit, reading nothing else: a till's sale of the
     * receipt and a manager's approval of its claim both take these locks before their member's, so that one waits
     * for the other and then sees what it did, on any member's card. Nearly always no claim exists and nothing is
     * locked.
     *
     * @return whether one of the locked claims is approved (of any programme: {@link #approvedFor} tells which),
     *         so that a sale asks no more when, as nearly always, none is
     */
    boolean lockReceipt(String storeId, String receiptId);

    /** Claims of a programme, oldest first, optionally of one status only. */
    List<Claim> inProgramme(String programmeCode, ClaimStatus status, int page, int size);
}
