package org.loyaltyengine.engine.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.loyaltyengine.engine.application.LoginService;
import org.loyaltyengine.engine.application.PasswordService;

/**
 * A staff member's own account (manager, administrator or auditor alike: the auditor, who may change nothing of a
 * programme, still keeps their own password), as {@code /me} is a customer's.
 */
@RequestScoped
@Path("admin/me")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@CalledBy(Callers.STAFF)
public class AdminMeResource {

    @Inject
    PasswordService passwords;

    @Context
    HttpServletRequest request;

    @POST
    @Path("password")
    @Operation(summary = "Change my password (staff, auditors included)", description = "Needs the current"
            + " password. Every session signed in before ends, this one included: the answer is the token of a new"
            + " session, to use from now on. A wrong current password (403 invalid_credentials) changes nothing"
            + " and counts as a failed sign-in.")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Changed: the token of a new session", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Token"))),
            @APIResponse(responseCode = "default", description = ApiError.PASSWORD_CHANGE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public LoginService.Token changePassword(@Valid @NotNull Requests.PasswordChangeRequest body) {
        return passwords.change(AccessFilter.callerOf(request).name(), body.currentPassword(), body.newPassword());
    }
}
