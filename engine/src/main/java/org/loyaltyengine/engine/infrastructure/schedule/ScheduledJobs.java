package org.loyaltyengine.engine.infrastructure.schedule;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.loyaltyengine.engine.application.Backups;
import org.loyaltyengine.engine.application.BusyRetry;
import org.loyaltyengine.engine.application.CustomerKnowledge;
import org.loyaltyengine.engine.application.ExpiryService;
import org.loyaltyengine.engine.application.JobJournal;
import org.loyaltyengine.engine.application.OfferGrants;
import org.loyaltyengine.engine.application.TierReviewService;
import org.loyaltyengine.engine.domain.job.Job;
import org.loyaltyengine.engine.domain.job.JobSchedule;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.infrastructure.cluster.ClusterCoordination;
import org.loyaltyengine.engine.infrastructure.persistence.Jdbc;

/**
 * Runs the engine's jobs on their schedules (non-persistent EJB interval timers): the expiry of points every hour,
 * so that points expire within the hour their expiry day begins in each programme's time zone; the yearly tier
 * reviews every hour; customer knowledge every night; a backup of an embedded Derby engine every night. Each schedule can be changed with {@code
 * loyalty.jobs.<job>.every} and {@code .at} (ISO-8601 durations, periods counted from midnight UTC); {@code
 * loyalty.expiry.schedule=false} turns them all off.
 *
 * <p>Every instance's timer fires. One instance runs each period: the first to claim it in the cluster ({@link
 * ClusterCoordination#claim}), and then only if the database's journal takes the period ({@link JobJournal#begin}),
 * which refuses a second run of a period even when the instances lost sight of each other. The jobs are idempotent
 * besides (the member lock makes two runs expire each lot once), and a period nobody ran is caught up by the next.
 * The timers are set once the schema is migrated and the demo seeded.
 *
 * <p>A run whose instance stopped before recording its end is marked {@code ABANDONED} in the journal: by the
 * instance itself when it starts again or next runs that job, and by whichever instance next runs a job once the
 * cluster no longer has a member of that name ({@link ClusterCoordination#gone}); on embedded Derby, by the one
 * engine that can open the database, whatever the name.
 */
