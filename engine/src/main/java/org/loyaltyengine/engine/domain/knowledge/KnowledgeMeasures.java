package org.loyaltyengine.engine.domain.knowledge;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures that compare the members' scores on two days, or summarise one day's: pure arithmetic over
 * {@link RfmScoring.Score} lists, so that a small hand-made data set has exact, checkable figures.
 */
public final class KnowledgeMeasures {

    /** The row of members who were not yet members (or not yet active) on the first day. */
    public static final String NOT_YET = "not yet a member";

    /** The column of members who left the programme (closed or merged) by the second day. */
    public static final String GONE = "left the programme";

    private KnowledgeMeasures() {
    }

    /**
     * How many members moved from each segment on the first day to each segment on the second: {@code
     * cells.get(from).get(to)}, with every segment of the order in both directions (zeros included), plus a
     * {@link #NOT_YET} row and a {@link #GONE} column.
     */
    public record Migrations(List<String> segments, Map<String, Map<String, Long>> cells, long stayed, long moved) {
    }

    public static Migrations migrations(List<RfmScoring.Score> first, List<RfmScoring.Score> second,
                                        List<String> order) {
        return migrations(MemberSegments.of(first), MemberSegments.of(second), order);
    }

    public static Migrations migrations(MemberSegments before, MemberSegments after, List<String> order) {
        List<String> rows = new ArrayList<>(order);
        rows.add(NOT_YET);
        List<String> columns = new ArrayList<>(order);
        columns.add(GONE);
        Map<String, Map<String, Long>> cells = new LinkedHashMap<>();
        for (String row : rows) {
            Map<String, Long> line = new LinkedHashMap<>();
            columns.forEach(column -> line.put(column, 0L));
            cells.put(row, line);
        }
        long stayed = 0;
        long moved = 0;
        for (int i = 0; i < before.size(); i++) {
            String from = before.segments[i];
            String to = after.segmentOf(before.memberIds[i], GONE);
            add(cells, from, to);
            if (to.equals(from)) {
                stayed++;
            } else {
                moved++;
            }
        }
        for (int i = 0; i < after.size(); i++) {
            if (before.segmentOf(after.memberIds[i], null) == null) {
                add(cells, NOT_YET, after.segments[i]);
            }
        }
        List<String> all = new ArrayList<>(order);
        return new Migrations(all, cells, stayed, moved);
    }

    /**
     * The members active on the first day (any segment but {@code lost}) who are lost (no purchase in the 365 days)
     * or gone (account closed or merged) on the second, over those active on the first day.
     *
     * @param rate the share lost, 4 decimals (0.2500 for one member in four)
     */
    public record Attrition(long activeAtStart, long lost, BigDecimal rate) {
    }

    public static Attrition attrition(List<RfmScoring.Score> first, List<RfmScoring.Score> second) {
        return attrition(MemberSegments.of(first), MemberSegments.of(second));
    }

    public static Attrition attrition(MemberSegments first, MemberSegments second) {
        long active = 0;
        long lost = 0;
        for (int i = 0; i < first.size(); i++) {
            if (first.segments[i].equals("lost")) {
                continue;
            }
            active++;
            String now = second.segmentOf(first.memberIds[i], null);
            if (now == null || now.equals("lost")) {
                lost++;
            }
        }
        return new Attrition(active, lost, ratio(lost, active));
    }

    /**
     * Each member's segment on a day, in the order of the members: what the measures comparing two days keep of
     * each day's scores (a million members in 16 MB), so that the second day is scored once the first day's scores
     * are gone.
     */
    public static final class MemberSegments {

        private final long[] memberIds;
        private final String[] segments;

        private MemberSegments(long[] memberIds, String[] segments) {
            this.memberIds = memberIds;
            this.segments = segments;
        }

