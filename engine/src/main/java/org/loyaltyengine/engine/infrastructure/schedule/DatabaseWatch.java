package org.loyaltyengine.engine.infrastructure.schedule;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.loyaltyengine.engine.api.RestoreGapHeader;
import org.loyaltyengine.engine.infrastructure.config.DataFolder;
import org.loyaltyengine.engine.infrastructure.persistence.DataWrites;
import org.loyaltyengine.engine.infrastructure.persistence.DatabaseHeartbeat;
import org.loyaltyengine.engine.infrastructure.persistence.Jdbc;

/**
 * The instance's heartbeat in its database ({@link DatabaseHeartbeat}), every second ({@code
 * loyalty.restore.watch.every}, an ISO-8601 duration; {@code PT0S} turns it off; written only while the instance
 * writes, {@link DataWrites}): it notices that the database went back in time and then tells the tills, as every
 * instance does with what the others noticed. A beat that fails (the
 * database away) is logged once, and again once beats succeed.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DatabaseWatch {

    private static final Logger LOG = Logger.getLogger(DatabaseWatch.class.getName());

    private static final String EVERY = "loyalty.restore.watch.every";

    /** How long a write waits at most for the beat before it, while the heartbeat is quiet. */
    private static final Duration WRITE_WAITS = Duration.ofSeconds(2);

    @Inject
    Jdbc jdbc;

    @Inject
    DataFolder dataFolder;

    @Inject
    RestoreGapHeader restoreGap;

    @Inject
    @ConfigProperty(name = EVERY, defaultValue = "PT1S")
    String every;

    @Resource
    TimerService timers;

    @Resource
    ManagedExecutorService executor;

    private DatabaseHeartbeat heartbeat;

    private volatile boolean failing;

    private final AtomicBoolean beating = new AtomicBoolean();

    /** The beat a write waits for while the heartbeat is quiet (shared by the writes that come at once). */
    private CompletableFuture<Void> beforeWriting;

    /** @throws IllegalArgumentException naming the property, when it is not a duration: no start-up */
    @PostConstruct
    void start() {
        Duration period = Period.of(EVERY, every, "PT1S, PT5S");
        if (period.isZero()) {
            LOG.warning("The instance does not watch its database (" + EVERY + "=PT0S): a restore by other means than"
                    + " restore-engine.sh is not told to the tills unless given (LOYALTY_RESTORE_GAP)");
            return;
        }
        heartbeat = new DatabaseHeartbeat(dataFolder.root(), Clock.systemUTC(), DataWrites::count);
        // The first at once: a restore is noticed before the tills' first calls, or nearly.
        beat();
        timers.createIntervalTimer(period.toMillis(), period.toMillis(), new TimerConfig(null, false));
        DataWrites.beforeWriting(this::beforeWriting);
    }

    @PreDestroy
    void stop() {
        DataWrites.beforeWriting(null);
        DataWrites.quiet(false);
    }

    @Timeout
    void beat() {
        // A beat slower than the period is not joined by the next.
        if (!beating.compareAndSet(false, true)) {
            return;
        }
        lookThenFree();
    }

    /**
     * A write about to run while the heartbeat is quiet waits for a beat (at most {@link #WRITE_WAITS}), written on
     * a thread of its own in its own transaction: the write, whose transaction may commit before the next look,
     * then comes after a beat newer than any backup taken while the instance was quiet.
     */
    void beforeWriting() {
        CompletableFuture<Void> beat;
        synchronized (this) {
            if (beforeWriting == null || beforeWriting.isDone()) {
                beforeWriting = CompletableFuture.runAsync(this::beatOnceFree, executor);
            }
            beat = beforeWriting;
        }
        try {
            beat.get(WRITE_WAITS.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // The write goes on: the database is away or slow, and the look will beat when it can (logged there).
        }
    }

    /** Waits for a beat under way (which may have read the writes before this one), then beats. */
    private void beatOnceFree() {
        long giveUp = System.nanoTime() + WRITE_WAITS.toNanos();
        while (!beating.compareAndSet(false, true)) {
            if (System.nanoTime() - giveUp > 0) {
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        lookThenFree();
    }

    /** Looks, then lets the next beat go (the caller took {@code beating}). */
    private void lookThenFree() {
        try {
            look();
        } finally {
            beating.set(false);
        }
    }

    private void look() {
        try (Connection connection = jdbc.connection()) {
            heartbeat.beat(connection).ifPresent(gap -> LOG.warning(() -> "The database went back in time (restored"
                    + " from a backup?): what was recorded from " + gap.from() + " may be lost. The tills are told"
                    + " to send again what the engine recorded for them since (" + gap + "), and every session"
                    + " signed in before now is ended: log-outs and password changes may be lost with the rest"));
            DataWrites.quiet(heartbeat.quiet());
            restoreGap.noticed(DatabaseHeartbeat.newestGap(connection));
            if (failing) {
                failing = false;
                LOG.info("The instance's heartbeat is written into the database again");
            }
        } catch (SQLException | IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "Could not write the instance's heartbeat into the database (tried again"
                        + " every " + every + "): a restore of it is noticed once it can", e);
            }
        }
    }
}
