package org.loyaltyengine.engine.api;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.ext.Provider;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.loyaltyengine.engine.infrastructure.config.DataFolder;
import org.loyaltyengine.engine.infrastructure.persistence.DatabaseHeartbeat;
import org.loyaltyengine.engine.infrastructure.persistence.RestoreGap;

/**
 * Tells the tills, in every answer to them ({@value RestoreGap#HEADER}), the time in which what they sent may have
 * been lost by the newest restore of the engine's database: each till of the POS adapter sends again what the
 * engine recorded for it in that time. On embedded Derby {@code restore-engine.sh} writes it into the data folder;
 * a restore by other means (PostgreSQL's own tools, a Derby folder copied back by hand) is noticed by the instances
 * themselves, which write it into the database for all ({@link DatabaseHeartbeat}); the newest of the two is told,
 * both when they overlap. The operator may give it to every instance instead ({@code loyalty.restore.gap},
 * {@code LOYALTY_RESTORE_GAP=<from>/<to>}), which wins over both. A gap that cannot be read is logged and not sent:
 * the engine serves on. A gap is told for {@link RestoreGap#TOLD_FOR} after its end, as long as the tills keep what
 * the engine recorded.
 */
@Provider
@ApplicationScoped
public class RestoreGapHeader implements ContainerResponseFilter {

    private static final Logger LOG = Logger.getLogger(RestoreGapHeader.class.getName());

    @Inject
    DataFolder dataFolder;

    @Inject
    @ConfigProperty(name = "loyalty.restore.gap")
    Optional<String> configured;

    /** The gap given or written into the data folder. */
    private RestoreGap given;

    private boolean givenByOperator;

    /** What is told: the gap given, or the newest of it and the one noticed in the database. */
    private volatile RestoreGap gap;

    @PostConstruct
    void read() {
        try {
            Optional<RestoreGap> configuredGap = configured.filter(text -> !text.isBlank()).map(RestoreGap::parse);
            givenByOperator = configuredGap.isPresent();
            Optional<RestoreGap> read = configuredGap.or(() -> fromDataFolder());
            given = read.orElse(null);
            gap = given;
            read.ifPresent(known -> LOG.info(() -> "The tills are told that what they sent in " + known + " may have"
                    + " been lost by the restore of the database, and send it again"));
        } catch (IllegalArgumentException | IllegalStateException e) {
            LOG.warning(() -> "The restore gap is not told to the tills: " + e.getMessage());
        }
    }

    /**
     * The newest gap the instances noticed in the database ({@link DatabaseHeartbeat#newestGap}), read again every
     * beat: told when newer than the one given (merged with it when they overlap), unless the operator gave one.
     */
    public synchronized void noticed(Optional<RestoreGap> inDatabase) {
        if (givenByOperator) {
            return;
        }
        List<RestoreGap> both = new ArrayList<>();
        inDatabase.ifPresent(both::add);
        if (given != null) {
            both.add(given);
        }
        RestoreGap told = RestoreGap.newest(both).orElse(null);
        if (told != null && !told.equals(gap)) {
            LOG.info(() -> "The tills are told that what they sent in " + told + " may have been lost by a restore of"
                    + " the database, and send it again");
        }
        gap = told;
    }

    private Optional<RestoreGap> fromDataFolder() {
        try {
            return RestoreGap.read(dataFolder.root());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + dataFolder.resolve(RestoreGap.FILE) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether the tills are told of a restore gap now ({@link RestoreGap#told}): while they are, a sale sent again
     * may name the transaction id it had; after, a till has nothing of the gap left to send.
     */
    public boolean told() {
        RestoreGap known = gap;
        return known != null && known.told(Instant.now());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        // Told to tills only: not in the refusals of callers who are not one (nor proved they are).
        RestoreGap known = gap;
        if (known != null && known.told(Instant.now()) && response.getStatus() != 401 && response.getStatus() != 403
                && toTills(request)) {
            response.getHeaders().putSingle(RestoreGap.HEADER, known.toString());
        }
    }

    /** Whether the call is a till's: its path's first segment, matrix parameters left out, is {@code pos}. */
    private static boolean toTills(ContainerRequestContext request) {
        return request.getUriInfo().getPathSegments().stream().map(PathSegment::getPath)
                .filter(segment -> !segment.isEmpty()).findFirst().orElse("").equals("pos");
    }
}
