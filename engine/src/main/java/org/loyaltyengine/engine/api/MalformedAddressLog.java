package org.loyaltyengine.engine.api;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

/**
 * Payara Micro (6.2025.10) fails on an address that is not valid percent-encoding ({@code /api/v1/pos/cards/%zz})
 * before any servlet sees it: its connector logs the decoder's exception with a full stack trace at SEVERE, and the
 * client gets 200 with an empty body (payara/Payara#8000; the engine cannot answer, the request never reaches it).
 * So that anyone on the network cannot fill the server's log with stack traces, this replaces those records with
 * one line, at most once a minute, saying how many such requests came.
 */
@ApplicationScoped
public class MalformedAddressLog {

    /** The logger of Payara's web connector (its {@code CoyoteAdapter}). */
    static final String CONNECTOR_LOGGER = "jakarta.enterprise.web.core";

    private static final Logger LOG = Logger.getLogger(MalformedAddressLog.class.getName());

    void install(@Observes @Initialized(ApplicationScoped.class) Object started) {
        Logger connector = Logger.getLogger(CONNECTOR_LOGGER);
        connector.setFilter(new Quieter(connector.getFilter(), Instant::now));
    }

    /** Lets every record through but the decoder's, which it counts and reports once a minute at most. */
    static final class Quieter implements Filter {

        static final Duration EVERY = Duration.ofMinutes(1);

        private final Filter before;
        private final Supplier<Instant> clock;
        private Instant lastReported;
        private long unreported;

        Quieter(Filter before, Supplier<Instant> clock) {
            this.before = before;
            this.clock = clock;
        }

        @Override
        public boolean isLoggable(LogRecord record) {
            if (!malformedAddress(record)) {
                return before == null || before.isLoggable(record);
            }
            String line = null;
            synchronized (this) {
                unreported++;
                Instant now = clock.get();
                if (lastReported == null || !now.isBefore(lastReported.plus(EVERY))) {
                    line = unreported + " request(s) with an address that is not valid percent-encoding since "
                            + (lastReported == null ? "the start" : lastReported) + " (the last: "
                            + record.getThrown().getMessage() + "); Payara answers them 200 with no body before"
                            + " the engine sees them (payara/Payara#8000)";
                    lastReported = now;
                    unreported = 0;
                }
            }
            if (line != null) {
                LOG.warning(line);
            }
            return false;
        }

        private static boolean malformedAddress(LogRecord record) {
            Throwable thrown = record.getThrown();
            return thrown instanceof RuntimeException && thrown.getStackTrace().length > 0
                    && thrown.getStackTrace()[0].getClassName().equals("org.glassfish.grizzly.http.util.URLDecoder");
        }
    }
}
