package org.loyaltyengine.engine.domain.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ten members with known purchases, scored on 2026-11-23: every figure follows from the documented rules. */
class RfmScoringTest {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 23);
    private static Map<Long, RfmScoring.Score> scores;

    @BeforeAll
    static void score() {
        List<RfmScoring.Purchases> members = List.of(
                member(1, "2025-01-10", "2026-11-20", 40, 24, "1200"),
                member(2, "2025-06-01", "2026-11-01", 12, 10, "450"),
                member(3, "2026-11-10", "2026-11-10", 1, 1, "30"),
                member(4, "2024-03-01", "2026-06-15", 30, 8, "600"),
                member(5, "2025-02-01", "2026-10-30", 5, 3, "90"),
                member(6, "2024-01-01", "2025-06-01", 6, 0, "0"),
                member(7, "2025-09-01", "2026-08-01", 4, 4, "200"),
                member(8, "2026-01-05", "2026-11-22", 20, 20, "2000"),
                member(9, "2025-12-01", "2026-03-01", 2, 2, "80"),
                new RfmScoring.Purchases(10, null, null, 0, 0, BigDecimal.ZERO, null));
        scores = RfmScoring.score(members, AS_OF).stream()
                .collect(Collectors.toMap(RfmScoring.Score::memberId, Function.identity()));
    }

    @Test
    void recencyFrequencyAndMonetaryScoresAreQuintilesOfTheMembersWhoBought() {
        assertThat(rfm(1)).isEqualTo("555");
        assertThat(rfm(2)).isEqualTo("343");
        assertThat(rfm(3)).isEqualTo("411");
        assertThat(rfm(4)).isEqualTo("134");
        assertThat(rfm(5)).isEqualTo("322");
        assertThat(rfm(7)).isEqualTo("233");
        assertThat(rfm(8)).isEqualTo("555");
        assertThat(rfm(9)).isEqualTo("111");
        assertThat(rfm(6)).as("no purchase in the year").isEqualTo("111");
        assertThat(scores.get(1L).recencyDays()).isEqualTo(3);
        assertThat(scores.get(1L).averageBasket()).isEqualByComparingTo("50.00");
    }

    @Test
    void segmentsFollowTheDocumentedThresholds() {
        assertThat(segments()).isEqualTo(Map.of(1L, "champions", 2L, "loyal", 3L, "new", 4L, "at risk",
                5L, "needs attention", 6L, "lost", 7L, "at risk", 8L, "champions", 9L, "hibernating", 10L, "lost"));
    }

    @Test
    void attritionRiskIsHowFarOverdueTheMemberIsAgainstTheirOwnRhythm() {
        assertThat(scores.get(1L).attritionRisk()).isEqualByComparingTo("0.00");
        assertThat(scores.get(4L).attritionRisk()).as("161 days against a 28.8-day rhythm").isEqualByComparingTo("1.00");
        assertThat(scores.get(7L).attritionRisk()).as("114 days against 111.3").isEqualByComparingTo("0.01");
        assertThat(scores.get(9L).attritionRisk()).as("267 days against 90").isEqualByComparingTo("0.66");
        assertThat(scores.get(3L).attritionRisk()).as("one purchase: the 60-day default rhythm")
                .isEqualByComparingTo("0.00");
        assertThat(scores.get(10L).attritionRisk()).isEqualByComparingTo("1");
    }

    @Test
    void aTableFilledAsTheStoreFillsItScoresItsMembersAsTheirRecordsDo() {
        // The store reads the members in order, writes their sums in the order the database gives them, then drops
        // the members who had not joined by the day and never bought.
        PurchaseTable table = new PurchaseTable(new long[] {1, 2, 3, 5, 8, 10, 11});
        table.addPurchases(table.indexOf(8), LocalDate.parse("2026-01-05"), LocalDate.parse("2026-11-22"), 20, 20,
                new BigDecimal("2000"));
        table.addPurchases(table.indexOf(1), LocalDate.parse("2025-01-10"), LocalDate.parse("2026-11-20"), 40, 24,
                new BigDecimal("1200"));
        table.addPurchases(table.indexOf(2), LocalDate.parse("2025-06-01"), LocalDate.parse("2026-11-01"), 12, 10,
                new BigDecimal("450"));
        table.addPurchases(table.indexOf(5), LocalDate.parse("2025-02-01"), LocalDate.parse("2026-10-30"), 5, 3,
                new BigDecimal("90"));
        table.addPurchases(table.indexOf(3), LocalDate.parse("2026-11-10"), LocalDate.parse("2026-11-10"), 1, 1,
                new BigDecimal("30"));
        table.favourite(table.indexOf(8), "wine");
        assertThat(table.indexOf(4)).as("not a member of the table").isNegative();
        table.retain(member -> table.bought(member) || table.memberId(member) == 10);

        List<RfmScoring.Score> fromTable = RfmScoring.score(table, AS_OF, SegmentDefinitions.DEFAULT, 30);
        assertThat(fromTable).extracting(RfmScoring.Score::memberId).containsExactly(1L, 2L, 3L, 5L, 8L, 10L);
        List<RfmScoring.Score> fromRecords = RfmScoring.score(List.of(
                member(8, "2026-01-05", "2026-11-22", 20, 20, "2000"),
                member(3, "2026-11-10", "2026-11-10", 1, 1, "30"),
                member(1, "2025-01-10", "2026-11-20", 40, 24, "1200"),
                member(2, "2025-06-01", "2026-11-01", 12, 10, "450"),
                member(5, "2025-02-01", "2026-10-30", 5, 3, "90"),
                new RfmScoring.Purchases(10, null, null, 0, 0, BigDecimal.ZERO, null)), AS_OF);
        assertThat(fromTable).usingRecursiveFieldByFieldElementComparatorIgnoringFields("favouriteCategory")
                .containsExactlyElementsOf(fromRecords);
        assertThat(fromTable.get(4).favouriteCategory()).isEqualTo("wine");
        assertThat(fromTable.get(4).segment()).isEqualTo("champions");
        assertThat(fromTable.get(5).segment()).isEqualTo("lost");
        assertThat(fromTable.get(0).recencyScore()).as("three of the five buyers bought less recently than member 1")
                .isEqualTo(1 + (int) Math.floor(5 * 3.5 / 5));
    }

    @Test
    void aMemberWhoHasNotBoughtYetIsNewThenPlacedByScoresAndLostOnlyAfterAYearWithoutBuying() {
        List<RfmScoring.Purchases> members = List.of(
                member(1, "2025-01-10", "2026-11-20", 40, 24, "1200"),
                neverBought(2, AS_OF),
                neverBought(3, AS_OF.minusDays(30)),
                neverBought(4, AS_OF.minusDays(31)),
                neverBought(5, AS_OF.minusDays(120)),
                neverBought(6, AS_OF.minusDays(363)),
                neverBought(7, AS_OF.minusDays(364)));
        Map<Long, RfmScoring.Score> scored = RfmScoring.score(members, AS_OF).stream()
                .collect(Collectors.toMap(RfmScoring.Score::memberId, Function.identity()));

        assertThat(scored.get(2L).segment()).as("enrolled today").isEqualTo("new");
        assertThat(scored.get(3L).segment()).as("the 30 new-member days").isEqualTo("new");
        assertThat(scored.get(4L).segment()).as("R, F and M of 1").isEqualTo("hibernating");
        assertThat(scored.get(6L).segment()).as("a member for 364 days of the 365").isEqualTo("hibernating");
        assertThat(scored.get(7L).segment()).as("a whole year a member without buying").isEqualTo("lost");
        assertThat(scored.get(2L).attritionRisk()).as("no risk on the day they enrolled").isEqualByComparingTo("0");
        assertThat(scored.get(3L).attritionRisk()).isEqualByComparingTo("0");
        assertThat(scored.get(5L).attritionRisk()).as("(120 / 60 - 1) / 3").isEqualByComparingTo("0.33");
        assertThat(scored.get(7L).attritionRisk()).isEqualByComparingTo("1");
        assertThat(scored.get(2L).recencyDays()).isNull();
        assertThat(scored.get(2L).recencyScore()).isEqualTo(1);
        RfmScoring.Purchases fromTable = PurchaseTable.of(members).get(1);
        assertThat(fromTable.joinedOn()).isEqualTo(AS_OF);
    }

    @Test
    void membersTiedOnAMeasureShareTheMiddleOfTheirPlacesSoAProgrammesFirstBuyersAreNotAtRisk() {
        // A programme's third week: everyone bought today, its best customer six times.
        List<RfmScoring.Purchases> members = List.of(
                member(1, "2026-11-03", "2026-11-23", 6, 6, "900"),
                member(2, "2026-11-03", "2026-11-23", 3, 3, "120"),
                member(3, "2026-11-04", "2026-11-23", 2, 2, "60"),
                member(4, "2026-11-05", "2026-11-23", 1, 1, "20"));
        Map<Long, RfmScoring.Score> scored = RfmScoring.score(members, AS_OF, SegmentDefinitions.DEFAULT, 14).stream()
                .collect(Collectors.toMap(RfmScoring.Score::memberId, Function.identity()));

        assertThat(scored.values()).extracting(RfmScoring.Score::recencyScore).as("1 + floor(5 x 2 / 4)")
                .containsOnly(3);
        assertThat(scored.get(1L).frequencyScore()).as("1 + floor(5 x 3.5 / 4)").isEqualTo(5);
        assertThat(scored.get(2L).frequencyScore()).as("1 + floor(5 x 2.5 / 4)").isEqualTo(4);
        assertThat(scored.get(4L).frequencyScore()).as("1 + floor(5 x 0.5 / 4)").isEqualTo(1);
        assertThat(scored.get(1L).segment()).as("R3 F5 M5: not 'at risk' for buying today").isEqualTo("loyal");
        assertThat(scored.values()).extracting(RfmScoring.Score::segment).doesNotContain("at risk");
    }

    private static RfmScoring.Purchases neverBought(long id, LocalDate joined) {
        return new RfmScoring.Purchases(id, null, null, 0, 0, BigDecimal.ZERO, null, joined);
    }

    private static String rfm(long member) {
        RfmScoring.Score score = scores.get(member);
        return "" + score.recencyScore() + score.frequencyScore() + score.monetaryScore();
    }

    private static Map<Long, String> segments() {
        return scores.values().stream().collect(Collectors.toMap(RfmScoring.Score::memberId, RfmScoring.Score::segment));
    }

    private static RfmScoring.Purchases member(long id, String first, String last, long allTime, long year,
                                               String spend) {
        return new RfmScoring.Purchases(id, LocalDate.parse(first), LocalDate.parse(last), allTime, year,
                new BigDecimal(spend), "grocery");
    }
}
