package org.loyaltyengine.rules.fact;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What the rules know of the member a decision is made for.
 *
 * @param memberId          the member's public id
 * @param tier              the member's current tier code ("BRONZE", "SILVER", ...)
 * @param joinedOn          the day the member joined the programme
 * @param birthDate         the member's birth date, or {@code null} when unknown
 * @param qualifyingPoints  points earned in the programme's tier window, before this decision
 * @param purchaseCount     purchases made before this one
 */
public record MemberProfile(String memberId, String tier, LocalDate joinedOn, LocalDate birthDate,
                            long qualifyingPoints, long purchaseCount) {

    public MemberProfile {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(tier, "tier");
    }
}
