package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.EntityManager;

import org.loyaltyengine.engine.domain.member.Member;

/** The accounts a member's history spans: its own and every duplicate merged into it. */
final class MergedAccounts {

    private MergedAccounts() {
    }

    /** The member's id and its duplicates', directly or through another duplicate (its own alone, read nothing). */
    static List<Long> ids(EntityManager em, Member member) {
        if (!member.hasMergedAccounts()) {
            return List.of(member.id());
        }
        List<Long> ids = new ArrayList<>(List.of(member.id()));
        List<Long> frontier = ids;
        while (!frontier.isEmpty()) {
            frontier = em.createQuery("select m.id from Member m where m.mergedInto.id in :ids", Long.class)
                    .setParameter("ids", frontier)
                    .getResultList();
            ids.addAll(frontier);
        }
        return ids;
    }
}
