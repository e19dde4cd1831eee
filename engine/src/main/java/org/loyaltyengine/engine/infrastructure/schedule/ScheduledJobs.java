package org.loyaltyengine.engine.infrastructure.schedule;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

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
        LOG.info(() -> "Scheduled jobs on instance " + instance + ": " + plan);
    }

    @Timeout
    void fire(Timer timer) {
        run((Job) timer.getInfo());
    }

    /** Runs the job for the period now belongs to, if this instance is the one that takes it. */
    void run(Job job) {
        Instant period = schedules.get(job).periodOf(clock.instant());
        if (!running.add(job)) {
            LOG.warning(() -> "The " + job.key() + " run of " + period + " is left to another instance or the next"
                    + " period: this instance's previous run is still going");
            return;
        }
        try {
            enterInTheGrid(false);
            if (!cluster.claim(job.key(), period.toString())) {
                return;
            }
            Optional<Long> run = journal.begin(job, period, instance);
            if (run.isEmpty()) {
                LOG.info(() -> "The " + job.key() + " run of " + period + " was begun already (the journal says so):"
                        + " not run again here");
                return;
            }
            abandonLeftByGone();
            try {
                journal.finish(run.get(), work(job));
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The " + job.key() + " run of " + period + " failed; the next run catches up",
                        e);
                journal.fail(run.get(), String.valueOf(e));
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

    /** Does the job's work; returns what it did, for the journal. */
    private String work(Job job) {
        return switch (job) {
            case EXPIRY -> expiry.expireDueToday("system/expiry-schedule").stream()
                    .map(done -> done.programme() + " as of " + done.asOf() + ": " + done.pointsExpired()
                            + " points of " + done.members() + " member(s)")
                    .collect(Collectors.joining("; "));
            case TIER_REVIEW -> reviews.reviewDueToday("system/tier-review").stream()
                    .map(done -> done.programme() + " on " + done.asOf() + ": " + done.reviewed() + " reviewed, "
                            + done.downgraded() + " downgraded")
                    .collect(Collectors.joining("; "));
            case KNOWLEDGE -> programmes.findAll().stream()
                    .map(programme -> {
                        CustomerKnowledge.Summary scored = knowledge.recompute(programme.code(), null);
                        OfferGrants.Summary granted = offers.grant(programme.code(), null);
                        return programme.code() + ": " + scored.members() + " member(s) scored in "
                                + scored.millis() + " ms, " + granted.granted() + " offer(s) granted";
                    })
                    .collect(Collectors.joining("; "));
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

    private String setting(String property, java.time.Duration byDefault) {
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
