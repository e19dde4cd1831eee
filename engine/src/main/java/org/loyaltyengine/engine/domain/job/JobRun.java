package org.loyaltyengine.engine.domain.job;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One run of a scheduled job for one period, by the instance that claimed it. The database holds one row per job
 * and period (a unique key): the second instance to begin the same period's run is refused, even when the
 * cluster's instances lost sight of each other and each claimed the period in its own half of the grid.
 */
@Entity
@Table(name = "job_run")
public class JobRun {

    /**
     * How a run ended. A run whose instance was killed, or lost the database, before recording its end stays
     * {@code RUNNING} until it is marked {@code ABANDONED}: by that instance when it starts again or begins its next
     * run of the job, or by the next run of any instance once that instance is gone (from the cluster; on embedded
     * Derby, any other name). The next period catches up on its work; a long job's (a nightly one's) is taken
     * again late, under the same row ({@code ScheduledJobs#runLate}).
     */
    public enum Outcome { RUNNING, DONE, FAILED, ABANDONED }

    /** The longest account of a run kept: what it did, or why it failed. */
    public static final int DETAIL_LENGTH = 500;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, length = 40)
    private String job;

    @Column(name = "period_start", nullable = false)
    private Instant period;

    @Column(nullable = false, length = 120)
    private String instance;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 10)
    private Outcome outcome;

    @Column(length = DETAIL_LENGTH)
    private String detail;

    protected JobRun() {
    }

    private JobRun(Job job, Instant period, String instance, Instant startedAt) {
        this.job = job.key();
        this.period = period;
        this.instance = instance;
        this.startedAt = startedAt;
        this.outcome = Outcome.RUNNING;
    }

    /** A run of a period ({@link JobSchedule#periodOf}) beginning now on an instance. */
    public static JobRun begin(Job job, Instant period, String instance, Instant now) {
        return new JobRun(job, period, instance, now);
    }

    public void finish(Instant now, String detail) {
        end(Outcome.DONE, now, detail);
    }

    public void fail(Instant now, String reason) {
        end(Outcome.FAILED, now, reason);
    }

    private void end(Outcome outcome, Instant now, String detail) {
        this.outcome = outcome;
        this.finishedAt = now;
        this.detail = detail == null || detail.length() <= DETAIL_LENGTH ? detail
                : detail.substring(0, DETAIL_LENGTH - 1) + "…";
    }

    public Long id() {
        return id;
    }

    public String job() {
        return job;
    }

    public Instant period() {
        return period;
    }

    public String instance() {
        return instance;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public Outcome outcome() {
        return outcome;
    }

    public String detail() {
        return detail;
    }
}
