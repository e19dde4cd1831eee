package org.loyaltyengine.engine.domain.claim;

import java.util.List;
import java.util.Optional;

import org.loyaltyengine.engine.domain.member.Member;

/** Where missing-points claims are kept. */
public interface ClaimRepository {

    /** Adds the claim and flushes: the database refuses a second claim of one receipt by one member. */
    void add(Claim claim);

    Optional<Claim> findByPublicId(String publicId);

    Optional<Claim> find(Member member, String storeId, String receiptId);

    List<Claim> ofMember(Member member);

    /** Claims of a programme, oldest first, optionally of one status only. */
    List<Claim> inProgramme(String programmeCode, ClaimStatus status, int page, int size);
}
