package org.loyaltyengine.engine.domain.knowledge;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

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
        return score(Table.of(members), asOf, segments, newMemberDays);
    }

    /**
     * Scores the table's members. The scores are a list backed by the table and by one score, one segment per
     * member: each {@link Score} is made when it is read, so that a programme of a million members is scored in
     * about a hundred megabytes, not in the gigabyte and more that a million records took.
     */
    public static Scores score(Table members, LocalDate asOf, SegmentDefinitions segments, int newMemberDays) {
        int n = members.size();
        long day = asOf.toEpochDay();
        int active = 0;
        for (int i = 0; i < n; i++) {
            active += members.yearCount[i] > 0 ? 1 : 0;
        }
        long[] recency = new long[active];
        long[] frequency = new long[active];
        double[] monetary = new double[active];
        for (int i = 0, a = 0; i < n; i++) {
            if (members.yearCount[i] > 0) {
                recency[a] = members.last[i] - day;
                frequency[a] = members.yearCount[i];
                monetary[a++] = members.yearSpend[i].doubleValue();
            }
        }
        Arrays.sort(recency);
        Arrays.sort(frequency);
        Arrays.sort(monetary);
        byte[] r = new byte[n];
        byte[] f = new byte[n];
        byte[] m = new byte[n];
        String[] segment = new String[n];
        for (int i = 0; i < n; i++) {
            boolean bought = members.yearCount[i] > 0;
            r[i] = bought ? quintile(lowerBound(recency, members.last[i] - day), active) : 1;
            f[i] = bought ? quintile(lowerBound(frequency, members.yearCount[i]), active) : 1;
            m[i] = bought ? quintile(lowerBound(monetary, members.yearSpend[i].doubleValue()), active) : 1;
            Purchases p = members.get(i);
            segment[i] = segment(p, recencyDays(p, asOf), r[i], f[i], m[i], asOf, segments, newMemberDays);
        }
        return new Scores(members, asOf, r, f, m, segment);
    }

    /**
     * Many members' purchases, one array per figure, ordered by member: what {@link Purchases} records hold, in a
     * tenth of the memory. The store fills it member by member as the database sums their sales ({@link #indexOf}),
     * then drops the members it should not score ({@link #retain}).
     */
    public static final class Table {

        private static final int NONE = Integer.MIN_VALUE;

        private long[] memberIds;
        private int[] first;
        private int[] last;
        private long[] allTimeCount;
        private long[] yearCount;
        private BigDecimal[] yearSpend;
        private String[] favourite;
        private int size;

        /** A table of these members (in increasing order), none of whom has bought yet. */
        public Table(long[] memberIds) {
            for (int i = 1; i < memberIds.length; i++) {
                if (memberIds[i] <= memberIds[i - 1]) {
                    throw new IllegalArgumentException("Members are given in increasing order, once each");
                }
            }
            this.memberIds = memberIds;
            size = memberIds.length;
            first = new int[size];
            last = new int[size];
            Arrays.fill(first, NONE);
            Arrays.fill(last, NONE);
            allTimeCount = new long[size];
            yearCount = new long[size];
            yearSpend = new BigDecimal[size];
            Arrays.fill(yearSpend, BigDecimal.ZERO);
            favourite = new String[size];
        }

        public static Table of(List<Purchases> members) {
            List<Purchases> sorted = new ArrayList<>(members);
            sorted.sort(Comparator.comparingLong(Purchases::memberId));
            Table table = new Table(sorted.stream().mapToLong(Purchases::memberId).toArray());
            for (int i = 0; i < sorted.size(); i++) {
                Purchases p = sorted.get(i);
                table.purchases(i, p.firstPurchase(), p.lastPurchase(), p.allTimeCount(), p.yearCount(),
                        p.yearSpend());
                table.favourite(i, p.favouriteCategory());
            }
            return table;
        }

        public int size() {
            return size;
        }

        /** The member's position in the table, or a negative number when the table does not hold them. */
        public int indexOf(long memberId) {
            return Arrays.binarySearch(memberIds, 0, size, memberId);
        }

        public long memberId(int index) {
            return memberIds[index];
        }

        public void purchases(int index, LocalDate firstPurchase, LocalDate lastPurchase, long allTime, long year,
                              BigDecimal spend) {
            first[index] = firstPurchase == null ? NONE : (int) firstPurchase.toEpochDay();
            last[index] = lastPurchase == null ? NONE : (int) lastPurchase.toEpochDay();
            allTimeCount[index] = allTime;
            yearCount[index] = year;
            yearSpend[index] = spend;
        }

        public void favourite(int index, String category) {
            favourite[index] = category;
        }

        public boolean bought(int index) {
            return last[index] != NONE;
        }

        /** Keeps the members for whom {@code keep} holds, in their order; the table is made no smaller in memory. */
        public void retain(java.util.function.IntPredicate keep) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                if (keep.test(i)) {
                    memberIds[kept] = memberIds[i];
                    first[kept] = first[i];
                    last[kept] = last[i];
                    allTimeCount[kept] = allTimeCount[i];
                    yearCount[kept] = yearCount[i];
                    yearSpend[kept] = yearSpend[i];
                    favourite[kept] = favourite[i];
                    kept++;
                }
            }
            Arrays.fill(yearSpend, kept, size, null);
            Arrays.fill(favourite, kept, size, null);
            size = kept;
        }

        public Purchases get(int index) {
            return new Purchases(memberIds[index], day(first[index]), day(last[index]), allTimeCount[index],
                    yearCount[index], yearSpend[index], favourite[index]);
        }

        private static LocalDate day(int epochDay) {
            return epochDay == NONE ? null : LocalDate.ofEpochDay(epochDay);
        }
    }

    /** The scores of a table's members, in the table's order (by member); each read makes its {@link Score}. */
    public static final class Scores extends AbstractList<Score> implements RandomAccess {

        private final Table members;
        private final LocalDate asOf;
        private final byte[] r;
        private final byte[] f;
        private final byte[] m;
        private final String[] segment;

        private Scores(Table members, LocalDate asOf, byte[] r, byte[] f, byte[] m, String[] segment) {
            this.members = members;
            this.asOf = asOf;
            this.r = r;
            this.f = f;
            this.m = m;
            this.segment = segment;
        }

        @Override
        public Score get(int index) {
            Objects.checkIndex(index, segment.length);
            Purchases p = members.get(index);
            BigDecimal basket = p.yearCount() == 0 ? BigDecimal.ZERO
                    : p.yearSpend().divide(BigDecimal.valueOf(p.yearCount()), 2, RoundingMode.HALF_UP);
            Integer recency = recencyDays(p, asOf);
            return new Score(p.memberId(), recency, p.yearCount(), p.yearSpend(), r[index], f[index], m[index],
                    segment[index], basket, attritionRisk(p, recency), p.favouriteCategory(), p.allTimeCount());
        }

        @Override
        public int size() {
            return segment.length;
        }

        public long memberId(int index) {
            return members.memberId(index);
        }

        /** The member's segment, without making their score. */
        public String segment(int index) {
            return segment[index];
        }
    }

    private static Integer recencyDays(Purchases p, LocalDate asOf) {
        return p.lastPurchase() == null ? null : (int) daysBetween(p.lastPurchase(), asOf);
    }

    /** 1 + floor(5 * (members strictly worse) / members), so ties share a score. */
    private static byte quintile(int worse, int members) {
        return (byte) (1 + (int) Math.floor(5.0 * worse / members));
    }

    /** How many of the sorted values are lower than this one. */
    private static int lowerBound(long[] sorted, long value) {
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

    private static long daysBetween(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to);
    }
}
