package org.loyaltyengine.engine.infrastructure.schedule;

import java.io.IOException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.loyaltyengine.engine.application.Backups;
import org.loyaltyengine.engine.infrastructure.persistence.Jdbc;

/**
 * Ships the embedded Derby database's transaction log to the newest backup's folder every minute ({@code
 * loyalty.backup.ship-log.every}, an ISO-8601 duration; {@code PT0S} turns it off), so that an engine that loses
 * both its database's disk and its log's is restored to within that much of the loss ({@link Backups#shipLog}).
 * Not a job of the journal: a copy a minute would bury the jobs that matter, and a copy missed is only made at the
 * next. A copy that fails is logged once, and again once copies succeed.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class LogShipping {

    private static final Logger LOG = Logger.getLogger(LogShipping.class.getName());

    private static final String EVERY = "loyalty.backup.ship-log.every";

    @Inject
    Backups backups;

    @Inject
    Jdbc jdbc;

    @Inject
    @ConfigProperty(name = EVERY, defaultValue = "PT1M")
    String every;

    @Resource
    TimerService timers;

    private volatile boolean failing;

    private volatile boolean noBackupToCopyTo;

    private volatile String copiedInto;

    /** @throws IllegalArgumentException naming the property, when it is not a duration: no start-up */
    @PostConstruct
    void start() {
        Duration period = Period.of(EVERY, every, "PT1M, PT30S");
        if (jdbc.postgresql() || period.isZero()) {
            return;
        }
        timers.createIntervalTimer(period.toMillis(), period.toMillis(), new TimerConfig(null, false));
        LOG.info(() -> "The transaction log is copied to the newest backup's folder every " + period);
    }

    @Timeout
    void ship() {
        try {
            Backups.LogCopy copy = backups.shipLog();
            boolean none = copy.files() < 0;
            if (!none && copy.backup() != null && !copy.backup().equals(copiedInto)) {
                copiedInto = copy.backup();
                LOG.info(() -> "The transaction log is copied into backup " + copy.backup() + " from now on");
            }
            if (none && !noBackupToCopyTo) {
                LOG.warning("The transaction log does not go on from the newest backup (Derby deleted a file of it,"
                        + " or the database was restored since): it is copied again once a backup is taken");
            }
            noBackupToCopyTo = none;
            if (failing) {
                failing = false;
                LOG.info("The transaction log is copied to the newest backup's folder again");
            }
        } catch (IOException | RuntimeException e) {
            if (!failing) {
                failing = true;
                LOG.log(Level.WARNING, "Could not copy the transaction log to the newest backup's folder (the copy"
                        + " before stays whole; tried again every " + every + ")", e);
            }
        }
    }
}
