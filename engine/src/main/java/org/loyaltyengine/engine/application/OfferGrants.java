package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberStatus;
import org.loyaltyengine.engine.domain.offer.MemberOffer;
import org.loyaltyengine.engine.domain.offer.MemberOfferStatus;
import org.loyaltyengine.engine.domain.offer.Offer;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.infrastructure.rules.EarningRules;
import org.loyaltyengine.engine.infrastructure.rules.RuleSetRegistry;
import org.loyaltyengine.rules.CompiledRuleSet;
import org.loyaltyengine.rules.RuleFailedException;
import org.loyaltyengine.rules.decision.OfferGrant;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.OfferDefinition;

/**
 * Asks the live incentive rules which offers each active member should get, and gives them: never an offer the
 * member already holds or was given within its validity (used, open or held out), never more open offers than
 * the programme's cap, and a stable share of each offer's chosen members held out as its control group. Members
 * are taken in chunks, each in a transaction of its own, so a large programme never holds one long transaction.
 */
@ApplicationScoped
public class OfferGrants {

    static final int CHUNK = 500;

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    ProgrammeRepository programmes;

    @Inject
    OfferService offers;

    @Inject
    EarningRules earningRules;

    @Inject
    RuleSetRegistry registry;

    @Inject
    PublicIds ids;

    @Inject
    Clock clock;

    @Inject
    OfferGrants self;

    /**
     * What a grant run did.
     *
     * @param failed  the members the run could not decide on or give offers to (left to the next run), 0 nearly
     *                always
     * @param failure why the first of them failed, {@code null} when none did
     */
    @Schema(name = "GrantSummary", description = "What an offer grant run did")
    public record Summary(int members, int granted, int heldOut, Map<String, Integer> perOffer, int failed,
                          String failure) {
    }

    /** Gives the programme's members the offers the rules choose for them on the day (today when null). */
    public Summary grant(String code, LocalDate asOf) {
        Programme programme = programmes.findByCode(code).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + code));
        LocalDate day = CustomerKnowledge.kept(programme, asOf, clock);
        List<Long> members = self.memberIds(programme.id());
        int granted = 0;
        int heldOut = 0;
        Map<String, Integer> perOffer = new TreeMap<>();
        MemberFailures failures = new MemberFailures("Offer grants of " + code + " on " + day);
        for (int from = 0; from < members.size(); from += CHUNK) {
            List<Long> ids = members.subList(from, Math.min(members.size(), from + CHUNK));
            Summary chunk;
            try {
                chunk = BusyRetry.call(() -> self.grantChunk(programme.id(), ids, day)); // see ExpiryService
            } catch (RuntimeException e) {
                // A chunk the database refused (a manual run giving the same offers at the same moment) is left to
                // the next run; the chunks after it are given theirs.
                failures.add(ids.size(), "members #" + ids.get(0) + " to #" + ids.get(ids.size() - 1), e);
                continue;
            }
            failures.succeeded();
            granted += chunk.granted();
            heldOut += chunk.heldOut();
            chunk.perOffer().forEach((offer, count) -> perOffer.merge(offer, count, Integer::sum));
            failures.addDecided(chunk.failed(), chunk.failure());
        }
        return new Summary(members.size(), granted, heldOut, perOffer, failures.count(), failures.first());
    }

    @Transactional
    public List<Long> memberIds(long programmeId) {
        return em.createQuery("select m.id from Member m where m.programme.id = :p and m.status = :active"
                        + " order by m.id", Long.class)
                .setParameter("p", programmeId).setParameter("active", MemberStatus.ACTIVE).getResultList();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Summary grantChunk(long programmeId, List<Long> memberIds, LocalDate day) {
        Programme programme = em.find(Programme.class, programmeId);
        List<Offer> active = offers.active(programme);
        if (active.isEmpty()) {
            return new Summary(memberIds.size(), 0, 0, Map.of(), 0, null);
        }
        Map<String, Offer> byCode = new HashMap<>();
        active.forEach(offer -> byCode.put(offer.code(), offer));
        List<OfferDefinition> definitions = active.stream().map(Offer::definition).toList();
        CompiledRuleSet rules = registry.liveSet(programme);
        Instant now = clock.instant();
        int granted = 0;
        int heldOut = 0;
        Map<String, Integer> perOffer = new TreeMap<>();
        MemberFailures failures = new MemberFailures("Offer grants of " + programme.code() + " on " + day);
        // The chunk's members and the offers they were given within their validity, read in two queries: one per
        // member made a nightly run of a million members wait on a million round trips (and, on a table PostgreSQL
        // has not analysed since it was empty, a million sequential scans).
        Map<Long, Member> members = new HashMap<>();
        em.createQuery("select m from Member m where m.id in :ids", Member.class).setParameter("ids", memberIds)
                .getResultList().forEach(member -> members.put(member.id(), member));
        Map<Long, List<MemberOffer>> givenTo = new HashMap<>();
        em.createQuery("select mo from MemberOffer mo where mo.member.id in :ids and mo.validUntil >= :day",
                        MemberOffer.class).setParameter("ids", memberIds).setParameter("day", day).getResultList()
                .forEach(given -> givenTo.computeIfAbsent(given.member().id(), id -> new ArrayList<>()).add(given));
        for (Long memberId : memberIds) {
            Member member = members.get(memberId);
            if (member == null) {
                continue;
            }
            MemberProfile profile = earningRules.profile(programme, member, now);
            List<OfferGrant> choices;
            try {
                choices = rules.decideOffers(profile, definitions, day);
            } catch (RuleFailedException e) {
                // A rule that fails for this member (it reads what they lack): the others are given theirs. Only a
                // rule's failure, which leaves the transaction as it was: a failed statement would have doomed it.
                failures.add(memberId, e);
                continue;
            }
            failures.succeeded();
            if (choices.isEmpty()) {
                continue;
            }
            // Offers given within their validity, whatever became of them, and the open ones among them.
            Set<Long> recent = new HashSet<>();
            int open = 0;
            for (MemberOffer given : givenTo.getOrDefault(memberId, List.of())) {
                recent.add(given.offer().id());
                if (given.status() == MemberOfferStatus.OPEN) {
                    open++;
                }
            }
            for (OfferGrant choice : choices) {
                Offer offer = byCode.get(choice.offer());
                if (offer == null || recent.contains(offer.id())) {
                    continue;
                }
                // A member the cap keeps from the offer is neither given it nor held out: the control group holds
                // only members who would have had it, or it would measure the cap along with the offer.
                if (open >= programme.maxOpenOffers()) {
                    continue;
                }
                boolean holdOut = offer.holdsOut(member.id());
                // In lower case, as the tills' lines are (a rule granting "Coffee" meant the till's "coffee").
                String category = choice.category() == null || choice.category().isBlank() ? null
                        : choice.category().strip().toLowerCase(java.util.Locale.ROOT);
                em.persist(new MemberOffer(ids.next("o-"), offer, member, holdOut, category,
                        profile.segment(), choice.rule(), day, now));
                recent.add(offer.id());
                if (holdOut) {
                    heldOut++;
                } else {
                    open++;
                    granted++;
                    perOffer.merge(offer.code(), 1, Integer::sum);
                }
            }
        }
        return new Summary(memberIds.size(), granted, heldOut, perOffer, failures.count(), failures.first());
    }
}