@Singleton
@Startup
@DependsOn({"DemoProgrammeSeeder", "ClusterCoordination"})
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ScheduledJobs {

    private static final Logger LOG = Logger.getLogger(ScheduledJobs.class.getName());

    @Inject
    ExpiryService expiry;

    @Inject
    TierReviewService reviews;

    @Inject
    CustomerKnowledge knowledge;

    @Inject
    OfferGrants offers;

    @Inject
    Backups backups;

    @Inject
    ProgrammeRepository programmes;

    @Inject
    JobJournal journal;

    @Inject
    ClusterCoordination cluster;

    @Inject
    Jdbc jdbc;

    @Inject
    Clock clock;

    @Inject
    Config config;

    @Inject
    @ConfigProperty(name = "loyalty.expiry.schedule", defaultValue = "true")
    boolean enabled;

    /** This instance's name in the journal: the cluster's instance name ({@code LOYALTY_INSTANCE}), or the host's. */
    @Inject
    @ConfigProperty(name = "loyalty.instance")
    Optional<String> instanceName;

    @Resource
    TimerService timers;

    private final Map<Job, JobSchedule> schedules = new EnumMap<>(Job.class);

    /** The timer that looks for missed runs to run late ({@link #runLate}). */
    private static final String LATE_RUNS = "late-runs";

    /** How long after a start the first look for missed runs comes, at most. */
    private static final Duration LATE_CHECK_FIRST = Duration.ofMinutes(2);

    /** The jobs running on this instance now: a period that comes while its job's last run goes on is skipped. */
    private final Set<Job> running = ConcurrentHashMap.newKeySet();

    private String instance;

    /** @throws IllegalArgumentException naming the property, when a schedule is not a valid one: no start-up */
    @PostConstruct
    void start() {
        instance = instanceName.filter(name -> !name.isBlank()).orElseGet(ScheduledJobs::hostName);
        for (Job job : Job.values()) {
            String property = "loyalty.jobs." + job.key();
            schedules.put(job, JobSchedule.parse(property,
                    setting(property + ".every", job.byDefault().every()),
                    setting(property + ".at", job.byDefault().at())));
        }
        if (!enabled) {
            LOG.info("Scheduled jobs are off on this instance (loyalty.expiry.schedule=false)");
            return;
        }
        try {
            int abandoned = journal.abandonLeftBy(instance);
            if (abandoned > 0) {
                LOG.warning(() -> abandoned + " run(s) of instance " + instance + " ended without recording it"
                        + " before this start: marked ABANDONED in the jobs' journal");
            }
        } catch (RuntimeException e) {
            // The journal's account of earlier runs is not worth a failed start: the next run marks them too.
            LOG.log(Level.WARNING, "Could not mark the runs " + instance + " left unfinished in the jobs' journal", e);
        }
        enterInTheGrid(true);
        Instant now = clock.instant();
        StringBuilder plan = new StringBuilder();
        schedules.forEach((job, schedule) -> {
            Instant next = schedule.nextAfter(now);
            timers.createIntervalTimer(Date.from(next), schedule.every().toMillis(), new TimerConfig(job, false));
            plan.append(plan.isEmpty() ? "" : ", ").append(job.key()).append(' ').append(schedule)
                    .append(" (next ").append(next).append(')');
        });
        Duration lateCheck = Duration.parse(setting("loyalty.jobs.late-runs.every", Duration.ofHours(1)));
        Duration firstCheck = lateCheck.compareTo(LATE_CHECK_FIRST) < 0 ? lateCheck : LATE_CHECK_FIRST;
        timers.createIntervalTimer(Date.from(now.plus(firstCheck)), lateCheck.toMillis(),
                new TimerConfig(LATE_RUNS, false));
        LOG.info(() -> "Scheduled jobs on instance " + instance + ": " + plan + "; missed runs of jobs of "
                + JobSchedule.LATE_RUNS_FROM + " or longer looked for every " + lateCheck);
    }

    @Timeout
    void fire(Timer timer) {
        if (timer.getInfo() instanceof Job job) {
            run(job);
        } else {
            runLate();
        }
    }

    /** Runs the job for the period now belongs to, if this instance is the one that takes it. */
    void run(Job job) {
        run(job, schedules.get(job).periodOf(clock.instant()), false);
    }

    /**
     * Runs late the last period of each long job (the nightly backup and customer knowledge) whose run did not happen
     * ({@link JobSchedule#lateRunOf}, {@link JobJournal#beginLate}): every instance was down at its time, or the one
     * running it was killed. A hole of a night in the backups or the offers is not left to the next night.
     */
    void runLate() {
        Instant now = clock.instant();
        schedules.forEach((job, schedule) -> schedule.lateRunOf(now).ifPresent(period -> run(job, period, true)));
    }

    /**
     * Runs the job's period here if this instance takes it: on time, the first to claim it in the cluster and then
     * only if the journal takes it too; late, if the journal lets this instance retake it (no claim in the grid,
     * whose claim of the period may be the instance that abandoned it).
     */
    private void run(Job job, Instant period, boolean late) {
        if (!running.add(job)) {
            if (late) {
                return;
            }
            LOG.warning(() -> "The " + job.key() + " run of " + period + " is left to another instance or the next"
                    + " period: this instance's previous run is still going");
            return;
        }
        try {
            enterInTheGrid(false);
            Optional<Long> run;
            String label;
            if (late) {
                abandonLeftByGone();
                Optional<JobJournal.LateRun> taken = journal.beginLate(job, period, schedules.get(job).every(),
                        instance, !jdbc.postgresql());
                if (taken.isEmpty()) {
                    return;
                }
                run = Optional.of(taken.get().id());
                label = "Run late, at " + clock.instant() + " by " + instance + " (" + taken.get().why() + "). ";
                LOG.warning(() -> "The " + job.key() + " run of " + period + " did not happen ("
                        + taken.get().why() + "): run late now");
            } else {
                if (!cluster.claim(job.key(), period.toString())) {
                    return;
                }
                try {
                    // A journal the database cannot write at once (no connection yet after a fail-over) is tried
                    // again within the period; if it still cannot, the claim is given back for another instance.
                    run = BusyRetry.call(() -> journal.begin(job, period, instance));
                } catch (RuntimeException e) {
                    cluster.release(job.key(), period.toString());
                    throw e;
                }
                if (run.isEmpty()) {
                    LOG.info(() -> "The " + job.key() + " run of " + period + " was begun already (the journal says"
                            + " so): not run again here");
                    return;
                }
                label = "";
                abandonLeftByGone();
            }
            try {
                journal.finish(run.get(), instance, label + work(job));
            } catch (PartlyFailed e) {
                LOG.warning(() -> "The " + job.key() + " run of " + period + " failed in part: " + e.getMessage());
                journal.fail(run.get(), instance, label + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The " + job.key() + " run of " + period + " failed; the next run catches up",
                        e);
                journal.fail(run.get(), instance, label + e);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record the " + job.key() + " run of " + period + " in the journal", e);
        } finally {
            running.remove(job);
        }
    }

    /**
     * Enters this instance's name in the grid, with its member, for the other instances to tell whether it is gone
     * ({@link #abandonLeftByGone}). Only PostgreSQL's instances read those names: on embedded Derby the engine that
     * holds the database is the only one.
     */
    private void enterInTheGrid(boolean wait) {
        if (jdbc.postgresql()) {
            cluster.register(instance, wait);
        }
    }

    /**
     * Marks the runs that instances gone left unfinished. On embedded Derby, which only one engine at a time can
     * open, every other instance is gone. On PostgreSQL, those no member of the cluster answers to (Payara Micro
     * started with {@code --nocluster} still has a grid of its own: a cluster of one). A failure only leaves them as
     * they are.
     */
    private void abandonLeftByGone() {
        try {
            if (!jdbc.postgresql()) {
                journal.abandonLeftByGone(instance, Set::copyOf, "is not the engine that holds this embedded"
                        + " database (only one can open it)");
            } else if (cluster.clustered()) {
                journal.abandonLeftByGone(instance, cluster::gone, "is no longer in the cluster");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not mark the runs of instances that are gone in the jobs' journal", e);
        }
    }

    /**
     * Does the job's work; returns what it did, for the journal. Each programme's part runs on its own, and so does
     * each member's within it: a programme or a member that fails (a rule that throws for one member, a row that
     * stays locked) is left to the next run and does not keep the others from theirs.
     *
     * @throws PartlyFailed when some part failed, after every other part was done
     */
    private String work(Job job) {
        return switch (job) {
            case EXPIRY -> perProgramme(code -> {
                ExpiryService.Summary done = expiry.run(code, null, "system/expiry-schedule");
                return new Part(done.programme() + " as of " + done.asOf() + ": " + done.pointsExpired()
                        + " points of " + done.members() + " member(s)", done.failed(), done.failure());
            });
            case TIER_REVIEW -> perProgramme(code -> {
                TierReviewService.Summary done = reviews.reviewDue(code, "system/tier-review");
                return new Part(done.programme() + " on " + done.asOf() + ": " + done.reviewed() + " reviewed, "
                        + done.downgraded() + " downgraded", done.failed(), done.failure());
            });
            case KNOWLEDGE -> perProgramme(code -> {
                CustomerKnowledge.Summary scored = knowledge.recompute(code, null);
                OfferGrants.Summary granted = offers.grant(code, null);
                return new Part(code + ": " + scored.members() + " member(s) scored in " + scored.millis() + " ms, "
                        + granted.granted() + " offer(s) granted", granted.failed(), granted.failure());
            });
            case BACKUP -> {
                if (jdbc.postgresql()) {
                    yield "none: PostgreSQL is backed up with its own tools (README, \"Backups\")";
                }
                Backups.BackupView taken = backups.takeAfterAnyRunning("system/backup-schedule");
                backups.recordTaken("system/backup-schedule", taken);
                yield taken.folder() + ": " + taken.bytes() + " bytes in " + taken.millis() + " ms";
            }
        };
    }

    /** What one programme's part of a run did, with its members that failed. */
    record Part(String done, int failed, String failure) {
    }

    /**
     * Runs a part for every programme, each on its own; the journal's detail lists a failed one's first (the detail
     * is cut at its column's width), then every programme's part in code order.
     */
    private String perProgramme(Function<String, Part> part) {
        return perProgramme(programmes.findAll().stream().map(programme -> programme.code()).toList(), part);
    }

    static String perProgramme(List<String> codes, Function<String, Part> part) {
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (String code : codes) {
            try {
                Part made = part.apply(code);
                done.add(made.done());
                if (made.failed() > 0) {
                    failed.add(code + ": " + made.failed() + " member(s) failed, left to the next run (first: "
                            + made.failure() + ")");
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A scheduled run failed for programme " + code + "; the others go on", e);
                done.add(code + ": failed");
                failed.add(code + ": failed (" + e + ")");
            }
        }
        String detail = String.join("; ", done);
        if (!failed.isEmpty()) {
            throw new PartlyFailed(String.join("; ", failed) + ". Done: " + detail);
        }
        return detail;
    }

    /** A run whose parts did not all succeed; its message is the journal's detail. */
    static final class PartlyFailed extends RuntimeException {

        PartlyFailed(String detail) {
            super(detail, null, false, false);
        }
    }

    private String setting(String property, Duration byDefault) {
        return config.getOptionalValue(property, String.class).orElse(byDefault.toString());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "engine";
        }
    }
}
