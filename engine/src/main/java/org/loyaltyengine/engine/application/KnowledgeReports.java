package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.knowledge.KnowledgeMeasures;
import org.loyaltyengine.engine.domain.knowledge.SegmentDefinitions;
import org.loyaltyengine.engine.domain.offer.MemberOfferStatus;
import org.loyaltyengine.engine.domain.offer.Offer;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.infrastructure.persistence.InstantConverter;

/**
 * What programmes do, measured: segments and how they buy, migrations between two days, attrition, repurchase,
 * redemption and breakage over a period, and each offer's response against its control group. Figures over a
 * period take sales by the day they occurred in the programme's time zone, both days included.
 */
@ApplicationScoped
public class KnowledgeReports {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    CustomerKnowledge knowledge;

    @Inject
    OfferService offers;

    /** Members, visits, average basket and attrition risk per segment, as last computed. */
    public record Segments(String programme, LocalDate computedOn, List<KnowledgeMeasures.SegmentFigures> segments) {
    }

    @Transactional
    public Segments segments(String code) {
        Programme programme = knowledge.programme(code);
        // Summed by the database: a million members' scores read as entities took more than the engine's heap.
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("SELECT s.segment, COUNT(*), SUM(CAST(s.frequency AS BIGINT)),"
                + " SUM(s.monetary), SUM(s.attrition_risk), MAX(s.computed_on) FROM member_score s"
                + " JOIN member m ON m.id = s.member_id WHERE m.programme_id = ? GROUP BY s.segment")
                .setParameter(1, programme.id()).getResultList();
        Map<String, KnowledgeMeasures.SegmentTotals> totals = new HashMap<>();
        LocalDate computedOn = null;
        for (Object[] row : rows) {
            totals.put((String) row[0], new KnowledgeMeasures.SegmentTotals(((Number) row[1]).longValue(),
                    ((Number) row[2]).longValue(), decimal(row[3]), decimal(row[4])));
            LocalDate day = ((java.sql.Date) row[5]).toLocalDate();
            computedOn = computedOn == null || day.isAfter(computedOn) ? day : computedOn;
        }
        return new Segments(code, computedOn, KnowledgeMeasures.perSegment(totals, order(programme)));
    }

    private static BigDecimal decimal(Object sum) {
        return sum instanceof BigDecimal value ? value : new BigDecimal(sum.toString());
    }

    /** How many members moved from which segment to which between two days. */
    @Schema(name = "MigrationsReport", description = "How many members moved from which segment to which between two days")
    public record Migrations(String programme, LocalDate from, LocalDate to, KnowledgeMeasures.Migrations matrix) {
    }

    @Transactional
    public Migrations migrations(String code, LocalDate from, LocalDate to) {
        Programme programme = knowledge.programme(code);
        requirePeriod(from, to);
        KnowledgeMeasures.MemberSegments before = KnowledgeMeasures.MemberSegments.of(
                knowledge.scoresAsOf(programme, from));
        return new Migrations(code, from, to, KnowledgeMeasures.migrations(before,
                KnowledgeMeasures.MemberSegments.of(knowledge.scoresAsOf(programme, to)), order(programme)));
    }

    /** Members lost over a period against the members active at its start. */
    @Schema(name = "AttritionReport", description = "Members lost over a period against the members active at its start")
    public record Attrition(String programme, LocalDate from, LocalDate to, long activeAtStart, long lost,
                            BigDecimal rate) {
    }

    @Transactional
    public Attrition attrition(String code, LocalDate from, LocalDate to) {
        Programme programme = knowledge.programme(code);
        requirePeriod(from, to);
        KnowledgeMeasures.MemberSegments before = KnowledgeMeasures.MemberSegments.of(
                knowledge.scoresAsOf(programme, from));
        KnowledgeMeasures.Attrition attrition = KnowledgeMeasures.attrition(before,
                KnowledgeMeasures.MemberSegments.of(knowledge.scoresAsOf(programme, to)));
        return new Attrition(code, from, to, attrition.activeAtStart(), attrition.lost(), attrition.rate());
    }

    /**
     * The buying members of a period and how many of them bought again within it; points issued, redeemed and
     * expired over it, as the dashboard counts them ({@link PointsFlow}).
     *
     * @param repurchaseRate  members with two purchases or more over members with one or more
     * @param redemptionRate  points redeemed over points issued
     * @param breakageRate    points expired over points that left the accounts (redeemed or expired)
     * @param pointsReversed points taken back by returns and managers' debits
     */
    public record Activity(String programme, LocalDate from, LocalDate to, long buyers, long repeatBuyers,
                           BigDecimal repurchaseRate, long pointsIssued, long pointsRedeemed, long pointsExpired,
                           BigDecimal redemptionRate, BigDecimal breakageRate, long pointsReversed) {
    }

