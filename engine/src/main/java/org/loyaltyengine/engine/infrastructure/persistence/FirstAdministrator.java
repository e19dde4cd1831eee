package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.Optional;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.loyaltyengine.engine.application.StaffAdministration;

/**
 * Gives a fresh install its first administrator, who then creates the rest of the staff: when no administrator can
 * sign in, one is created from {@code loyalty.admin.email} and {@code loyalty.admin.password} (environment
 * {@code LOYALTY_ADMIN_EMAIL}, {@code LOYALTY_ADMIN_PASSWORD}). The demo's seeder calls it at start, before it
 * seeds, so that an install given both has its own administrator besides the demo's (a start-up bean of its own
 * beside the seeder would make Payara's start-up order of the singletons a diamond, which it takes for a cycle
 * now and then). Without them and without the demo, the log says how to have one. The password is never logged.
 */
@ApplicationScoped
public class FirstAdministrator {

    private static final Logger LOG = Logger.getLogger(FirstAdministrator.class.getName());
    private static final int SHORTEST_PASSWORD = 8;

    @Inject
    StaffAdministration staff;

    @Inject
    @ConfigProperty(name = "loyalty.admin.email")
    Optional<String> email;

    @Inject
    @ConfigProperty(name = "loyalty.admin.password")
    Optional<String> password;

    @Inject
    @ConfigProperty(name = "loyalty.demo.seed", defaultValue = "true")
    boolean demoSeed;

    public void createWhenNone() {
        Optional<String> givenEmail = email.map(value -> value.strip().toLowerCase(java.util.Locale.ROOT))
                .filter(value -> !value.isEmpty());
        Optional<String> givenPassword = password.filter(value -> !value.isBlank());
        if (givenEmail.isEmpty() && givenPassword.isEmpty()) {
            if (!demoSeed && !staff.hasAdministrator()) {
                LOG.warning("No administrator can sign in to this engine, and the demo (with its administrator) is not"
                        + " seeded (LOYALTY_DEMO_SEED=false). To have one, start the engine once with"
                        + " LOYALTY_ADMIN_EMAIL and LOYALTY_ADMIN_PASSWORD (at least " + SHORTEST_PASSWORD
                        + " characters) in its environment: the administrator is created, and signs in to the back"
                        + " office (/backoffice/) to create programmes and their staff (README, \"Staff\").");
            }
            return;
        }
        if (givenEmail.isEmpty() || givenPassword.isEmpty() || !givenEmail.get().contains("@")
                || givenPassword.get().length() < SHORTEST_PASSWORD) {
            LOG.severe("LOYALTY_ADMIN_EMAIL and LOYALTY_ADMIN_PASSWORD must both be given, an email address and a"
                    + " password of at least " + SHORTEST_PASSWORD + " characters: no administrator was created");
            return;
        }
        switch (staff.firstAdministrator(givenEmail.get(), givenPassword.get())) {
            case CREATED -> LOG.info(() -> "Created the first administrator, " + givenEmail.get()
                    + " (LOYALTY_ADMIN_EMAIL): sign in to the back office with the password of"
                    + " LOYALTY_ADMIN_PASSWORD, and remove it from the environment");
            case CREATED_ELSEWHERE -> LOG.info(() -> "The first administrator " + givenEmail.get()
                    + " was created by another instance starting at the same time");
            case EMAIL_TAKEN -> LOG.severe(() -> "No administrator can sign in, but an account signs in with "
                    + givenEmail.get() + " (LOYALTY_ADMIN_EMAIL) already: it was left as it is. Give another email");
            case ADMINISTRATOR_EXISTS -> LOG.info("An administrator can sign in already: LOYALTY_ADMIN_EMAIL is not"
                    + " used, and may be removed from the environment");
        }
    }
}
