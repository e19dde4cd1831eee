package org.loyaltyengine.engine.infrastructure.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.loyaltyengine.engine.application.DemoProgramme;

/**
 * Seeds the demo programme once the schema is migrated, when the database is empty and
 * {@code loyalty.demo.seed} (environment {@code LOYALTY_DEMO_SEED}) is not {@code false}; first, it gives an
 * install without an administrator its {@link FirstAdministrator}.
 */
@Singleton
@Startup
@DependsOn("DatabaseMigration")
public class DemoProgrammeSeeder {

    @Inject
    DemoProgramme demo;

    @Inject
    @ConfigProperty(name = "loyalty.demo.seed", defaultValue = "true")
    boolean seed;

    @Inject
    FirstAdministrator firstAdministrator;

    @PostConstruct
    void seed() {
        firstAdministrator.createWhenNone();
        if (seed) {
            demo.seedIfEmpty();
            demo.completeDemo();
        }
    }
}
