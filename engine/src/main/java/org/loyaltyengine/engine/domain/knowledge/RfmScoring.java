package org.loyaltyengine.engine.domain.knowledge;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Recency, frequency and monetary value of each member, their quintile scores and the member's segment: pure
 * arithmetic over each member's purchases, so that a small hand-made data set has exact, checkable figures.
 *
 * <p>Recency is the days since the last purchase; frequency the purchases and monetary the spend in the 365 days
 * before the day of computation. Scores are quintiles of the programme's members, 5 the best (most recent, most
 * frequent, highest spend): a member's score is {@code 1 + floor(5 * (r + t / 2) / n)} where {@code r} is the
 * number of members strictly worse on that measure, {@code t} the members tied with them (themselves included)
 * and {@code n} the members scored: the percentile rank, ties sharing the middle of their places, so members who
 * all bought today score 3, not 1. Members without a purchase in the window score 1 on all three.
 *
 * <p>Segments, checked in this order (the first that matches): {@code new} for a member who joined within the
 * programme's new-member days (30) and has not bought yet, {@code lost} (no purchase in 365 days, for a member who
 * bought before or joined a year ago or more; one who joined since and never bought is placed by their scores),
 * {@code new} (first purchase within the new-member days), then the programme's
 * {@link SegmentDefinitions}, by default {@code champions} (R, F and M at least 4), {@code loyal} (F at least 4,
 * R at least 3), {@code at risk} (R at most 2, F at least 3), {@code promising} (R at least 4),
 * {@code needs attention} (R is 3), {@code hibernating} (the rest).
 *
 * <p>Attrition risk compares the days since the last purchase with the member's own rhythm (the average days
 * between their purchases; 60 days for a member with a single purchase): 0 while within the rhythm, growing to 1
 * at four rhythms overdue: {@code clamp((recency / rhythm - 1) / 3, 0, 1)}. A member who never bought is measured
 * the same way from the day they joined, with the single purchase's rhythm.
 */
public final class RfmScoring {

    /** A member's rhythm when one purchase gives none. */
    public static final int DEFAULT_RHYTHM_DAYS = 60;

    private RfmScoring() {
    }

    /** The days of purchases a member is scored over: the year ending on the day of computation. */
    public static final int WINDOW_DAYS = 365;

    /**
     * What is known of one member's purchases, and the day they joined ({@code null} when not known: counted as a
     * member of long standing).
     */
    public record Purchases(long memberId, LocalDate firstPurchase, LocalDate lastPurchase, long allTimeCount,
                            long yearCount, BigDecimal yearSpend, String favouriteCategory, LocalDate joinedOn) {

        public Purchases(long memberId, LocalDate firstPurchase, LocalDate lastPurchase, long allTimeCount,
                         long yearCount, BigDecimal yearSpend, String favouriteCategory) {
            this(memberId, firstPurchase, lastPurchase, allTimeCount, yearCount, yearSpend, favouriteCategory, null);
        }

        /**
         * Days the member has been one on {@code asOf} without buying, counting the day they joined; -1 for a member
         * who bought (or whose joining is not known).
         */
        int daysWithoutBuying(LocalDate asOf) {
            return lastPurchase != null || joinedOn == null ? -1 : (int) daysBetween(joinedOn, asOf) + 1;
        }
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
        return score(PurchaseTable.of(members), asOf, segments, newMemberDays);
    }

    /**
     * Scores the table's members. The scores are a list backed by the table and by one score, one segment per
     * member ({@link ScoreTable}): each {@link Score} is made when it is read, so that a programme of a million
     * members is scored in about a hundred megabytes, not in the gigabyte and more that a million records took.
     */
    public static ScoreTable score(PurchaseTable members, LocalDate asOf, SegmentDefinitions segments,
                                   int newMemberDays) {
        long day = asOf.toEpochDay();
        byte[] r = quintiles(members, i -> members.lastDay(i) - day);
        byte[] f = quintiles(members, members::yearCount);
        byte[] m = quintiles(members, i -> members.yearSpend(i).doubleValue());
        String[] segment = new String[members.size()];
        for (int i = 0; i < segment.length; i++) {
            Purchases p = members.get(i);
            segment[i] = segment(p, recencyDays(p, asOf), r[i], f[i], m[i], asOf, segments, newMemberDays);
        }
        return new ScoreTable(members, asOf, r, f, m, segment);
    }

