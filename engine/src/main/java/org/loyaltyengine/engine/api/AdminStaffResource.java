package org.loyaltyengine.engine.api;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
import org.loyaltyengine.engine.application.BusyRetry;
import org.loyaltyengine.engine.application.MemberAdministration;
import org.loyaltyengine.engine.application.Staff;
import org.loyaltyengine.engine.application.StaffAdministration;
import org.loyaltyengine.engine.application.StaffAdministration.StaffView;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.Role;

/**
 * The engine's staff (programme managers, auditors, administrators), managed by its administrators only: a
 * manager or an auditor gets 403 on every call here, reading included.
 */
@RequestScoped
@Path("admin/staff")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@CalledBy(Callers.MANAGERS)
public class AdminStaffResource {

    @Context
    HttpServletRequest request;

    @Inject
    StaffAdministration staff;

    @GET
    @Operation(summary = "Every staff account (managers, auditors, administrators) by email, with its role, the"
            + " programme it manages (null: every programme) and whether it is ACTIVE or DISABLED; administrators only")
    public List<StaffView> list() {
        administrator();
        return staff.list();
    }

    @POST
    @Operation(summary = "Create a staff account with a first password: role MANAGER, AUDITOR (reads only) or ADMIN,"
            + " and the one programme a manager or auditor manages (none: every programme; an administrator has"
            + " none); 409 email_taken when any account signs in with the email; administrators only")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Created", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "StaffView"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response create(@Valid @NotNull NewStaffRequest body) {
        Staff by = administrator();
        StaffView created = BusyRetry.call(() -> staff.create(by, new StaffAdministration.NewStaff(body.email(),
                body.password(), body.role(), body.programme())));
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @Path("{email}")
    @Operation(summary = "One staff account; 404 staff_not_found; administrators only")
    public StaffView find(@PathParam("email") String email) {
        administrator();
        return staff.find(email);
    }

    @PUT
    @Path("{email}")
    @Operation(summary = "Give a staff member another role or programme (applies to their next call); 409"
            + " last_administrator when no other administrator could sign in, 409 own_account on one's own;"
            + " administrators only")
    public StaffView appoint(@PathParam("email") String email, @Valid @NotNull AppointRequest body) {
        Staff by = administrator();
        return BusyRetry.call(() -> staff.appoint(by, email, body.role(), body.programme()));
    }

    @POST
    @Path("{email}/disable")
    @Operation(summary = "Disable a staff account: its sign-in is refused (403 account_disabled) and its tokens get"
            + " 401 from their next call on; 409 last_administrator, 409 own_account; administrators only")
    public StaffView disable(@PathParam("email") String email) {
        Staff by = administrator();
        return BusyRetry.call(() -> staff.disable(by, email));
    }

    @POST
    @Path("{email}/enable")
    @Operation(summary = "Let a disabled staff account sign in again; administrators only")
    public StaffView enable(@PathParam("email") String email) {
        Staff by = administrator();
        return BusyRetry.call(() -> staff.enable(by, email));
    }

    @POST
    @Path("{email}/password")
    @Operation(summary = "Set a staff member's password (they change it later themselves); a lock after failed"
            + " sign-ins ends, and so do the sessions signed in before; administrators only")
    public StaffView setPassword(@PathParam("email") String email, @Valid @NotNull PasswordRequest body) {
        Staff by = administrator();
        return BusyRetry.call(() -> staff.setPassword(by, email, body.password()));
    }

    @GET
    @Path("{email}/audit")
    @Operation(summary = "The changes made to a staff account (created, role, disabled, password set), newest"
            + " first; administrators only")
    public List<MemberAdministration.AuditLine> audit(@PathParam("email") String email) {
        administrator();
        return staff.audit(email);
    }

    private Staff administrator() {
        if (!AccessFilter.callerOf(request).has(Role.ADMIN)) {
            throw DomainException.forbidden("forbidden", "Only an administrator manages the staff");
        }
        return StaffCaller.of(request);
    }

    /** {@code POST /admin/staff}. */
    public record NewStaffRequest(@NotBlank @Email @Size(max = 254) String email,
                                  @NotBlank @Size(min = 8, max = 200, message = "is 8 to 200 characters")
                                  String password,
                                  @NotBlank @Size(max = 16) String role,
                                  @Size(max = 32) String programme) {
    }

    /** {@code PUT /admin/staff/{email}}. */
    public record AppointRequest(@NotBlank @Size(max = 16) String role, @Size(max = 32) String programme) {
    }

    /** {@code POST /admin/staff/{email}/password}. */
    public record PasswordRequest(@NotBlank @Size(min = 8, max = 200, message = "is 8 to 200 characters")
                                  String password) {
    }
}
