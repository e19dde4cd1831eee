package org.loyaltyengine.engine.application;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.Provenance;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Tier;
import org.loyaltyengine.engine.infrastructure.rules.EarningRules;
import org.loyaltyengine.rules.decision.TierStanding;

/**
 * Upgrades apply at once: when credited qualifying points bring a member's standing to a higher tier, the member is
 * promoted in the same transaction, with a {@code TIER_CHANGE} entry saying which points did it. A sale's rules
 * decide its standing with its points; a claim approved or a qualifying adjustment asks the tier rules afterwards.
 */
@ApplicationScoped
public class TierPromotion {

    @Inject
    EarningRules rules;

    @Inject
    LedgerRepository ledger;

    /**
     * Promotes the member, whose row the caller has locked, when the qualifying points just credited (and read back
     * from the ledger) reach a tier above the current one.
     *
     * @param cause channel, store, actor and time of the entry that credited the points; its reason is replaced
     * @param what  what credited them, as the entry's reason names it ("claim c-…")
     */
    public Optional<Tier> afterCredit(Member member, Provenance cause, String what, Instant now) {
        String before = member.tierCode();
        Optional<Tier> promoted = reach(member, rules.review(member.programme(), member, now), now);
        promoted.ifPresent(tier -> record(member, before, tier, cause, what, null, now));
        return promoted;
    }

    /** Promotes the member to the standing's tier when it is above the current one; the tier, if it was. */
    static Optional<Tier> reach(Member member, Optional<TierStanding> standing, Instant now) {
        return standing.flatMap(reached -> member.programme().tier(reached.tier()))
                .filter(tier -> member.promoteTo(tier, now));
    }

    /** Records an upgrade on the ledger, saying which points made it (and, for a sale, which rule set decided). */
    public void record(Member member, String before, Tier tier, Provenance cause, String what, String ruleSet,
                       Instant now) {
        ledger.append(LedgerEntry.tierChange(member, before + "->" + tier.code(), new Provenance(cause.channel(),
                cause.storeId(), cause.actor(), "Upgraded from " + before + " to " + tier.code()
                + ": the qualifying points of " + what + " reach " + tier.minimumPoints()
                + (ruleSet == null ? "" : " (" + ruleSet + ")"), cause.occurredAt()), now));
    }
}
