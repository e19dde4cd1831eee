package org.loyaltyengine.engine.api;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.loyaltyengine.engine.application.Backups;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.infrastructure.security.Caller;

/**
 * Backups of the whole engine (every programme) on embedded Derby, taken while it serves: for the engine's
 * administrator only, not for a programme's manager.
 */
@RequestScoped
@Path("admin/backups")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@CalledBy(Callers.MANAGERS)
public class AdminBackupsResource {

    @Context
    HttpServletRequest request;

    @Inject
    Backups backups;

    @POST
    @Operation(summary = "Takes a backup of the engine's embedded Derby database and its token signing key now,"
            + " while the tills go on selling, into <data>/backups/<time>/ (201 with its folder, size and duration;"
            + " the newest loyalty.backup.keep, 7 by default, are kept); 409 backup_not_here on PostgreSQL,"
            + " 409 backup_running while another is being taken, 409 backup_folder_taken when the backup folder holds"
            + " another engine's backups, 409 backup_folder_not_answering when a copy of the transaction log into"
            + " the backup folder has not ended in 30 s; administrators only")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Taken", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "BackupView"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response take() {
        Caller staff = administrator();
        Backups.BackupView taken = backups.take(staff.name());
        backups.recordTaken(staff.name(), taken);
        return Response.status(Response.Status.CREATED).entity(taken).build();
    }

    @GET
    @Operation(summary = "The complete backups on disk, newest first; administrators only")
    public List<Backups.BackupView> list() {
        administrator();
        return backups.list();
    }

    private Caller administrator() {
        Caller caller = AccessFilter.callerOf(request);
        if (!caller.has(Role.ADMIN)) {
            throw DomainException.forbidden("forbidden", "Only the engine's administrator may take or list backups;"
                    + " " + caller.name() + " may not");
        }
        return caller;
    }
}
