package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.ledger.Channel;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.Provenance;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.member.MemberStatus;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.domain.programme.Tier;
import org.loyaltyengine.engine.infrastructure.rules.EarningRules;
import org.loyaltyengine.rules.decision.TierStanding;

/**
 * The yearly tier review, on each member's anniversary of joining: the programme's tier rules decide the tier the
 * member's standing in the window reaches; a member below their tier goes down one level (never more at once),
 * with a {@code TIER_CHANGE} ledger entry saying why. Upgrades never wait for the review: sales make them.
 */
@ApplicationScoped
public class TierReviewService {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    ProgrammeRepository programmes;

    @Inject
    MemberRepository members;

    @Inject
    LedgerRepository ledger;

    @Inject
    EarningRules rules;

    @Inject
    TierReviewService self;

    @Inject
    Clock clock;

    /** Reviews, in every programme, the members whose anniversary is today. */
    public void reviewDueToday(String actor) {
        for (Programme programme : programmes.findAll()) {
            review(programme.code(), programme.today(clock.instant()), actor);
        }
    }

    /** Reviews the programme's members whose anniversary of joining is {@code asOf} (today when null). */
    public Summary review(String programmeCode, LocalDate asOf, String actor) {
        Programme programme = programmes.findByCode(programmeCode).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + programmeCode));
        LocalDate day = asOf == null ? programme.today(clock.instant()) : asOf;
        int reviewed = 0;
        int downgraded = 0;
        for (Long id : self.due(programme.id(), day)) {
            Optional<String> change = BusyRetry.call(() -> self.reviewMember(id, day, actor)); // see ExpiryService
            if (change.isPresent()) {
                reviewed++;
                if (!change.get().isEmpty()) {
                    downgraded++;
                }
            }
        }
        return new Summary(programmeCode, day, reviewed, downgraded);
    }

    /** Active members of the programme whose anniversary of joining falls on the day. */
    @Transactional
    public List<Long> due(long programmeId, LocalDate day) {
        MonthDay anniversary = MonthDay.from(day);
        return em.createQuery("select m from Member m where m.programme.id = :p and m.status = :active"
                        + " and m.joinedOn < :day", Member.class)
                .setParameter("p", programmeId)
                .setParameter("active", MemberStatus.ACTIVE)
                .setParameter("day", day)
                .getResultStream()
                .filter(member -> MonthDay.from(member.joinedOn()).equals(anniversary)
                        || (MonthDay.from(member.joinedOn()).equals(MonthDay.of(2, 29)) && !day.isLeapYear()
                        && anniversary.equals(MonthDay.of(2, 28))))
                .map(Member::id)
                .toList();
    }

    /**
     * Reviews one member once per day.
     *
     * @return empty when already reviewed that day, "" when the tier holds, the change when it went down
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<String> reviewMember(long memberId, LocalDate day, String actor) {
        Member member = members.lockById(memberId);
        if (!member.reviewedOn(day)) {
            return Optional.empty();
        }
        Programme programme = member.programme();
        Instant at = day.atStartOfDay(programme.zone()).toInstant();
        Optional<TierStanding> standing = rules.review(programme, member, at);
        int current = programme.tier(member.tierCode()).map(Tier::rank).orElse(0);
        if (standing.isEmpty() || standing.get().rank() >= current) {
            return Optional.of("");
        }
        String before = member.tierCode();
        Optional<Tier> now = member.demoteOneLevel(clock.instant());
        if (now.isEmpty()) {
            return Optional.of("");
        }
        String change = before + "->" + now.get().code();
        long qualifying = rules.profile(programme, member, at).qualifyingPoints();
        ledger.append(LedgerEntry.tierChange(member, change, new Provenance(Channel.SYSTEM, null, actor,
                "Yearly review: the standing in the last " + programme.tierWindowDays() + " days (" + qualifying
                        + " qualifying points) reaches " + standing.get().tier() + ", below " + before
                        + "; down one level to " + now.get().code(), at), clock.instant()));
        return Optional.of(change);
    }

    /** What a review did. */
    public record Summary(String programme, LocalDate asOf, int reviewed, int downgraded) {
    }
}
