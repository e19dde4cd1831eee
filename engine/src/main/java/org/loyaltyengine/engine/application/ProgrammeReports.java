package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.ledger.EntryKind;
import org.loyaltyengine.engine.domain.member.MemberStatus;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.infrastructure.persistence.InstantConverter;

/**
 * The figures a marketing team reads at a glance: members (active in the last 90 days, per tier), points issued,
 * redeemed and expired per week, the points outstanding and their money value (the programme's liability), and the
 * redemption rate. Sums are made by the database; weeks start on Monday in the programme's time zone.
 */
@ApplicationScoped
public class ProgrammeReports {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    ProgrammeRepository programmes;

    @Inject
    Clock clock;

    @Transactional
    public Dashboard dashboard(Staff staff, String code, int weeks) {
        Programme programme = programme(staff, code, weeks);
        Instant now = clock.instant();
        LocalDate today = programme.today(now);
        List<Week> series = series(programme, weeks);
        long issued = series.stream().mapToLong(Week::issued).sum();
        long redeemed = series.stream().mapToLong(Week::redeemed).sum();
        Long lots = em.createQuery("select sum(l.remaining) from PointsLot l where l.member.programme = :programme"
                        + " and l.expiresOn > :today", Long.class)
                .setParameter("programme", programme).setParameter("today", today).getSingleResult();
        Long owed = em.createQuery("select sum(m.pointsOwed) from Member m where m.programme = :programme", Long.class)
                .setParameter("programme", programme).getSingleResult();
        long outstanding = (lots == null ? 0 : lots) - (owed == null ? 0 : owed);
        Long members = em.createQuery("select count(m) from Member m where m.programme = :programme"
                        + " and m.status = :active", Long.class)
                .setParameter("programme", programme).setParameter("active", MemberStatus.ACTIVE).getSingleResult();
        // Counted by the account kept: a duplicate merged into it is the same person (its sales stay its own entries),
        // so that no more people bought than there are members.
        // A duplicate names the account kept however many merges were made since its own (Member#mergeInto).
        Long active = em.createQuery("select count(distinct coalesce(k.id, m.id)) from LedgerEntry e"
                        + " join e.member m left join m.mergedInto k"
                        + " where m.programme = :programme and e.kind = :earn and e.occurredAt >= :since"
                        + " and ((k.id is null and m.status = :active) or k.status = :active)", Long.class)
                .setParameter("programme", programme).setParameter("earn", EntryKind.EARN)
                .setParameter("active", MemberStatus.ACTIVE)
                .setParameter("since", now.minus(java.time.Duration.ofDays(90))).getSingleResult();
        Map<String, Long> tiers = new LinkedHashMap<>();
        programme.tiers().forEach(tier -> tiers.put(tier.code(), 0L));
        for (Object[] row : em.createQuery("select m.tierCode, count(m) from Member m where m.programme = :programme"
                + " and m.status = :active group by m.tierCode", Object[].class)
                .setParameter("programme", programme).setParameter("active", MemberStatus.ACTIVE).getResultList()) {
            tiers.put((String) row[0], (Long) row[1]);
        }
        BigDecimal liability = programme.pointValue().multiply(BigDecimal.valueOf(outstanding))
                .setScale(2, RoundingMode.HALF_UP);
        return new Dashboard(code, programme.currency(), members, active, outstanding, liability.toPlainString(),
                issued == 0 ? 0 : Math.round(1000.0 * redeemed / issued) / 10.0, tiers, series);
    }

    /** The weekly series alone (for the CSV): the dashboard's other figures take seconds more at scale. */
    @Transactional
    public List<Week> weeks(Staff staff, String code, int weeks) {
        return series(programme(staff, code, weeks), weeks);
    }

