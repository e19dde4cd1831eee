package org.loyaltyengine.engine.infrastructure.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.infrastructure.rules.RuleSetRegistry;

/**
 * Ready when the database answers and every programme has its rule set compiled: a load balancer may then send
 * sales. Because this check lives in the application, a failed deployment is never reported ready (STACK.md, T1).
 */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {

    @Inject
    ProgrammeRepository programmes;

    @Inject
    RuleSetRegistry ruleSets;

    @Inject
    org.loyaltyengine.engine.infrastructure.cluster.ClusterCoordination cluster;

    private volatile boolean webApplicationStarted;

    /** The web application (the API) is initialised only after the health endpoint already answers. */
    void webApplicationStarted(@Observes @Initialized(ApplicationScoped.class) Object event) {
        webApplicationStarted = true;
    }

    @Override
    public HealthCheckResponse call() {
        if (!webApplicationStarted) {
            return HealthCheckResponse.named("loyalty-engine").down().withData("reason", "starting").build();
        }
        try {
            int count = 0;
            for (Programme programme : programmes.findAll()) {
                ruleSets.liveSet(programme.code());
                count++;
            }
            return HealthCheckResponse.named("loyalty-engine").up().withData("programmes", count)
                    .withData("clusterMembers", cluster.members()).build();
        } catch (RuntimeException e) {
            return HealthCheckResponse.named("loyalty-engine").down()
                    .withData("reason", String.valueOf(e.getMessage())).build();
        }
    }
}
