package org.loyaltyengine.engine.domain.member;

import java.util.Optional;

import org.loyaltyengine.engine.domain.programme.Programme;

/** Where members are kept. */
public interface MemberRepository {

    Optional<Member> findByPublicId(String publicId);

    /** The member, locked against concurrent changes of its points until the transaction ends. */
    Member lock(Member member);

    /**
     * The member that holds the account now, locked: the member given, or, when a merge committed after it was read
     * (a card read first, say), the member it was merged into.
     */
    default Member lockHolder(Member member) {
        Member locked = lock(member);
        return locked.mergedInto().isPresent() ? lock(locked.current()) : locked;
    }

    void add(Member member);

    /** The member with this database id, locked like {@link #lock(Member)}. */
    Member lockById(long id);

    /** The programme's active member with this email (emails are compared ignoring case). */
    Optional<Member> findByEmail(Programme programme, String email);
}
