package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.knowledge.MemberScore;
import org.loyaltyengine.engine.domain.knowledge.RfmScoring;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberStatus;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;

/**
 * Computes what the programme knows of its members ({@link RfmScoring}) from the recorded sales, summed by the
 * database per member, and keeps it in {@code member_score} for the rules, the back office and the reports.
 */
@ApplicationScoped
public class CustomerKnowledge {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    ProgrammeRepository programmes;

    @Inject
    Clock clock;

    /** Recomputes every active member of the programme as of a day (today when null). */
    @Transactional
    public Summary recompute(String code, LocalDate asOf) {
        long started = System.nanoTime();
        Programme programme = programmes.findByCode(code).orElseThrow(() -> DomainException.notFound(
                "programme_not_found", "No programme " + code));
        LocalDate day = asOf == null ? programme.today(clock.instant()) : asOf;
        Instant end = day.plusDays(1).atStartOfDay(programme.zone()).toInstant();
        Instant yearStart = day.minusDays(365).atStartOfDay(programme.zone()).toInstant();

        // First and last purchase: SQL, because JPA hands MIN and MAX of a converted attribute to the converter
        // as a raw timestamp. Timestamps are stored in UTC (InstantConverter).
        Map<Long, Object[]> allTime = new HashMap<>();
        @SuppressWarnings("unchecked")
        List<Object[]> firstAndLast = em.createNativeQuery("SELECT member_id, MIN(occurred_at), MAX(occurred_at),"
                        + " COUNT(*) FROM sale WHERE programme_id = ? AND occurred_at < ? GROUP BY member_id")
                .setParameter(1, programme.id())
                .setParameter(2, java.sql.Timestamp.valueOf(java.time.LocalDateTime.ofInstant(end,
                        java.time.ZoneOffset.UTC)))
                .getResultList();
        for (Object[] row : firstAndLast) {
            allTime.put(((Number) row[0]).longValue(), new Object[] {row[0], utc(row[1]), utc(row[2]),
                    ((Number) row[3]).longValue()});
        }
        Map<Long, Object[]> year = new HashMap<>();
        for (Object[] row : em.createQuery("select s.member.id, count(s), sum(s.total) from Sale s where"
                        + " s.programme = :p and s.occurredAt >= :start and s.occurredAt < :end group by s.member.id",
                        Object[].class)
                .setParameter("p", programme).setParameter("start", yearStart).setParameter("end", end)
                .getResultList()) {
            year.put((Long) row[0], row);
        }
        Map<Long, String> favourite = new HashMap<>();
        Map<Long, BigDecimal> favouriteSpend = new HashMap<>();
        for (Object[] row : em.createQuery("select s.member.id, l.category, sum(l.unitPrice * l.quantity) from Sale s"
                        + " join s.lines l where s.programme = :p and s.occurredAt >= :start and s.occurredAt < :end"
                        + " group by s.member.id, l.category", Object[].class)
                .setParameter("p", programme).setParameter("start", yearStart).setParameter("end", end)
                .getResultList()) {
            Long member = (Long) row[0];
            BigDecimal spent = new BigDecimal(row[2].toString());
            if (!favouriteSpend.containsKey(member) || spent.compareTo(favouriteSpend.get(member)) > 0) {
                favouriteSpend.put(member, spent);
                favourite.put(member, (String) row[1]);
            }
        }
        List<Long> memberIds = em.createQuery("select m.id from Member m where m.programme = :p and m.status = :active",
                        Long.class)
                .setParameter("p", programme).setParameter("active", MemberStatus.ACTIVE).getResultList();
        List<RfmScoring.Purchases> purchases = new ArrayList<>();
        for (Long id : memberIds) {
            Object[] all = allTime.get(id);
            Object[] window = year.get(id);
            purchases.add(new RfmScoring.Purchases(id,
                    all == null ? null : programme.today((Instant) all[1]),
                    all == null ? null : programme.today((Instant) all[2]),
                    all == null ? 0 : (Long) all[3],
                    window == null ? 0 : ((Number) window[1]).longValue(),
                    window == null ? BigDecimal.ZERO : new BigDecimal(window[2].toString()),
                    favourite.get(id)));
        }
        em.createQuery("delete from MemberScore s where s.memberId in (select m.id from Member m where"
                + " m.programme = :p)").setParameter("p", programme).executeUpdate();
        Map<String, Long> perSegment = new TreeMap<>();
        for (RfmScoring.Score score : RfmScoring.score(purchases, day)) {
            em.persist(new MemberScore(score, day));
            perSegment.merge(score.segment(), 1L, Long::sum);
        }
        return new Summary(code, day, memberIds.size(), perSegment, (System.nanoTime() - started) / 1_000_000);
    }

    private static Instant utc(Object timestamp) {
        return ((java.sql.Timestamp) timestamp).toLocalDateTime().toInstant(java.time.ZoneOffset.UTC);
    }

    /** The member's scores as last computed. */
    @Transactional
    public Optional<MemberScore> of(Member member) {
        return Optional.ofNullable(em.find(MemberScore.class, member.id()));
    }

    /** What a recomputation did. */
    public record Summary(String programme, LocalDate asOf, int members, Map<String, Long> perSegment, long millis) {
    }
}
