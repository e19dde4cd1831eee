package org.loyaltyengine.engine.infrastructure.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Live whenever the application is deployed and answering. */
@Liveness
@ApplicationScoped
public class EngineLiveness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        Runtime runtime = Runtime.getRuntime();
        return HealthCheckResponse.named("loyalty-engine").up()
                .withData("heapUsedMiB", (runtime.totalMemory() - runtime.freeMemory()) >> 20)
                .build();
    }
}
