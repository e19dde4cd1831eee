package org.loyaltyengine.engine.domain.job;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a job runs: every {@code every}, {@code at} into each period, periods counted from midnight UTC of 1
 * January 1970 (so an hourly job starts on the hour, a daily one at midnight UTC). Every instance of a cluster
 * computes the same periods from its clock, which is how they agree on the period a run belongs to.
 *
 * @param every the length of a period, at least a second
 * @param at    how long into each period the job starts, from zero to less than {@code every}
 */
public record JobSchedule(Duration every, Duration at) {

    /** @throws IllegalArgumentException when the period is under a second or the start is outside it */
    public JobSchedule {
        if (every == null || every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("A job's period must be at least a second (PT1S), not " + every);
        }
        if (at == null || at.isNegative() || at.compareTo(every) >= 0) {
            throw new IllegalArgumentException("A job starts from PT0S to less than its period (" + every
                    + ") into each period, not at " + at);
        }
    }

    /**
     * Reads a schedule from its configuration: ISO-8601 durations ({@code PT1H}, {@code P1D}, {@code PT10S}).
     *
     * @throws IllegalArgumentException naming the property when either is not a duration or they do not fit
     */
    public static JobSchedule parse(String property, String every, String at) {
        try {
            return new JobSchedule(Duration.parse(every.strip()), Duration.parse(at.strip()));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(property + ".every=" + every + ", " + property + ".at=" + at + ": "
                    + e.getMessage(), e);
        }
    }

    /** The first start strictly after the instant. */
    public Instant nextAfter(Instant instant) {
        long every = this.every.toMillis();
        long sinceFirst = instant.toEpochMilli() - at.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(sinceFirst, every) * every + every + at.toMillis());
    }

    /**
     * The period a run started at this instant belongs to, named by its scheduled start: the nearest one. A timer
     * fires a little after its time, later on a busy machine, and a clock may run a little ahead: up to half a
     * period either way still names the same period on every instance.
     */
    public Instant periodOf(Instant started) {
        long every = this.every.toMillis();
        long sinceFirst = started.toEpochMilli() - at.toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(sinceFirst + every / 2, every) * every + at.toMillis());
    }

    /** The shortest period whose missed runs are run late ({@link #lateRunOf}): shorter ones catch up at their next. */
    public static final Duration LATE_RUNS_FROM = Duration.ofHours(6);

    /** How long after its start a period's run may still be the scheduled one, not yet written: no late run before. */
    private static final Duration LATE_AFTER = Duration.ofMinutes(15);

    /**
     * The period whose run, if it did not happen, is due late now: the last one begun, once its scheduled run has had
     * a quarter of an hour (an eighth of the period at most) to be written and while the next start is more than a
     * quarter of a period away, so that a late run never runs just before the next. Only long periods
     * ({@link #LATE_RUNS_FROM}, a nightly backup): a missed hourly run's work is the next one's.
     */
    public Optional<Instant> lateRunOf(Instant now) {
        if (every.compareTo(LATE_RUNS_FROM) < 0) {
            return Optional.empty();
        }
        Instant next = nextAfter(now);
        Instant last = next.minus(every);
        Duration after = LATE_AFTER.compareTo(every.dividedBy(8)) < 0 ? LATE_AFTER : every.dividedBy(8);
        boolean settled = !now.isBefore(last.plus(after));
        boolean farFromNext = Duration.between(now, next).compareTo(every.dividedBy(4)) > 0;
        return settled && farFromNext ? Optional.of(last) : Optional.empty();
    }

    @Override
    public String toString() {
        return "every " + every + " at " + at;
    }
}
