package org.loyaltyengine.rules.fact;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Objects;

/**
 * What the rules know of the member a decision is made for.
 *
 * @param memberId          the member's public id
 * @param tier              the member's current tier code ("BRONZE", "SILVER", ...)
 * @param joinedOn          the day the member joined the programme
 * @param birthDate         the member's birth date, or {@code null} when unknown
 * @param qualifyingPoints  points earned in the programme's tier window, before this decision
 * @param purchaseCount     sales made before this one (visits), less those whose goods all came back
 * @param qualifyingSpend   money spent in the tier window before this purchase, net of returns
 * @param recency           recency score 1 (long ago) to 5 (recent), {@code null} until customer knowledge exists
 * @param frequency         frequency score 1 to 5, {@code null} until customer knowledge exists
 * @param monetary          monetary score 1 to 5, {@code null} until customer knowledge exists
 * @param segment           the member's segment, {@code null} until customer knowledge exists
 * @param favouriteCategory the category the member spent most on in the last 12 months, {@code null} when unknown
 * @param attritionRisk     0 (buying at their own rhythm) to 1 (four rhythms overdue), {@code null} until customer
 *                          knowledge exists
 */
public record MemberProfile(String memberId, String tier, LocalDate joinedOn, LocalDate birthDate,
                            long qualifyingPoints, long purchaseCount, BigDecimal qualifyingSpend,
                            Integer recency, Integer frequency, Integer monetary, String segment,
                            String favouriteCategory, BigDecimal attritionRisk) {

    public MemberProfile {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(tier, "tier");
        qualifyingSpend = qualifyingSpend == null ? BigDecimal.ZERO : qualifyingSpend;
    }

    /** A profile without spend or customer-knowledge scores. */
    public MemberProfile(String memberId, String tier, LocalDate joinedOn, LocalDate birthDate,
                         long qualifyingPoints, long purchaseCount) {
        this(memberId, tier, joinedOn, birthDate, qualifyingPoints, purchaseCount, BigDecimal.ZERO, null, null, null,
                null, null, null);
    }

    /** A profile with scores and segment but without affinities. */
    public MemberProfile(String memberId, String tier, LocalDate joinedOn, LocalDate birthDate,
                         long qualifyingPoints, long purchaseCount, BigDecimal qualifyingSpend,
                         Integer recency, Integer frequency, Integer monetary, String segment) {
        this(memberId, tier, joinedOn, birthDate, qualifyingPoints, purchaseCount, qualifyingSpend, recency,
                frequency, monetary, segment, null, null);
    }

    /** Whether the member's attrition risk is known and at least the given level (0 to 1). */
    public boolean attritionRiskAtLeast(double level) {
        return attritionRisk != null && attritionRisk.doubleValue() >= level;
    }

    /** Whether this is the member's first purchase. */
    public boolean firstPurchase() {
        return purchaseCount == 0;
    }

    /** Whether the day is the member's birthday (29 February counts on 28 February in other years). */
    public boolean birthdayOn(LocalDate day) {
        if (birthDate == null) {
            return false;
        }
        MonthDay birthday = MonthDay.from(birthDate);
        if (birthday.equals(MonthDay.of(2, 29)) && !day.isLeapYear()) {
            birthday = MonthDay.of(2, 28);
        }
        return MonthDay.from(day).equals(birthday);
    }
}
