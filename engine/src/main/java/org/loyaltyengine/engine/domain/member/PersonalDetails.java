package org.loyaltyengine.engine.domain.member;

import java.time.LocalDate;

/** What a member tells the programme about themselves. */
public record PersonalDetails(String email, String firstName, String lastName, LocalDate birthDate) {
}
