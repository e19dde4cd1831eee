package org.loyaltyengine.engine.domain.job;

import java.time.Duration;

/**
 * A job the engine runs on a schedule, with its default schedule: periods aligned on midnight UTC, the job
 * starting {@code at} into each.
 */
public enum Job {

    /** Points whose expiry day has begun in their programme's time zone: every hour, at 5 past. */
    EXPIRY("expiry", Duration.ofHours(1), Duration.ofMinutes(5)),

    /** The yearly reviews of the members whose anniversary is today: every hour, at 35 past. */
    TIER_REVIEW("tier-review", Duration.ofHours(1), Duration.ofMinutes(35)),

    /** Members' scores and segments, then the offers the incentive rules give: every night at 02:15 UTC. */
    KNOWLEDGE("knowledge", Duration.ofDays(1), Duration.ofHours(2).plusMinutes(15)),

    /**
     * A backup of the embedded Derby database and the token signing key, the newest kept (Backups): every night at
     * 03:00 UTC. On PostgreSQL, left to PostgreSQL's own tools.
     */
    BACKUP("backup", Duration.ofDays(1), Duration.ofHours(3));

    private final String key;
    private final JobSchedule byDefault;

    Job(String key, Duration every, Duration at) {
        this.key = key;
        this.byDefault = new JobSchedule(every, at);
    }

    /** The job's name in the configuration ({@code loyalty.jobs.<key>.every}), the journal and the API. */
    public String key() {
        return key;
    }

    public JobSchedule byDefault() {
        return byDefault;
    }

    /** @throws IllegalArgumentException when no job has this key */
    public static Job ofKey(String key) {
        for (Job job : values()) {
            if (job.key.equals(key)) {
                return job;
            }
        }
        throw new IllegalArgumentException("No job " + key);
    }
}
