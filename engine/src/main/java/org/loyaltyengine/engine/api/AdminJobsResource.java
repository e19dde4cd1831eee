package org.loyaltyengine.engine.api;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import org.loyaltyengine.engine.application.JobJournal;
import org.loyaltyengine.engine.domain.DomainException;

/**
 * The journal of the scheduled jobs: which instance ran each period's expiry, tier review, knowledge run and backup.
 */
@RequestScoped
@Path("admin/jobs")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@CalledBy(Callers.MANAGERS)
public class AdminJobsResource {

    @Inject
    JobJournal journal;

    @GET
    @Operation(summary = "The scheduled jobs' runs, newest first: job, period, instance, start, end, outcome (RUNNING,"
            + " DONE, FAILED, ABANDONED) and what each did; ?job=expiry|tier-review|knowledge|backup,"
            + " ?since=2026-12-04T10:00:00Z, ?limit=50 (at most 500)")
    public List<JobJournal.RunView> runs(@QueryParam("job") String job, @QueryParam("since") String since,
                                         @QueryParam("limit") @DefaultValue("50") String limit) {
        return journal.recent(job == null || job.isBlank() ? null : job.strip(),
                since == null || since.isBlank() ? null : instant(since), count(limit));
    }

    /** @throws DomainException {@code invalid_limit} (400) for a limit that is not a whole number */
    private static int count(String text) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw DomainException.invalid("invalid_limit", "limit", "limit is a whole number from 1 to "
                    + JobJournal.MOST_LISTED + ", not " + text);
        }
    }

    /** @throws DomainException {@code invalid_field} (400) for a time that is not ISO-8601 with an offset */
    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("since", "since is a time with its offset (2026-12-04T10:00:00Z), not "
                    + text);
        }
    }
}
