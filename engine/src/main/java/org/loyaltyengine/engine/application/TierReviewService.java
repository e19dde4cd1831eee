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
    public List<Summary> reviewDueToday(String actor) {
        return programmes.findAll().stream()
                .map(programme -> review(programme.code(), programme.today(clock.instant()), actor))
                .toList();
    }

    /** Reviews the programme's members whose anniversary of joining is {@code asOf} (today when null). */
    public Summary review(String programmeCode, LocalDate asOf, String actor) {
        Programme programme = programmes.findByCode(programmeCode).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + programmeCode));
        LocalDate day = asOf == null ? programme.today(clock.instant()) : asOf;
        int reviewed = 0;
        int downgraded = 0;
        for (Long id : BusyRetry.callIdempotent(() -> self.due(programme.id(), day))) { // a read, as the expiry's
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

    /**
     * Active members of the programme whose anniversary of joining falls on the day (members who joined on 29
     * February have theirs on the 28th in other years), and who were not reviewed on it yet. The database is asked
     * for the members who joined on that day of each past year: reading every member to compare the days ran a
     * programme of a million members out of the engine's heap, every hour. The review runs every hour, and the
     * members it reviewed in the day's first run are left out of the next: each of them was locked and read again,
     * 2.4 s of the database's and the engine's time every hour at a million members, to find them done.
     */
    @Transactional
    public List<Long> due(long programmeId, LocalDate day) {
        LocalDate earliest = em.createQuery("select min(m.joinedOn) from Member m where m.programme.id = :p",
                LocalDate.class).setParameter("p", programmeId).getSingleResult();
        if (earliest == null) {
            return List.of();
        }
        List<LocalDate> anniversaries = anniversaries(day, earliest.getYear());
        if (anniversaries.isEmpty()) {
            return List.of();
        }
        return em.createQuery("select m.id from Member m where m.programme.id = :p and m.status = :active"
                        + " and m.joinedOn in :days and (m.lastReviewOn is null or m.lastReviewOn <> :day)"
                        + " order by m.id", Long.class)
                .setParameter("p", programmeId)
                .setParameter("active", MemberStatus.ACTIVE)
                .setParameter("days", anniversaries)
                .setParameter("day", day)
                .getResultList();
    }

    /** The days, from the year before {@code day}'s back to {@code firstYear}, whose anniversary is {@code day}. */
    static List<LocalDate> anniversaries(LocalDate day, int firstYear) {
        MonthDay anniversary = MonthDay.from(day);
        boolean leapDayToo = anniversary.equals(MonthDay.of(2, 28)) && !day.isLeapYear();
        List<LocalDate> days = new java.util.ArrayList<>();
        for (int year = day.getYear() - 1; year >= firstYear; year--) {
            if (anniversary.isValidYear(year)) {
                days.add(anniversary.atYear(year));
            }
            if (leapDayToo && java.time.Year.isLeap(year)) {
                days.add(LocalDate.of(year, 2, 29));
            }
        }
        return days;
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
