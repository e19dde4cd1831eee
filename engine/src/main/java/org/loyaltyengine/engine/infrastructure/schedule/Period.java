package org.loyaltyengine.engine.infrastructure.schedule;

import java.time.Duration;

/** The period of work an instance does on its own timer, as a setting gives it. */
final class Period {

    private Period() {
    }

    /**
     * The setting {@code key}'s ISO-8601 duration; zero: never.
     *
     * @throws IllegalArgumentException naming the setting, when it is not a duration or is negative: no start-up
     */
    static Duration of(String key, String value, String example) {
        Duration period;
        try {
            period = Duration.parse(value.strip());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(key + "=" + value + " is not an ISO-8601 duration (" + example
                    + "; PT0S: never)", e);
        }
        if (period.isNegative()) {
            throw new IllegalArgumentException(key + "=" + value + " is negative (PT0S: never)");
        }
        return period;
    }
}
