package org.loyaltyengine.engine.domain.job;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface JobRunRepository {

    /**
     * Adds the run, written at once: a run of the same job and period already in the database (another instance
     * began it) makes this throw the database's duplicate-key error.
     */
    void begin(JobRun run);

    Optional<JobRun> find(long id);

    /**
     * Ends as {@link JobRun.Outcome#ABANDONED} the runs the instance left {@code RUNNING}: of one job (of every job
     * when null), all but the run {@code kept} (none when null).
     *
     * @return how many were
     */
    int abandon(String instance, Job job, Long kept, Instant now, String detail);

    /** The run of the job's period, if one was begun. */
    Optional<JobRun> ofPeriod(Job job, Instant period);

    /** Whether the job has a run of an earlier period than this one: it ran on this database before. */
    boolean ranBefore(Job job, Instant period);

    /** Whether the job has a run of a period after {@code after} and before {@code period}. */
    boolean ranBefore(Job job, Instant period, Instant after);

    /**
     * Begins the run again on the instance, now, if it ended {@link JobRun.Outcome#ABANDONED}: one statement, so that
     * of two instances retaking it one does.
     *
     * @return whether it was retaken here
     */
    boolean retake(long id, String instance, Instant now);

    /** The names of the instances that have runs {@code RUNNING}. */
    List<String> runningInstances();

    /**
     * The runs started since the instant (every run when null), of one job (of all when null), newest first, at
     * most {@code limit}.
     */
    List<JobRun> recent(Job job, Instant since, int limit);
}
