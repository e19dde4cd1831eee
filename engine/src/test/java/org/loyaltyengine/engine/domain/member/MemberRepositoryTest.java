package org.loyaltyengine.engine.domain.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.programme.Programme;

/**
 * A return, a claim's approval or a redemption read the member, then wait for its lock; a merge that commits
 * meanwhile moves the account to the member kept, which may itself be merged while that one is being locked. The
 * points go to the member who holds the account once the locks are held, never to an emptied duplicate.
 */
class MemberRepositoryTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void theHolderIsFollowedThroughMergesThatCommitWhileItIsBeingLocked() {
        Programme programme = MemberTest.demo();
        Member duplicate = member("m-a", programme);
        Member kept = member("m-b", programme);
        Member keptSince = member("m-c", programme);
        duplicate.mergeInto(kept, List.of());
        List<String> locked = new ArrayList<>();
        MemberRepository repository = new Locking(locked) {
            @Override
            public Member lock(Member member) {
                super.lock(member);
                if (member == kept && kept.mergedInto().isEmpty()) {
                    // Its row, read again under the lock, says another merge committed while this waited (the
                    // duplicate's row, read before, does not say yet that it names the member kept since).
                    kept.mergeInto(keptSince, List.of());
                }
                return member;
            }
        };

        Member holder = repository.lockHolder(duplicate);

        assertThat(holder).isSameAs(keptSince);
        assertThat(locked).containsExactly("m-a", "m-b", "m-c");
    }

    @Test
    void aMemberNotMergedIsItsOwnHolder() {
        Member member = member("m-a", MemberTest.demo());
        List<String> locked = new ArrayList<>();

        assertThat(new Locking(locked).lockHolder(member)).isSameAs(member);
        assertThat(locked).containsExactly("m-a");
    }

    private static Member member(String id, Programme programme) {
        return new Member(id, programme, new PersonalDetails(id + "@example.org", "Ann", "Lee", null),
                LocalDate.of(2024, 3, 10), NOW);
    }

    /** Records the members locked, in order. */
    private static class Locking implements MemberRepository {

        private final List<String> locked;

        Locking(List<String> locked) {
            this.locked = locked;
        }

        @Override
        public Member lock(Member member) {
            locked.add(member.publicId());
            return member;
        }

        @Override
        public Optional<Member> findByPublicId(String publicId) {
            return Optional.empty();
        }

        @Override
        public void add(Member member) {
        }

        @Override
        public List<Member> duplicatesOf(Member member) {
            return List.of();
        }

        @Override
        public Member lockById(long id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Member> findByEmail(Programme programme, String email) {
            return Optional.empty();
        }
    }
}