    static Integer recencyDays(Purchases p, LocalDate asOf) {
        return p.lastPurchase() == null ? null : (int) daysBetween(p.lastPurchase(), asOf);
    }

    /**
     * Each member's score on one measure (higher is better), among the members who bought in the year: their
     * percentile rank in fifths, {@code 1 + floor(5 * (worse + tied / 2) / members)}, where {@code worse} counts
     * the members strictly worse and {@code tied} those equal, the member included. Ties share the middle of the
     * places they cover, so that a tie of everyone (all bought today, in a programme's first days) scores 3, not 1,
     * and the scale is even: with five members, one each of 1 to 5. 1 for the others.
     */
    private static byte[] quintiles(PurchaseTable members, IntToDoubleFunction goodness) {
        int n = members.size();
        double[] sorted = new double[n];
        int active = 0;
        for (int i = 0; i < n; i++) {
            if (members.yearCount(i) > 0) {
                sorted[active++] = goodness.applyAsDouble(i);
            }
        }
        sorted = Arrays.copyOf(sorted, active);
        Arrays.sort(sorted);
        byte[] scores = new byte[n];
        for (int i = 0; i < n; i++) {
            if (members.yearCount(i) == 0) {
                scores[i] = 1;
            } else {
                double value = goodness.applyAsDouble(i);
                int worse = lowerBound(sorted, value);
                int tied = upperBound(sorted, value) - worse;
                scores[i] = (byte) Math.min(5, 1 + (int) Math.floor(5.0 * (worse + tied / 2.0) / active));
            }
        }
        return scores;
    }

    /** How many of the sorted values are lower than or equal to this one. */
    private static int upperBound(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] <= value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** How many of the sorted values are lower than this one. */
    private static int lowerBound(double[] sorted, double value) {
        int low = 0;
        int high = sorted.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] < value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    static String segment(Purchases p, Integer recency, int r, int f, int m, LocalDate asOf,
                          SegmentDefinitions segments, int newMemberDays) {
        int waiting = p.daysWithoutBuying(asOf);
        if (waiting > 0 && waiting <= newMemberDays + 1) {
            // Joined within the new-member days and not bought yet: new, not lost on the day they enrolled.
            return "new";
        }
        if (waiting > 0 && waiting < WINDOW_DAYS) {
            // A member for less than the year who never bought is not lost (they had no year to buy in): the
            // programme's segments place them by their scores, 1 on all three.
            return segments.segmentOf(r, f, m);
        }
        if (recency == null || p.yearCount() == 0) {
            return "lost";
        }
        if (p.firstPurchase() != null && daysBetween(p.firstPurchase(), asOf) <= newMemberDays) {
            return "new";
        }
        return segments.segmentOf(r, f, m);
    }

    static BigDecimal attritionRisk(Purchases p, Integer recency, LocalDate asOf) {
        if (recency == null) {
            // A member who never bought is measured from the day they joined against a single purchase's rhythm: no
            // risk on the day they enrolled, 1 after four rhythms; 1 when their joining is not known.
            int waiting = p.daysWithoutBuying(asOf);
            return waiting <= 0 ? BigDecimal.ONE : risk(waiting - 1, DEFAULT_RHYTHM_DAYS);
        }
        double rhythm = p.allTimeCount() >= 2 && p.firstPurchase() != null
                ? Math.max(1.0, (double) daysBetween(p.firstPurchase(), p.lastPurchase()) / (p.allTimeCount() - 1))
                : DEFAULT_RHYTHM_DAYS;
        return risk(recency, rhythm);
    }

    private static BigDecimal risk(double daysSince, double rhythm) {
        double risk = Math.max(0, Math.min(1, (daysSince / rhythm - 1) / 3));
        return BigDecimal.valueOf(risk).setScale(2, RoundingMode.HALF_UP);
    }

    private static long daysBetween(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to);
    }
}
