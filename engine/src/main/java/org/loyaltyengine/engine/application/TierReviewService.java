package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
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

    /** How many days back a scheduled review looks for anniversaries no run reviewed (the engine was down). */
    public static final int CATCH_UP_DAYS = 31;

    /**
     * Reviews the programme's members whose anniversary of joining is today, or was on one of the
     * {@link #CATCH_UP_DAYS} days before it and no run reviewed them then (the engine was down that day, or the run
     * failed for them): each as of their anniversary. The scheduled review calls it every period.
     */
    public Summary reviewDue(String programmeCode, String actor) {
        Programme programme = require(programmeCode);
        LocalDate today = programme.today(clock.instant());
        MemberFailures failures = new MemberFailures("Tier review of " + programmeCode + " on " + today);
        int[] counts = new int[2];
        BusyRetry.callIdempotent(() -> self.dueSince(programme.id(), today.minusDays(CATCH_UP_DAYS), today))
                .forEach((id, day) -> reviewOne(id, day, actor, counts, failures));
        return new Summary(programmeCode, today, counts[0], counts[1], failures.count(), failures.first());
    }

    /** Reviews the programme's members whose anniversary of joining is {@code asOf} (today when null). */
    public Summary review(String programmeCode, LocalDate asOf, String actor) {
        Programme programme = require(programmeCode);
        LocalDate day = asOf == null ? programme.today(clock.instant()) : asOf;
        MemberFailures failures = new MemberFailures("Tier review of " + programmeCode + " as of " + day);
        int[] counts = new int[2];
        for (Long id : BusyRetry.callIdempotent(() -> self.due(programme.id(), day))) { // a read, as the expiry's
            reviewOne(id, day, actor, counts, failures);
        }
        return new Summary(programmeCode, day, counts[0], counts[1], failures.count(), failures.first());
    }

    private Programme require(String programmeCode) {
        return programmes.findByCode(programmeCode).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + programmeCode));
    }

    /** Reviews one member as of the day, counting into {reviewed, downgraded}; a failure is left to the next run. */
    private void reviewOne(long id, LocalDate day, String actor, int[] counts, MemberFailures failures) {
        try {
            Optional<String> change = BusyRetry.call(() -> self.reviewMember(id, day, actor)); // see ExpiryService
            failures.succeeded();
            if (change.isPresent()) {
                counts[0]++;
                if (!change.get().isEmpty()) {
                    counts[1]++;
                }
            }
        } catch (RuntimeException e) {
            failures.add(id, e);
        }
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
        return List.copyOf(dueSince(programmeId, day, day).keySet());
    }

    /**
     * Active members of the programme whose anniversary of joining falls on a day from {@code first} to
     * {@code last} and who were not reviewed on or since it, each with that day (the latest, when two fall in the
     * days), in the order of the days and then of the members. A member reviewed on an anniversary has it as their
     * last review's day, and the days span less than a year: one statement asks for the members who joined on any of
     * the days in a past year and whose last review is older than the first day.
     */
    @Transactional
    public Map<Long, LocalDate> dueSince(long programmeId, LocalDate first, LocalDate last) {
        LocalDate earliest = em.createQuery("select min(m.joinedOn) from Member m where m.programme.id = :p",
                LocalDate.class).setParameter("p", programmeId).getSingleResult();
        if (earliest == null) {
            return Map.of();
        }
        Map<LocalDate, LocalDate> anniversaryOf = anniversaries(first, last, earliest.getYear());
        if (anniversaryOf.isEmpty()) {
            return Map.of();
        }
        List<Object[]> rows = em.createQuery("select m.id, m.joinedOn from Member m where m.programme.id = :p"
                        + " and m.status = :active and m.joinedOn in :days"
                        + " and (m.lastReviewOn is null or m.lastReviewOn < :first) order by m.id", Object[].class)
                .setParameter("p", programmeId)
                .setParameter("active", MemberStatus.ACTIVE)
                .setParameter("days", List.copyOf(anniversaryOf.keySet()))
                .setParameter("first", first)
                .getResultList();
        Map<Long, LocalDate> due = new LinkedHashMap<>();
        rows.stream()
                .sorted(Comparator.comparing((Object[] row) -> anniversaryOf.get((LocalDate) row[1]))
                        .thenComparing(row -> (Long) row[0]))
                .forEach(row -> due.put((Long) row[0], anniversaryOf.get((LocalDate) row[1])));
        return due;
    }

    /**
     * The joining days, since {@code firstYear}, whose anniversary falls from {@code first} to {@code last}, each
     * with its anniversary in those days (the later one, when a joining day has two: the 29th of February and the
     * 28th).
     */
    static Map<LocalDate, LocalDate> anniversaries(LocalDate first, LocalDate last, int firstYear) {
        Map<LocalDate, LocalDate> anniversaryOf = new HashMap<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            for (LocalDate joined : anniversaries(day, firstYear)) {
                anniversaryOf.put(joined, day); // the later day wins: the days are walked in order
            }
        }
        return anniversaryOf;
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

    /**
     * What a review did.
     *
     * @param failed  the members whose review failed (left to the next run), 0 nearly always
     * @param failure why the first of them failed, {@code null} when none did
     */
    @Schema(name = "TierReviewSummary", description = "What a tier review did")
    public record Summary(String programme, LocalDate asOf, int reviewed, int downgraded, int failed,
                          String failure) {
    }
}