    private Programme programme(Staff staff, String code, int weeks) {
        staff.requireManages(code);
        Programme programme = programmes.findByCode(code).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + code));
        if (weeks < 1 || weeks > 104) {
            throw DomainException.invalid("weeks", "weeks is between 1 and 104");
        }
        return programme;
    }

    /** The last {@code weeks} weeks, from Monday, this week last. */
    private List<Week> series(Programme programme, int weeks) {
        LocalDate firstWeek = programme.today(clock.instant()).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                .minusWeeks(weeks - 1L);
        long[][] perWeek = weeklySums(programme, firstWeek, weeks);
        List<Week> series = new ArrayList<>();
        for (int i = 0; i < weeks; i++) {
            series.add(new Week(firstWeek.plusWeeks(i), perWeek[i][0], perWeek[i][1], perWeek[i][2], perWeek[i][3]));
        }
        return series;
    }

    /**
     * Points issued, redeemed, expired and reversed ({@link PointsFlow}) in each week, by the time they were recorded: summed
     * by the database in one pass over the ledger, each entry put in its week by comparing its time with the weeks'
     * starts (a week's start in the programme's zone is a different hour of UTC in summer and in
     * winter, which SQL alone would not know). Read entry by entry, a million members' twelve weeks of ledger took
     * more than the engine's heap.
     */
    private long[][] weeklySums(Programme programme, LocalDate firstWeek, int weeks) {
        StringBuilder week = new StringBuilder("CASE");
        List<Timestamp> starts = new ArrayList<>();
        for (int i = 1; i < weeks; i++) {
            week.append(" WHEN e.recorded_at < ? THEN ").append(i - 1);
            starts.add(utc(firstWeek.plusWeeks(i), programme));
        }
        // One week has no WHEN, and SQL has no CASE without one.
        String slot = weeks == 1 ? "0" : week.append(" ELSE ").append(weeks - 1).append(" END").toString();
        Query query = em.createNativeQuery("SELECT t.slot, SUM(t.issued), SUM(t.redeemed), SUM(t.expired),"
                + " SUM(t.reversed) FROM (SELECT " + slot + " AS slot, " + PointsFlow.ISSUED + " AS issued, "
                + PointsFlow.REDEEMED + " AS redeemed, " + PointsFlow.EXPIRED + " AS expired, " + PointsFlow.REVERSED
                + " AS reversed " + PointsFlow.ENTRIES + ") t GROUP BY t.slot");
        int position = 1;
        for (Timestamp start : starts) {
            query.setParameter(position++, start);
        }
        query.setParameter(position++, programme.id());
        query.setParameter(position++, utc(firstWeek, programme));
        query.setParameter(position, utc(firstWeek.plusWeeks(weeks), programme));
        long[][] sums = new long[weeks][4];
        for (Object row : query.getResultList()) {
            Object[] columns = (Object[]) row;
            long[] sum = sums[((Number) columns[0]).intValue()];
            for (int figure = 0; figure < 4; figure++) {
                sum[figure] = ((Number) columns[figure + 1]).longValue();
            }
        }
        return sums;
    }

    /** The start of a day in the programme's zone, as the database stores times (UTC, {@code InstantConverter}). */
    private static Timestamp utc(LocalDate day, Programme programme) {
        return InstantConverter.timestamp(day.atStartOfDay(programme.zone()).toInstant());
    }

    /** The weekly series as CSV, for a spreadsheet. */
    public static String csv(List<Week> weeks) {
        StringBuilder csv = new StringBuilder("week,points_issued,points_redeemed,points_expired,points_reversed\n");
        weeks.forEach(week -> csv.append(week.week()).append(',').append(week.issued()).append(',')
                .append(week.redeemed()).append(',').append(week.expired()).append(',').append(week.reversed())
                .append('\n'));
        return csv.toString();
    }

    /** One week, from Monday; {@code reversed}: points taken back by returns and managers' debits. */
    public record Week(LocalDate week, long issued, long redeemed, long expired, long reversed) {
    }

    /**
     * @param redemptionRate points redeemed per 100 issued over the period, in percent
     * @param liability      the money value of the outstanding points in the programme's currency
     */
    public record Dashboard(String programme, String currency, long members, long activeMembers,
                            long outstandingPoints, String liability, double redemptionRate,
                            Map<String, Long> membersPerTier, List<Week> weeks) {
    }
}
