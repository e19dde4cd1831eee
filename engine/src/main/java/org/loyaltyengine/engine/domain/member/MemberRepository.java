package org.loyaltyengine.engine.domain.member;

import java.util.List;
import java.util.Optional;

import org.loyaltyengine.engine.domain.programme.Programme;

/** Where members are kept. */
public interface MemberRepository {

    Optional<Member> findByPublicId(String publicId);

    /** The member, locked against concurrent changes of its points until the transaction ends. */
    Member lock(Member member);

    /**
     * The member that holds the account now, locked: the member given, or, when a merge committed after it was read
     * (a card, a sale or a claim read first, say), the member it was merged into, and so on while that one was
     * merged meanwhile too. Points moved to, or taken from, a merged member would be stranded there.
     */
    default Member lockHolder(Member member) {
        Member locked = lock(member);
        while (locked.mergedInto().isPresent()) {
            locked = lock(locked.current());
        }
        return locked;
    }

    void add(Member member);

    /** The duplicates that name this member as the account kept, in id order. */
    List<Member> duplicatesOf(Member member);

    /** The member with this database id, locked like {@link #lock(Member)}. */
    Member lockById(long id);

    /** The programme's active member with this email (emails are compared ignoring case). */
    Optional<Member> findByEmail(Programme programme, String email);
}
