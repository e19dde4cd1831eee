package org.loyaltyengine.engine.domain.knowledge;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Recency, frequency and monetary value of each member, their quintile scores and the member's segment: pure
 * arithmetic over each member's purchases, so that a small hand-made data set has exact, checkable figures.
 *
 * <p>Recency is the days since the last purchase; frequency the purchases and monetary the spend in the 365 days
 * before the day of computation. Scores are quintiles of the programme's members, 5 the best (most recent, most
 * frequent, highest spend): a member's score is {@code 1 + floor(5 * r / n)} where {@code r} is the number of
 * members strictly worse on that measure and {@code n} the members scored, so ties share a score. Members without
 * a purchase in the window score 1 on all three.
 *
 * <p>Segments, checked in this order (the first that matches): {@code lost} (no purchase in 365 days),
 * {@code new} (first purchase within the last 30 days, the programme's new-member days), then the programme's
 * {@link SegmentDefinitions}, by default {@code champions} (R, F and M at least 4), {@code loyal} (F at least 4,
 * R at least 3), {@code at risk} (R at most 2, F at least 3), {@code promising} (R at least 4),
 * {@code needs attention} (R is 3), {@code hibernating} (the rest).
 *
 * <p>Attrition risk compares the days since the last purchase with the member's own rhythm (the average days
 * between their purchases; 60 days for a member with a single purchase): 0 while within the rhythm, growing to 1
 * at four rhythms overdue: {@code clamp((recency / rhythm - 1) / 3, 0, 1)}.
 */
public final class RfmScoring {

    /** A member's rhythm when one purchase gives none. */
    public static final int DEFAULT_RHYTHM_DAYS = 60;

    private RfmScoring() {
    }

    /** What is known of one member's purchases. */
    public record Purchases(long memberId, LocalDate firstPurchase, LocalDate lastPurchase, long allTimeCount,
                            long yearCount, BigDecimal yearSpend, String favouriteCategory) {
    }

    /** The scores and segment of one member on a day. */
    public record Score(long memberId, Integer recencyDays, long frequency, BigDecimal monetary, int recencyScore,
                        int frequencyScore, int monetaryScore, String segment, BigDecimal averageBasket,
                        BigDecimal attritionRisk, String favouriteCategory, long purchases) {
    }

    /** Scores with the default segments and 30 new-member days. */
    public static List<Score> score(List<Purchases> members, LocalDate asOf) {
        return score(members, asOf, SegmentDefinitions.DEFAULT, 30);
    }

    public static List<Score> score(List<Purchases> members, LocalDate asOf, SegmentDefinitions segments,
                                    int newMemberDays) {
        List<Purchases> active = members.stream().filter(p -> p.yearCount() > 0).toList();
        Map<Long, Integer> r = quintiles(active, p -> -daysBetween(p.lastPurchase(), asOf));
        Map<Long, Integer> f = quintiles(active, p -> p.yearCount());
        Map<Long, Integer> m = quintiles(active, p -> p.yearSpend().doubleValue());
        List<Score> scores = new ArrayList<>();
        for (Purchases p : members) {
            Integer recency = p.lastPurchase() == null ? null : (int) daysBetween(p.lastPurchase(), asOf);
            int rs = r.getOrDefault(p.memberId(), 1);
            int fs = f.getOrDefault(p.memberId(), 1);
            int ms = m.getOrDefault(p.memberId(), 1);
            BigDecimal basket = p.yearCount() == 0 ? BigDecimal.ZERO
                    : p.yearSpend().divide(BigDecimal.valueOf(p.yearCount()), 2, RoundingMode.HALF_UP);
            scores.add(new Score(p.memberId(), recency, p.yearCount(), p.yearSpend(), rs, fs, ms,
                    segment(p, recency, rs, fs, ms, asOf, segments, newMemberDays), basket,
                    attritionRisk(p, recency), p.favouriteCategory(), p.allTimeCount()));
        }
        return scores;
    }

    static String segment(Purchases p, Integer recency, int r, int f, int m, LocalDate asOf,
                          SegmentDefinitions segments, int newMemberDays) {
        if (recency == null || p.yearCount() == 0) {
            return "lost";
        }
        if (p.firstPurchase() != null && daysBetween(p.firstPurchase(), asOf) <= newMemberDays) {
            return "new";
        }
        return segments.segmentOf(r, f, m);
    }

    static BigDecimal attritionRisk(Purchases p, Integer recency) {
        if (recency == null) {
            return BigDecimal.ONE;
        }
        double rhythm = p.allTimeCount() >= 2 && p.firstPurchase() != null
                ? Math.max(1.0, (double) daysBetween(p.firstPurchase(), p.lastPurchase()) / (p.allTimeCount() - 1))
                : DEFAULT_RHYTHM_DAYS;
        double risk = Math.max(0, Math.min(1, (recency / rhythm - 1) / 3));
        return BigDecimal.valueOf(risk).setScale(2, RoundingMode.HALF_UP);
    }

    /** Quintile scores: 1 + floor(5 * (members strictly worse) / members), so ties share a score. */
    private static Map<Long, Integer> quintiles(List<Purchases> members, ToDoubleFunction<Purchases> goodness) {
        List<Purchases> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparingDouble(goodness));
        Map<Long, Integer> scores = new HashMap<>();
        int n = sorted.size();
        int worse = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0 && goodness.applyAsDouble(sorted.get(i)) > goodness.applyAsDouble(sorted.get(i - 1))) {
                worse = i;
            }
            scores.put(sorted.get(i).memberId(), 1 + (int) Math.floor(5.0 * worse / n));
        }
        return scores;
    }

    private static long daysBetween(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to);
    }
}
