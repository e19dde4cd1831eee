package org.loyaltyengine.engine.api;

import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.loyaltyengine.engine.domain.DomainException;

/**
 * Anything else is the engine's fault: logged with an incident id the caller is given, answered 500 in the
 * contract's shape. Domain refusals wrapped by a container layer are unwrapped and answered as themselves; a
 * transaction the database gave up (lock contention, a deadlock) wrote nothing and is answered 503
 * {@code engine_busy}, to be sent again; a lost database connection is answered 503 {@code database_unavailable};
 * a value the database refused (longer or larger than its column) is answered 400 {@code value_too_large}.
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class.getName());

    @jakarta.ws.rs.core.Context
    jakarta.ws.rs.core.UriInfo uri;

    /** Whether the failed call is a till's ({@code /api/v1/pos/…}). */
    private boolean tillsCall() {
        try {
            String path = uri == null ? "" : uri.getPath();
            return (path.startsWith("/") ? path.substring(1) : path).startsWith("pos/");
        } catch (RuntimeException outsideARequest) {
            return false;
        }
    }

    @Override
    public Response toResponse(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DomainException domain) {
                return new DomainExceptionMapper().toResponse(domain);
            }
            if (cause instanceof jakarta.json.bind.JsonbException
                    || cause instanceof jakarta.json.stream.JsonParsingException) {
                return BodyExceptionMapper.malformed(cause);
            }
        }
        if (org.loyaltyengine.engine.application.ConstraintViolations.outcomeUnknown(e)
                || org.loyaltyengine.engine.application.ConstraintViolations.noConnection(e)) {
            // The database restarted, failed over, or cannot be reached: no fault of the caller's. Kept with its
            // stack: a commit the transaction manager could not complete is seen here too.
            LOG.log(Level.WARNING, "No working database connection, answered 503 database_unavailable", e);
            return new DomainExceptionMapper().toResponse(DomainException.databaseUnavailable(
                    org.loyaltyengine.engine.application.ConstraintViolations.noConnection(e)));
        }
        if (org.loyaltyengine.engine.application.ConstraintViolations.transientConflict(e)
                || org.loyaltyengine.engine.application.ConstraintViolations.notAllocated(e)) {
            // The database gave the transaction up (lock contention, a deadlock), or every pooled connection stayed
            // in use for the pool's whole wait: nothing was written. Derby's plan race is Derby's fault, and rare:
            // kept with its stack.
            if (org.loyaltyengine.engine.application.ConstraintViolations.derbyPlanReplacedUnderIt(e)) {
                LOG.log(Level.WARNING, "Derby compiled a statement again while it ran (DERBY-5406), answered 503", e);
            } else {
                LOG.log(Level.INFO, "Transient database conflict, answered 503: " + e);
            }
            return new DomainExceptionMapper().toResponse(DomainException.busy());
        }
        if (org.loyaltyengine.engine.application.ConstraintViolations.duplicateKey(e) && !tillsCall()) {
            // The same new thing created by two requests at the same moment (a claim filed twice, a reward or a
            // programme sent again by a double click): the unique key kept one, and this request wrote nothing. The
            // calls that expect it answer with their own code (a replay, receipt_conflict, member_exists); this is
            // the rest. Kept with its stack, in case the key was the engine's own. Not for a till's call: a sale
            // that met a key it does not answer as a replay keeps its 500, which the till sends again (a 409 would
            // be a refusal, and the sale given up).
            LOG.log(Level.WARNING, "A unique key refused a row created at the same moment, answered 409"
                    + " created_meanwhile", e);
            return ErrorResponses.of(409, "created_meanwhile", "What this request creates was created at the same"
                    + " moment by another request (the same one sent twice, say); nothing more was written: look it"
                    + " up, and send it again only if it is not there", null);
        }
        if (org.loyaltyengine.engine.application.ConstraintViolations.missingReference(e)) {
            // What the request added refers to a row deleted at the same moment (a key issued to a programme as it
            // was deleted): nothing was written, and the caller is told to look again. Met at the commit instead,
            // the refusal no longer says why, and is answered as any other failure there.
            LOG.log(Level.INFO, "A write referred to a row deleted meanwhile, answered 409 deleted_meanwhile: " + e);
            return ErrorResponses.of(409, "deleted_meanwhile", "What this change refers to was deleted at the same"
                    + " moment (a programme, say); nothing was written: reload and check", null);
        }
        String incident = UUID.randomUUID().toString();
        if (org.loyaltyengine.engine.application.ConstraintViolations.dateRefused(e) != null) {
            // A day the database cannot hold (the year 999999999 is a valid ISO date): the caller's, most likely,
            // whose check is missing; the transaction that met it wrote nothing.
            LOG.log(Level.WARNING, "Incident " + incident + ": the database refused a date, answered 400"
                    + " invalid_date", e);
            return ErrorResponses.of(400, "invalid_date", "A date or time of the request is outside the years the"
                    + " engine keeps (1 to 9999) (incident " + incident + ")", null);
        }
        if (org.loyaltyengine.engine.application.ConstraintViolations.valueRefused(e) != null) {
            // A value longer or larger than its column, which no check caught before the database: an input of the
            // caller's, most likely, whose check is missing (kept with its stack, and an incident id, in case the
            // value was the engine's). The transaction that met it wrote nothing.
            LOG.log(Level.WARNING, "Incident " + incident + ": the database refused a value, answered 400"
                    + " value_too_large", e);
            return ErrorResponses.of(400, "value_too_large", "A value of the request is longer or larger than the"
                    + " engine keeps (incident " + incident + ")", null);
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.loyaltyengine.rules.RuleFailedException failed) {
                // A published rule that fails on this input (the trial at publication ran it on other receipts):
                // nothing was recorded, and the till keeps the sale to send again once the rules are mended or
                // rolled back. The answer names the rule, for whoever reads the till's or the engine's log.
                LOG.log(Level.SEVERE, "Incident " + incident + ": " + failed.getMessage() + " (" + failed.source()
                        + ":" + failed.line() + "); answered 500 rule_failed", e);
                return ErrorResponses.ruleFailed(failed, incident);
            }
        }
        LOG.log(Level.SEVERE, "Incident " + incident, e);
        return ErrorResponses.of(500, "internal_error",
                "The engine failed to answer; quote incident " + incident + " to support", null);
    }
}
