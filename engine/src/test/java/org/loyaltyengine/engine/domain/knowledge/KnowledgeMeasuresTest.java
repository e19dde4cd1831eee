package org.loyaltyengine.engine.domain.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Five members with known purchases (100 EUR each), scored on 2026-06-30 and on 2026-11-23. Worked by hand:
 *
 * <pre>
 * on 2026-06-30 (4 buyers: score = 1 + floor(5 x (members strictly worse + members tied / 2) / 4))
 *   m1 monthly since 2025-07-15: 12 in the year, last 15 days ago   R4 F5 M5  champions
 *   m2 six, 2025-08-01..2026-01-01: last 180 days ago               R2 F4 M4  at risk
 *   m3 one, 2025-07-01: 364 days ago                                R1 F2 M2  hibernating
 *   m4 first purchase 2026-06-20                                    R5 F2 M2  new
 *   m5 no purchase yet                                              (not yet a member)
 * on 2026-11-23
 *   m1 12 in the year, last 8 days ago                              R4 F5 M5  champions
 *   m2 two in the year, last 326 days ago                           R1 F2 M2  hibernating
 *   m3 none in the year                                                       lost
 *   m4 two, last 3 days ago                                         R5 F2 M2  promising
 *   m5 four since 2026-08-01, last 22 days ago                      R2 F4 M4  at risk
 * </pre>
 */
class KnowledgeMeasuresTest {

    private static final LocalDate JUNE = LocalDate.of(2026, 6, 30);
    private static final LocalDate NOVEMBER = LocalDate.of(2026, 11, 23);

    private static final Map<Long, List<LocalDate>> PURCHASES = Map.of(
            1L, monthly(LocalDate.of(2025, 7, 15), LocalDate.of(2026, 11, 15)),
            2L, monthly(LocalDate.of(2025, 8, 1), LocalDate.of(2026, 1, 1)),
            3L, List.of(LocalDate.of(2025, 7, 1)),
            4L, List.of(LocalDate.of(2026, 6, 20), LocalDate.of(2026, 11, 20)),
            5L, monthly(LocalDate.of(2026, 8, 1), LocalDate.of(2026, 11, 1)));

    private static final List<String> ORDER = SegmentDefinitions.DEFAULT.names();

    @Test
    void eachMemberGetsTheSegmentTheDocumentedThresholdsGiveOnEachDay() {
        assertThat(segments(JUNE)).isEqualTo(Map.of(1L, "champions", 2L, "at risk", 3L, "hibernating", 4L, "new"));
        assertThat(segments(NOVEMBER)).isEqualTo(
                Map.of(1L, "champions", 2L, "hibernating", 3L, "lost", 4L, "promising", 5L, "at risk"));
    }

    @Test
    void theMigrationMatrixCountsWhereEachMemberWentBetweenTheTwoDays() {
        KnowledgeMeasures.Migrations matrix = KnowledgeMeasures.migrations(scores(JUNE), scores(NOVEMBER), ORDER);

        assertThat(nonZero(matrix)).isEqualTo(Map.of(
                "champions -> champions", 1L,
                "at risk -> hibernating", 1L,
                "hibernating -> lost", 1L,
                "new -> promising", 1L,
                "not yet a member -> at risk", 1L));
        assertThat(matrix.stayed()).isEqualTo(1);
        assertThat(matrix.moved()).isEqualTo(3);
        assertThat(matrix.cells()).hasSize(ORDER.size() + 1);
        assertThat(matrix.cells().get("loyal")).hasSize(ORDER.size() + 1).containsEntry("left the programme", 0L);
    }

    @Test
    void attritionIsTheShareOfTheMembersActiveOnTheFirstDayLostByTheSecond() {
        KnowledgeMeasures.Attrition attrition = KnowledgeMeasures.attrition(scores(JUNE), scores(NOVEMBER));

        assertThat(attrition.activeAtStart()).isEqualTo(4);
        assertThat(attrition.lost()).as("m3").isEqualTo(1);
        assertThat(attrition.rate()).isEqualByComparingTo("0.2500");
    }

    @Test
    void aMemberWhoseAccountClosedCountsAsLostAndLeftTheProgramme() {
        List<RfmScoring.Score> november = scores(NOVEMBER).stream().filter(score -> score.memberId() != 1).toList();

        assertThat(KnowledgeMeasures.attrition(scores(JUNE), november).lost()).isEqualTo(2);
        assertThat(KnowledgeMeasures.migrations(scores(JUNE), november, ORDER).cells().get("champions"))
                .containsEntry("left the programme", 1L).containsEntry("champions", 0L);
    }

