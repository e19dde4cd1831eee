package org.loyaltyengine.engine.infrastructure.schedule;

import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.loyaltyengine.engine.application.ExpiryService;
import org.loyaltyengine.engine.application.TierReviewService;

/**
 * Runs the expiry of points every hour (non-persistent EJB timer), so that points expire within the hour their
 * expiry day begins in each programme's time zone; the tier reviews every hour and customer knowledge every night.
 * Every instance's timer fires, and one instance of the cluster claims each period's run ({@link
 * org.loyaltyengine.engine.infrastructure.cluster.ClusterCoordination#claim}); the jobs are idempotent besides, and
 * the member lock makes two runs expire each lot once. Disabled with {@code loyalty.expiry.schedule=false}.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ExpirySchedule {

    private static final Logger LOG = Logger.getLogger(ExpirySchedule.class.getName());

    @Inject
    ExpiryService expiry;

    @Inject
    TierReviewService reviews;

    @Inject
    org.loyaltyengine.engine.application.CustomerKnowledge knowledge;

    @Inject
    org.loyaltyengine.engine.domain.programme.ProgrammeRepository programmes;

    @Inject
    org.loyaltyengine.engine.application.OfferGrants offers;

    @Inject
    @ConfigProperty(name = "loyalty.expiry.schedule", defaultValue = "true")
    boolean enabled;

    @Inject
    org.loyaltyengine.engine.infrastructure.cluster.ClusterCoordination cluster;

    @Inject
    java.time.Clock clock;

    /** The hour a run belongs to, in UTC ("2026-11-23T14"): one instance of the cluster claims each. */
    private String hour() {
        return java.time.LocalDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC).toString()
                .substring(0, 13);
    }

    @Schedule(hour = "*", minute = "5", persistent = false, info = "points expiry")
    void hourly() {
        if (!enabled || !cluster.claim("expiry", hour())) {
            return;
        }
        try {
            expiry.expireDueToday("system/expiry-schedule");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The points expiry run failed; the next run catches up", e);
        }
    }

    /** Members' scores and segments, then the offers the incentive rules give, every night. */
    @Schedule(hour = "2", minute = "15", persistent = false, info = "customer knowledge")
    void knowledge() {
        if (!enabled || !cluster.claim("knowledge", hour().substring(0, 10))) {
            return;
        }
        try {
            programmes.findAll().forEach(programme -> {
                knowledge.recompute(programme.code(), null);
                offers.grant(programme.code(), null);
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Recomputing the members' scores failed; the next night catches up", e);
        }
    }

    /** The yearly tier reviews of the members whose anniversary is today, every hour (once per member per day). */
    @Schedule(hour = "*", minute = "35", persistent = false, info = "tier reviews")
    void reviews() {
        if (!enabled || !cluster.claim("tier-review", hour())) {
            return;
        }
        try {
            reviews.reviewDueToday("system/tier-review");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The tier review run failed; the next run catches up", e);
        }
    }
}
