package org.loyaltyengine.rules.fact;

import java.time.LocalDate;

/**
 * The day an offer decision is made in the programme's time zone, for incentive rules on dates (a birthday
 * month, a season).
 *
 * @param date the programme's local date
 */
public record Today(LocalDate date) {

    public int month() {
        return date.getMonthValue();
    }
}
