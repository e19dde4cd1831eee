package org.loyaltyengine.engine.domain.member;

import java.util.Optional;

/** Where members are kept. */
public interface MemberRepository {

    Optional<Member> findByPublicId(String publicId);

    /** The member, locked against concurrent changes of its points until the transaction ends. */
    Member lock(Member member);

    void add(Member member);
}