    @Transactional
    public Activity activity(String code, LocalDate from, LocalDate to) {
        Programme programme = knowledge.programme(code);
        requirePeriod(from, to);
        Instant start = from.atStartOfDay(programme.zone()).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(programme.zone()).toInstant();
        // Counted by the database: one row per buying member took seconds and megabytes for a million members.
        // Counted as the scores count them: a sale whose goods all came back is no purchase, and a duplicate's
        // sales are those of the account kept, which it names however many merges were made since its own (of a
        // chain D into C, C into B, B into A, D's sales count under A), as the dashboard counts its active members.
        Object[] counts = (Object[]) em.createNativeQuery("SELECT COUNT(*), SUM(CASE WHEN t.purchases >= 2 THEN 1"
                        + " ELSE 0 END) FROM (SELECT COUNT(*) AS purchases FROM sale s JOIN member m ON m.id ="
                        + " s.member_id WHERE s.programme_id = ?"
                        + " AND s.occurred_at >= ? AND s.occurred_at < ?"
                        + " AND (s.returned_value < s.total OR s.returned_value = 0)"
                        + " GROUP BY COALESCE(m.merged_into, m.id)) t")
                .setParameter(1, programme.id()).setParameter(2, InstantConverter.timestamp(start))
                .setParameter(3, InstantConverter.timestamp(end))
                .getSingleResult();
        long buyers = ((Number) counts[0]).longValue();
        long repeat = counts[1] == null ? 0 : ((Number) counts[1]).longValue();
        // Points issued, redeemed and expired as the dashboard counts them (PointsFlow).
        Object[] flow = (Object[]) em.createNativeQuery("SELECT SUM(" + PointsFlow.ISSUED + "), SUM("
                        + PointsFlow.REDEEMED + "), SUM(" + PointsFlow.EXPIRED + "), SUM(" + PointsFlow.REVERSED + ") "
                        + PointsFlow.ENTRIES)
                .setParameter(1, programme.id()).setParameter(2, InstantConverter.timestamp(start))
                .setParameter(3, InstantConverter.timestamp(end))
                .getSingleResult();
        long issued = flow[0] == null ? 0 : ((Number) flow[0]).longValue();
        long redeemed = flow[1] == null ? 0 : ((Number) flow[1]).longValue();
        long expired = flow[2] == null ? 0 : ((Number) flow[2]).longValue();
        long reversed = flow[3] == null ? 0 : ((Number) flow[3]).longValue();
        return new Activity(code, from, to, buyers, repeat, KnowledgeMeasures.ratio(repeat, buyers), issued,
                redeemed, expired, KnowledgeMeasures.ratio(redeemed, issued),
                KnowledgeMeasures.ratio(expired, redeemed + expired), reversed);
    }

    /**
     * An offer's response: of the members it was given to, how many bought within its validity and how many used
     * it; the same for the members chosen by the same rules but held out. The uplift is the difference of the two
     * response rates.
     */
    public record OfferResponse(String programme, String offer, long given, long givenBought, long used,
                                BigDecimal responseRate, long heldOut, long heldOutBought,
                                BigDecimal controlResponseRate, BigDecimal uplift,
                                Map<String, Long> givenPerSegment) {
    }

