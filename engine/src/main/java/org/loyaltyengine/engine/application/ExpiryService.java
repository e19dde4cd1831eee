package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.ledger.Channel;
import org.loyaltyengine.engine.domain.ledger.ExpiryRun;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.PointsLot;
import org.loyaltyengine.engine.domain.ledger.Provenance;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;

/**
 * Expires the points nobody spent in time. Each member is handled in its own transaction, its row locked like a
 * sale, and only lots with points left are touched: a second run, a run on another engine instance at the same
 * moment, or a catch-up run after downtime expires nothing twice. One {@code EXPIRY} entry is written per member
 * and expiry day, dated at the start of that day in the programme's time zone.
 */
@ApplicationScoped
public class ExpiryService {

    private static final Logger LOG = Logger.getLogger(ExpiryService.class.getName());

    @Inject
    ProgrammeRepository programmes;

    @Inject
    MemberRepository members;

    @Inject
    LedgerRepository ledger;

    @Inject
    PointsPosting posting;

    @Inject
    ExpiryService self;

    @Inject
    StaffRuns runs;

    @Inject
    Clock clock;

    /**
     * A run a manager asked for ({@code POST /admin/programmes/{code}/expiry}), in the programme's audit trail. A day
     * after today takes points before their expiry day, which nothing gives back: it is done only when the manager
     * says so ({@code bringForward}, a programme's closure).
     *
     * @throws DomainException {@code expiry_in_future} (422, field {@code asOf}) for a later day without
     *                         {@code bringForward}
     */
    public Summary runForStaff(String programmeCode, LocalDate asOf, boolean bringForward, String actor) {
        Programme programme = programmes.findByCode(programmeCode).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + programmeCode));
        LocalDate today = programme.today(clock.instant());
        if (asOf != null) {
            ConstraintViolations.requireKeptDay(asOf, "asOf", asOf.toString());
        }
        if (asOf != null && asOf.isAfter(today) && !bringForward) {
            throw DomainException.unprocessable("expiry_in_future", "asOf", "Expiring as of " + asOf + ", after"
                    + " today (" + today + " in " + programme.zone().getId() + "), takes points before their expiry"
                    + " day, which nothing gives back; to do so (a programme's closure) send \"bringForward\": true");
        }
        Summary summary = run(programmeCode, asOf, actor);
        runs.record(actor, "EXPIRY_RUN", programmeCode, "Expiry as of " + summary.asOf()
                + (summary.asOf().isAfter(today) ? " (brought forward from " + today + ")" : "") + ": "
                + summary.pointsExpired() + " points of " + summary.members() + " member(s)");
        return summary;
    }

    /**
     * Expires the programme's points whose expiry day is {@code asOf} or earlier.
     *
     * @param asOf the day to expire as of: today (also when {@code null}) for the daily run, an earlier day to
     *             catch up, a later day to bring the expiry forward (tests, a programme's closure)
     */
    public Summary run(String programmeCode, LocalDate asOf, String actor) {
        Programme programme = programmes.findByCode(programmeCode).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + programmeCode));
        Instant started = clock.instant();
        LocalDate day = asOf == null ? programme.today(started) : asOf;
        int affected = 0;
        long expired = 0;
        MemberFailures failures = new MemberFailures("Expiry of " + programmeCode + " as of " + day);
        // A read: run again on a fresh connection when the database ended this one (a fail-over, an instance that
        // froze and woke up), rather than leave the run to the next period.
        for (Long memberId : BusyRetry.callIdempotent(() -> self.membersDue(programme.id(), day))) {
            // A member's transaction the database gave up (a sale held the member's lock, a block of ids was
            // being renewed) runs again rather than stopping the run for every member after it; one that still
            // fails is left to the next run, and the members after it are expired all the same.
            try {
                long points = BusyRetry.call(() -> self.expireMember(memberId, day, actor));
                failures.succeeded();
                if (points > 0) {
                    affected++;
                    expired += points;
                }
            } catch (RuntimeException e) {
                failures.add(memberId, e);
            }
        }
        self.recordRun(programme.id(), day, actor, started, affected, expired);
        Summary summary = new Summary(programmeCode, day, affected, expired, failures.count(), failures.first());
        if (affected > 0) {
            LOG.info(() -> "Expiry of " + programmeCode + " as of " + day + ": " + summary.pointsExpired()
                    + " points of " + summary.members() + " member(s)");
        }
        return summary;
    }

    @Transactional
    public List<Long> membersDue(long programmeId, LocalDate asOf) {
        return ledger.membersWithPointsExpiringBy(programmeId, asOf);
    }

    /** Expires one member's due lots; returns the points expired (0 when another run got there first). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long expireMember(long memberId, LocalDate asOf, String actor) {
        Member member = members.lockById(memberId);
        Programme programme = member.programme();
        Instant now = clock.instant();
        Map<LocalDate, List<PointsLot>> byDay = new TreeMap<>();
        for (PointsLot lot : ledger.lotsExpiringBy(member, asOf)) {
            byDay.computeIfAbsent(lot.expiresOn(), day -> new java.util.ArrayList<>()).add(lot);
        }
        long total = 0;
        for (Map.Entry<LocalDate, List<PointsLot>> day : byDay.entrySet()) {
            long points = day.getValue().stream().mapToLong(PointsLot::remaining).sum();
            Provenance provenance = new Provenance(Channel.SYSTEM, null, actor, "Points unspent on their expiry day "
                    + day.getKey(), day.getKey().atStartOfDay(programme.zone()).toInstant());
            posting.expire(LedgerEntry.expiry(member, points, provenance, now), day.getValue());
            total += points;
        }
        return total;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRun(long programmeId, LocalDate asOf, String actor, Instant started, int affected,
                          long expired) {
        ledger.record(new ExpiryRun(programmes.require(programmeId), asOf, actor, started, clock.instant(), affected,
                expired));
    }

    /**
     * What a run expired.
     *
     * @param failed  the members whose expiry failed (left to the next run), 0 nearly always
     * @param failure why the first of them failed, {@code null} when none did
     */
    @Schema(name = "ExpirySummary", description = "What an expiry run expired")
    public record Summary(String programme, LocalDate asOf, int members, long pointsExpired, int failed,
                          String failure) {
    }
}
