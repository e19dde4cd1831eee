package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.ledger.EntryKind;
import org.loyaltyengine.engine.domain.member.MemberStatus;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;

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
        staff.requireManages(code);
        Programme programme = programmes.findByCode(code).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + code));
        if (weeks < 1 || weeks > 104) {
            throw DomainException.invalid("weeks", "weeks is between 1 and 104");
        }
        Instant now = clock.instant();
        LocalDate today = programme.today(now);
        LocalDate firstWeek = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).minusWeeks(weeks - 1L);
        Instant since = firstWeek.atStartOfDay(programme.zone()).toInstant();

        Map<LocalDate, long[]> perWeek = new LinkedHashMap<>();
        for (int i = 0; i < weeks; i++) {
            perWeek.put(firstWeek.plusWeeks(i), new long[3]);
        }
        List<Object[]> rows = em.createQuery("select e.kind, e.points, e.recordedAt from LedgerEntry e"
                        + " where e.member.programme = :programme and e.recordedAt >= :since", Object[].class)
                .setParameter("programme", programme)
                .setParameter("since", since)
                .getResultList();
        for (Object[] row : rows) {
            EntryKind kind = (EntryKind) row[0];
            long points = (Long) row[1];
            LocalDate week = programme.today((Instant) row[2]).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            long[] sums = perWeek.get(week);
            if (sums == null) {
                continue;
            }
            if ((kind == EntryKind.EARN || kind == EntryKind.ADJUSTMENT) && points > 0) {
                sums[0] += points;
            } else if (kind == EntryKind.REDEEM) {
                sums[1] -= points;
            } else if (kind == EntryKind.EXPIRY) {
                sums[2] -= points;
            }
        }
        List<Week> series = new ArrayList<>();
        long issued = 0;
        long redeemed = 0;
        for (Map.Entry<LocalDate, long[]> week : perWeek.entrySet()) {
            series.add(new Week(week.getKey(), week.getValue()[0], week.getValue()[1], week.getValue()[2]));
            issued += week.getValue()[0];
            redeemed += week.getValue()[1];
        }
        Long lots = em.createQuery("select sum(l.remaining) from PointsLot l where l.member.programme = :programme"
                        + " and l.expiresOn > :today", Long.class)
                .setParameter("programme", programme).setParameter("today", today).getSingleResult();
        Long owed = em.createQuery("select sum(m.pointsOwed) from Member m where m.programme = :programme", Long.class)
                .setParameter("programme", programme).getSingleResult();
        long outstanding = (lots == null ? 0 : lots) - (owed == null ? 0 : owed);
        Long members = em.createQuery("select count(m) from Member m where m.programme = :programme"
                        + " and m.status = :active", Long.class)
                .setParameter("programme", programme).setParameter("active", MemberStatus.ACTIVE).getSingleResult();
        Long active = em.createQuery("select count(distinct e.member) from LedgerEntry e where e.member.programme"
                        + " = :programme and e.kind = :earn and e.occurredAt >= :since", Long.class)
                .setParameter("programme", programme).setParameter("earn", EntryKind.EARN)
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

    /** The weekly series as CSV, for a spreadsheet. */
    public static String csv(Dashboard dashboard) {
        StringBuilder csv = new StringBuilder("week,points_issued,points_redeemed,points_expired\n");
        dashboard.weeks().forEach(week -> csv.append(week.week()).append(',').append(week.issued()).append(',')
                .append(week.redeemed()).append(',').append(week.expired()).append('\n'));
        return csv.toString();
    }

    /** One week, from Monday. */
    public record Week(LocalDate week, long issued, long redeemed, long expired) {
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