        public static MemberSegments of(List<RfmScoring.Score> scores) {
            int n = scores.size();
            Integer[] order = new Integer[n];
            long[] ids = new long[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
                ids[i] = scores instanceof ScoreTable table ? table.memberId(i) : scores.get(i).memberId();
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> ids[i]));
            long[] sortedIds = new long[n];
            String[] segments = new String[n];
            for (int i = 0; i < n; i++) {
                int from = order[i];
                sortedIds[i] = ids[from];
                segments[i] = scores instanceof ScoreTable table ? table.segment(from)
                        : scores.get(from).segment();
            }
            return new MemberSegments(sortedIds, segments);
        }

        public int size() {
            return memberIds.length;
        }

        /** The member's segment, or {@code absent} when they have none that day. */
        public String segmentOf(long memberId, String absent) {
            int at = java.util.Arrays.binarySearch(memberIds, memberId);
            return at < 0 ? absent : segments[at];
        }
    }

    /**
     * One segment's members and how they buy over the 365 days.
     *
     * @param averageVisits  purchases per member
     * @param averageBasket  spend per purchase
     * @param defined        the segment is one of the programme's definitions (false: they changed since the
     *                       computation, and its members move at the next)
     */
    public record SegmentFigures(String segment, long members, BigDecimal averageVisits, BigDecimal averageBasket,
                                 BigDecimal spend, BigDecimal averageAttritionRisk, boolean defined) {
    }

    public static List<SegmentFigures> perSegment(List<RfmScoring.Score> scores, List<String> order) {
        Map<String, SegmentTotals> totals = new HashMap<>();
        for (RfmScoring.Score score : scores) {
            totals.merge(score.segment(), new SegmentTotals(1, score.frequency(), score.monetary(),
                    score.attritionRisk()), SegmentTotals::plus);
        }
        return perSegment(totals, order);
    }

    /** The sums of a segment's scores, from which its figures are computed (the database sums them at scale). */
    public record SegmentTotals(long members, long visits, BigDecimal spend, BigDecimal attritionRisk) {

        SegmentTotals plus(SegmentTotals other) {
            return new SegmentTotals(members + other.members, visits + other.visits, spend.add(other.spend),
                    attritionRisk.add(other.attritionRisk));
        }
    }

    /** The figures of the segments, in the programme's order, from each segment's totals. */
    public static List<SegmentFigures> perSegment(Map<String, SegmentTotals> totals, List<String> order) {
        List<SegmentFigures> figures = new ArrayList<>();
        SegmentTotals none = new SegmentTotals(0, 0, BigDecimal.ZERO, BigDecimal.ZERO);
        // The segments defined, then those the members are in that are defined no more (the definitions changed
        // since the scores were computed): until the next recomputation they keep their members, shown, not dropped.
        List<String> segments = new ArrayList<>(order);
        totals.keySet().stream().filter(segment -> !order.contains(segment)).sorted().forEach(segments::add);
        for (String segment : segments) {
            SegmentTotals total = totals.getOrDefault(segment, none);
            figures.add(new SegmentFigures(segment, total.members(), divide(BigDecimal.valueOf(total.visits()),
                    total.members()), divide(total.spend(), total.visits()),
                    total.spend().setScale(2, RoundingMode.HALF_UP), divide(total.attritionRisk(), total.members()),
                    order.contains(segment)));
        }
        return figures;
    }

    /** {@code part / whole} to 4 decimals; 0 when the whole is 0. */
    public static BigDecimal ratio(long part, long whole) {
        return whole == 0 ? BigDecimal.ZERO.setScale(4)
                : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    private static BigDecimal divide(BigDecimal sum, long count) {
        return count == 0 ? BigDecimal.ZERO.setScale(2)
                : sum.divide(BigDecimal.valueOf(count), 2, RoundingMode.HALF_UP);
    }

    private static void add(Map<String, Map<String, Long>> cells, String from, String to) {
        cells.computeIfAbsent(from, f -> new LinkedHashMap<>()).merge(to, 1L, Long::sum);
    }
}
