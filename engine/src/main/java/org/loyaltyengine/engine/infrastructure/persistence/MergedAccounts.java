package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManager;

import org.loyaltyengine.engine.domain.member.Member;

/** The accounts a member's history spans: its own and every duplicate merged into it. */
final class MergedAccounts {

    private MergedAccounts() {
    }

    /**
     * The member's id and its duplicates' (its own alone, read nothing). A duplicate names the account kept however
     * many merges were made since its own (Member#mergeInto), so one query finds them all.
     */
    static List<Long> ids(EntityManager em, Member member) {
        if (!member.hasMergedAccounts()) {
            return List.of(member.id());
        }
        List<Long> ids = new ArrayList<>(List.of(member.id()));
        ids.addAll(em.createQuery("select m.id from Member m where m.mergedInto.id = :id", Long.class)
                .setParameter("id", member.id())
                .getResultList());
        return ids;
    }
}