    @Test
    void visitsAndAverageBasketPerSegment() {
        Map<String, KnowledgeMeasures.SegmentFigures> figures = KnowledgeMeasures.perSegment(scores(NOVEMBER), ORDER)
                .stream().collect(Collectors.toMap(KnowledgeMeasures.SegmentFigures::segment, f -> f));

        assertThat(figures.get("champions").members()).isEqualTo(1);
        assertThat(figures.get("champions").averageVisits()).isEqualByComparingTo("12");
        assertThat(figures.get("champions").averageBasket()).isEqualByComparingTo("100");
        assertThat(figures.get("at risk").averageVisits()).isEqualByComparingTo("4");
        assertThat(figures.get("at risk").spend()).isEqualByComparingTo("400");
        assertThat(figures.get("lost").averageVisits()).isEqualByComparingTo("0");
        assertThat(figures.get("loyal").members()).isZero();
    }

    @Test
    void aProgrammeMayDefineItsOwnSegments() {
        SegmentDefinitions own = SegmentDefinitions.parse("# ours\nBig spenders: M>=4\nregulars: F>2 R>1\nothers: *");
        Map<Long, String> segments = RfmScoring.score(purchasesAsOf(NOVEMBER), NOVEMBER, own, 30).stream()
                .collect(Collectors.toMap(RfmScoring.Score::memberId, RfmScoring.Score::segment));

        assertThat(segments).isEqualTo(
                Map.of(1L, "big spenders", 2L, "others", 3L, "lost", 4L, "others", 5L, "big spenders"));
        assertThat(own.names()).containsExactly("lost", "new", "big spenders", "regulars", "others");
    }

    @Test
    void segmentDefinitionsThatCannotWorkAreRefusedWithTheirLine() {
        assertThatThrownBy(() -> SegmentDefinitions.parse("vip: M>=4\nloyal: F>=4 X>2\nrest: *"))
                .hasMessageStartingWith("Line 2: 'X>2' is not a condition");
        assertThatThrownBy(() -> SegmentDefinitions.parse("vip: M>=4")).hasMessageContaining("last segment");
        assertThatThrownBy(() -> SegmentDefinitions.parse("lost: R=1\nrest: *")).hasMessageStartingWith("Line 1:");
        assertThatThrownBy(() -> SegmentDefinitions.parse("no colon here\nrest: *")).hasMessageStartingWith("Line 1:");
        assertThatThrownBy(() -> SegmentDefinitions.parse("vip: M>=4\nVIP: F>=3\nothers: *"))
                .hasMessageStartingWith("Line 2:").hasMessageContaining("'vip' is defined on an earlier line");
    }

    private static Map<Long, String> segments(LocalDate day) {
        return scores(day).stream().collect(Collectors.toMap(RfmScoring.Score::memberId, RfmScoring.Score::segment));
    }

    private static List<RfmScoring.Score> scores(LocalDate day) {
        return RfmScoring.score(purchasesAsOf(day), day);
    }

    /** What KnowledgeStore reads on a day: the members who had bought by then, purchases up to its end. */
    private static List<RfmScoring.Purchases> purchasesAsOf(LocalDate day) {
        List<RfmScoring.Purchases> members = new ArrayList<>();
        PURCHASES.forEach((id, dates) -> {
            List<LocalDate> upTo = dates.stream().filter(date -> !date.isAfter(day)).sorted().toList();
            if (upTo.isEmpty()) {
                return;
            }
            long inYear = upTo.stream().filter(date -> !date.isBefore(day.minusDays(365))).count();
            members.add(new RfmScoring.Purchases(id, upTo.get(0), upTo.get(upTo.size() - 1), upTo.size(), inYear,
                    BigDecimal.valueOf(100 * inYear), "grocery"));
        });
        return members;
    }

    private static List<LocalDate> monthly(LocalDate first, LocalDate last) {
        List<LocalDate> dates = new ArrayList<>();
        for (LocalDate date = first; !date.isAfter(last); date = date.plusMonths(1)) {
            dates.add(date);
        }
        return dates;
    }

    private static Map<String, Long> nonZero(KnowledgeMeasures.Migrations matrix) {
        return matrix.cells().entrySet().stream()
                .flatMap(row -> row.getValue().entrySet().stream()
                        .filter(cell -> cell.getValue() > 0)
                        .map(cell -> Map.entry(row.getKey() + " -> " + cell.getKey(), cell.getValue())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