    @Transactional
    public OfferResponse offerResponse(String code, String offerCode) {
        Programme programme = knowledge.programme(code);
        Offer offer = offers.find(programme, offerCode);
        if (offer == null) {
            throw DomainException.notFound("offer_not_found", "No offer " + offerCode + " in programme " + code);
        }
        // Counted by the database: a nightly run gives an offer to tens of thousands of members in a large
        // programme, too many to read as entities with their purchases.
        Map<MemberOfferStatus, Long> grants = new java.util.EnumMap<>(MemberOfferStatus.class);
        for (Object[] row : rows(em.createNativeQuery("SELECT status, COUNT(*) FROM member_offer WHERE offer_id = ?"
                + " GROUP BY status").setParameter(1, offer.id()))) {
            grants.put(MemberOfferStatus.valueOf((String) row[0]), ((Number) row[1]).longValue());
        }
        long used = grants.getOrDefault(MemberOfferStatus.USED, 0L);
        long given = grants.getOrDefault(MemberOfferStatus.OPEN, 0L) + used;
        long heldOut = grants.getOrDefault(MemberOfferStatus.HELD_OUT, 0L);
        Map<MemberOfferStatus, Long> bought = boughtWithinValidity(programme, offer);
        long givenBought = bought.getOrDefault(MemberOfferStatus.OPEN, 0L)
                + bought.getOrDefault(MemberOfferStatus.USED, 0L);
        long heldOutBought = bought.getOrDefault(MemberOfferStatus.HELD_OUT, 0L);
        Map<String, Long> perSegment = new java.util.TreeMap<>();
        for (Object[] row : rows(em.createNativeQuery("SELECT segment, COUNT(*) FROM member_offer WHERE offer_id = ?"
                + " AND status <> 'HELD_OUT' GROUP BY segment").setParameter(1, offer.id()))) {
            perSegment.merge(row[0] == null ? "-" : (String) row[0], ((Number) row[1]).longValue(), Long::sum);
        }
        BigDecimal response = KnowledgeMeasures.ratio(givenBought, given);
        BigDecimal control = KnowledgeMeasures.ratio(heldOutBought, heldOut);
        return new OfferResponse(code, offer.code(), given, givenBought, used, response, heldOut, heldOutBought,
                control, heldOut == 0 ? null : response.subtract(control), perSegment);
    }

    /**
     * The members given (or held out of) the offer who bought between the moment it was given and its last day, in
     * the programme's zone, per status of their grant: counted per nightly run, each run's grants sharing those
     * days. A purchase recorded before the grant, on its day, is no response (it is often what qualified the
     * member); an offer given before version 20, which kept no moment, counts from its day's start.
     */
    private Map<MemberOfferStatus, Long> boughtWithinValidity(Programme programme, Offer offer) {
        Map<MemberOfferStatus, Long> bought = new java.util.EnumMap<>(MemberOfferStatus.class);
        for (Object[] period : rows(em.createNativeQuery("SELECT DISTINCT granted_on, valid_until FROM member_offer"
                + " WHERE offer_id = ?").setParameter(1, offer.id()))) {
            Instant granted = ((java.sql.Date) period[0]).toLocalDate().atStartOfDay(programme.zone()).toInstant();
            Instant after = ((java.sql.Date) period[1]).toLocalDate().plusDays(1).atStartOfDay(programme.zone())
                    .toInstant();
            for (Object[] row : rows(em.createNativeQuery("SELECT mo.status, COUNT(*) FROM member_offer mo"
                            + " WHERE mo.offer_id = ? AND mo.granted_on = ? AND mo.valid_until = ? AND EXISTS (SELECT 1"
                            + " FROM sale s WHERE s.member_id = mo.member_id"
                            // Recorded after the grant: a till's clock a minute behind does not hide a response.
                            + " AND (CASE WHEN mo.granted_at IS NULL THEN s.occurred_at ELSE s.recorded_at END)"
                            + " >= COALESCE(mo.granted_at, CAST(? AS TIMESTAMP))"
                            // A purchase made before the offer's day (sent late) and one brought back whole are
                            // no response to it.
                            + " AND s.occurred_at >= ? AND s.occurred_at < ?"
                            + " AND (s.returned_value < s.total OR s.returned_value = 0)) GROUP BY mo.status")
                    .setParameter(1, offer.id()).setParameter(2, period[0]).setParameter(3, period[1])
                    .setParameter(4, InstantConverter.timestamp(granted))
                    .setParameter(5, InstantConverter.timestamp(granted))
                    .setParameter(6, InstantConverter.timestamp(after)))) {
                bought.merge(MemberOfferStatus.valueOf((String) row[0]), ((Number) row[1]).longValue(), Long::sum);
            }
        }
        return bought;
    }

    @SuppressWarnings("unchecked")
    private static List<Object[]> rows(jakarta.persistence.Query query) {
        return query.getResultList();
    }

    private static List<String> order(Programme programme) {
        return SegmentDefinitions.of(programme.segmentDefinitions()).names();
    }

    private static void requirePeriod(LocalDate from, LocalDate to) {
        if (from == null || to == null) {
            throw DomainException.invalid("from", "A period needs from and to dates (YYYY-MM-DD)");
        }
        if (to.isBefore(from)) {
            throw DomainException.invalid("to", "The period ends before it starts (" + to + " is before " + from + "): give a to date on or after the from date");
        }
        if (from.plusYears(5).isBefore(to)) {
            throw DomainException.invalid("to", "A period is at most five years");
        }
    }
}
