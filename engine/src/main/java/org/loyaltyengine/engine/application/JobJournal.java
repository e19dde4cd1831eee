package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.job.Job;
import org.loyaltyengine.engine.domain.job.JobRun;
import org.loyaltyengine.engine.domain.job.JobRunRepository;
import org.loyaltyengine.engine.domain.job.JobSchedule;

/**
 * The journal of the scheduled jobs' runs: a run is begun (its period taken, once for the whole cluster), then
 * finished or failed, each in a transaction of its own so that the journal says what happened whatever the job
 * did to its own.
 */
@ApplicationScoped
public class JobJournal {

    private static final Logger LOG = Logger.getLogger(JobJournal.class.getName());

    /** How long after its start another instance's abandoned run is retaken late ({@link #takeLate}). */
    static final Duration SURELY_OVER = Duration.ofHours(2);

    /** The most runs one listing returns. */
    public static final int MOST_LISTED = 500;

    @Inject
    JobRunRepository runs;

    @Inject
    JobJournal self;

    @Inject
    Clock clock;

    /**
     * Takes a period ({@link JobSchedule#periodOf}) for a run of the job on this instance.
     *
     * @return the run's id, or empty when the period's run was begun already (by another instance, or by this one
     *         before a restart)
     */
    public Optional<Long> begin(Job job, Instant period, String instance) {
        try {
            return Optional.of(self.insert(job, period, instance));
        } catch (RuntimeException e) {
            if (ConstraintViolations.duplicateKey(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Writes the run begun, and ends as abandoned the runs of the job this instance left {@code RUNNING}: an
     * instance runs a job once at a time (the scheduler skips a period while its job's last run goes on), so such a
     * run stopped without recording its end, when its instance lost the database or was killed before a restart.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long insert(Job job, Instant period, String instance) {
        Instant now = clock.instant();
        JobRun run = JobRun.begin(job, period, instance, now);
        runs.begin(run);
        int abandoned = runs.abandon(instance, job, run.id(), now, "Abandoned: " + instance + " began its run of "
                + period + " before this run's end was recorded (the instance had lost the database, or stopped)");
        if (abandoned > 0) {
            LOG.warning(() -> abandoned + " earlier " + job.key() + " run(s) of " + instance + " ended without"
                    + " recording it: marked ABANDONED");
        }
        return run.id();
    }

    /**
     * Takes, late, a period whose run did not happen: begun by no instance (every one was down at its time, or none
     * could reach the database), or ended {@code ABANDONED} (its instance was killed or stopped during it). A period
     * of a job that never ran on this database is left alone: a new engine's first run is its schedule's. A run that
     * {@code FAILED} is not taken again: what failed it (a full disk, a rule that throws) would fail it again, and the
     * journal shows it for someone to act on.
     *
     * @param every the job's period
     * @param alone whether this instance is the only one that can open the database (embedded Derby): another
     *              name's run is over for sure
     * @return the run and why it is late, or empty when the period's run happened, is going on, or is not this
     *         instance's to take (another took it first)
     */
    public Optional<LateRun> beginLate(Job job, Instant period, Duration every, String instance, boolean alone) {
        try {
            return self.takeLate(job, period, every, instance, alone);
        } catch (RuntimeException e) {
            if (ConstraintViolations.duplicateKey(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<LateRun> takeLate(Job job, Instant period, Duration every, String instance, boolean alone) {
        Optional<JobRun> begun = runs.ofPeriod(job, period);
        if (begun.isEmpty()) {
            // A run of a period less than one before this one is the day's run at the time the schedule had then
            // (its .at changed since): not a missed one.
            if (!runs.ranBefore(job, period) || runs.ranBefore(job, period, period.minus(every))) {
                return Optional.empty();
            }
            return Optional.of(new LateRun(self.insert(job, period, instance), "no instance ran it at its time"));
        }
        JobRun run = begun.get();
        if (run.outcome() != JobRun.Outcome.ABANDONED) {
            return Optional.empty();
        }
        // Marked by this instance's own restart, or by this engine that alone opens its embedded database, it is over
        // for sure. Marked by another as gone from the cluster, it may be an instance only cut off and still at it:
        // retaken once it would have ended long since.
        Instant now = clock.instant();
        if (!alone && !run.instance().equals(instance) && run.startedAt().isAfter(now.minus(SURELY_OVER))) {
            return Optional.empty();
        }
        String why = "the run " + run.instance() + " began at " + run.startedAt() + " was abandoned";
        return runs.retake(run.id(), instance, now) ? Optional.of(new LateRun(run.id(), why))
                : Optional.empty();
    }

    /** A period's run taken late ({@link #beginLate}): its id, and why it is late, for its detail. */
    public record LateRun(long id, String why) {
    }

    /**
     * Ends as abandoned every run an instance starting up left {@code RUNNING} in its previous life: it was killed,
     * or stopped, in the middle of them. Two instances must not share a name ({@code loyalty.instance}); if they
     * do, a run the other is still making is marked too, and shows its real end when that comes.
     *
     * @return how many were
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public int abandonLeftBy(String instance) {
        return runs.abandon(instance, null, null, clock.instant(), "Abandoned: " + instance
                + " started again before this run's end was recorded (it was killed or stopped during the run)");
    }

    /**
     * Ends as abandoned the runs left {@code RUNNING} by instances that are gone (from the cluster, or, on an
     * embedded database only one engine can open, every other instance), which would otherwise stay so until an
     * instance of the same name starts again, perhaps never. An instance that was only cut off from this one (a
     * freeze, a network split) and is still making its run writes the run's real end over the mark.
     *
     * @param by   this instance, whose own runs are left alone
     * @param gone of the names given, those that are gone (none when it cannot tell)
     * @param why  how they are known to be gone, for the runs' detail ("is no longer in the cluster")
     * @return the instances whose runs were marked, each with how many
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Map<String, Integer> abandonLeftByGone(String by, Function<Collection<String>, Set<String>> gone,
                                                  String why) {
        List<String> running = runs.runningInstances().stream().filter(name -> !name.equals(by)).toList();
        Map<String, Integer> marked = new TreeMap<>();
        if (running.isEmpty()) {
            return marked;
        }
        Instant now = clock.instant();
        for (String instance : gone.apply(running)) {
            int abandoned = runs.abandon(instance, null, null, now, "Abandoned: " + instance + " " + why
                    + " and had not recorded this run's end (seen by " + by + " at " + now + ")");
            if (abandoned > 0) {
                marked.put(instance, abandoned);
            }
        }
        if (!marked.isEmpty()) {
            LOG.warning(() -> "Runs left unfinished by instances that are gone, marked ABANDONED: " + marked);
        }
        return marked;
    }

    /**
     * Records the run's end, over an {@code ABANDONED} mark too (an instance only cut off finishes after all), but
     * not once another instance retook the run late ({@link #beginLate}): the row is that run's now.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void finish(long id, String instance, String detail) {
        runs.find(id).filter(run -> run.instance().equals(instance)).ifPresent(run -> run.finish(clock.instant(),
                detail));
    }

    /** Records the run's failure, as {@link #finish} its end. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void fail(long id, String instance, String reason) {
        runs.find(id).filter(run -> run.instance().equals(instance)).ifPresent(run -> run.fail(clock.instant(),
                reason));
    }

    /**
     * The runs of a job (of every job when null) started since the instant (all when null), newest first.
     *
     * @throws DomainException {@code invalid_limit} (400) for a limit outside 1 to {@link #MOST_LISTED};
     *                         {@code job_not_found} (404) for a job the engine does not have
     */
    @Transactional
    public List<RunView> recent(String job, Instant since, int limit) {
        if (limit < 1 || limit > MOST_LISTED) {
            throw DomainException.invalid("invalid_limit", "limit", "limit is from 1 to " + MOST_LISTED + ", not "
                    + limit);
        }
        Job which = null;
        if (job != null) {
            try {
                which = Job.ofKey(job);
            } catch (IllegalArgumentException e) {
                throw DomainException.notFound("job_not_found", "No job " + job + "; the jobs are "
                        + java.util.Arrays.stream(Job.values()).map(Job::key).toList());
            }
        }
        return runs.recent(which, since, limit).stream().map(RunView::of).toList();
    }

    /**
     * A run as the administration sees it.
     *
     * @param period the scheduled start of the period the run belongs to
     * @param detail what the run did (per programme), or why it failed
     */
    public record RunView(String job, Instant period, String instance, Instant startedAt, Instant finishedAt,
                          String outcome, String detail) {

        static RunView of(JobRun run) {
            return new RunView(run.job(), run.period(), run.instance(), run.startedAt(), run.finishedAt(),
                    run.outcome().name(), run.detail());
        }
    }
}
