package org.loyaltyengine.engine.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.loyaltyengine.engine.application.BusyRetry;
import org.loyaltyengine.engine.application.LoginService;
import org.loyaltyengine.engine.infrastructure.security.Credentials;

/**
 * Logging in and out: customers, managers and auditors exchange their email and password for a bearer token, and
 * end its session when they are done.
 */
@RequestScoped
@Path("auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@CalledBy(Callers.ANYONE)
public class AuthResource {

    @Inject
    LoginService login;

    @Inject
    org.loyaltyengine.engine.application.SelfService self;

    @Inject
    Credentials credentials;

    @Inject
    org.loyaltyengine.engine.application.PasswordResets resets;

    @POST
    @Path("login")
    @Operation(summary = "Log in", description = "Returns a bearer token for the /me and /admin calls.")
    public LoginService.Token login(@Valid @NotNull LoginRequest request) {
        return login.login(request.email(), request.password());
    }

    @POST
    @Path("logout")
    @CalledBy(Callers.SIGNED_IN)
    @Consumes(MediaType.WILDCARD)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Log out", description = "Ends the session of the bearer token: the token is refused (401)"
            + " from now on, by every instance of the engine (by the others within a few seconds). With"
            + " everywhere=true, every session of the account ends.")
    @APIResponses({
            @APIResponse(responseCode = "204", description = "Logged out"),
            @APIResponse(responseCode = "default", description = "Every error, in this shape: 401 (no token, or"
                    + " one whose session has ended already), 403 (a till's key)", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response logout(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @QueryParam("everywhere") @Parameter(description = "End every session of the account")
                           boolean everywhere) {
        // The access filter has checked that the header names an open session.
        login.logout(credentials.session(authorization).orElseThrow(
                () -> Credentials.unauthenticated("This call needs a bearer token")), everywhere);
        return Response.noContent().build();
    }

    @POST
    @Path("password-reset")
    @Operation(summary = "Set a new password with the one-time code the service desk issued",
            description = "Every session signed in before ends; the answer is the token of a new session. A wrong,"
                    + " used or expired code is 401 invalid_reset_code and counts as a failed sign-in.")
    public LoginService.Token resetPassword(@Valid @NotNull PasswordResetRequest request) {
        return resets.reset(request.email(), request.code(), request.newPassword());
    }

    @POST
    @Path("register")
    @Operation(summary = "Join a programme: a new member with a new card, signed in at once")
    public jakarta.ws.rs.core.Response register(@Valid @NotNull RegisterRequest request) {
        String programme = request.programme() == null ? "DEMO" : request.programme();
        if (request.cardNumber() != null) {
            // A member enrolled at the desk (or by an import) signs up with the card they were given.
            return jakarta.ws.rs.core.Response.status(201).entity(self.claimCard(programme, request.email(),
                    request.password(), request.lastName(), request.cardNumber())).build();
        }
        return jakarta.ws.rs.core.Response.status(201).entity(BusyRetry.call(() -> self.register(programme,
                request.email(), request.password(), request.firstName(), request.lastName(), request.birthDate())))
                .build();
    }

    /** {@code POST /auth/password-reset}: the code as the desk gave it (its dash and case do not matter). */
    public record PasswordResetRequest(@jakarta.validation.constraints.NotBlank
                                       @jakarta.validation.constraints.Size(max = 254) String email,
                                       @jakarta.validation.constraints.NotBlank
                                       @jakarta.validation.constraints.Size(max = 32) String code,
                                       @jakarta.validation.constraints.NotBlank
                                       @jakarta.validation.constraints.Size(min = 8, max = 200,
                                               message = "is 8 to 200 characters") String newPassword) {
    }

    /**
     * {@code POST /auth/register}; with {@code cardNumber}, the sign-up of a member who has a card already (enrolled
     * at the desk or imported): the email and last name must be those on file.
     */
    public record RegisterRequest(@jakarta.validation.constraints.Size(max = 32) String programme,
                                  @jakarta.validation.constraints.NotBlank @jakarta.validation.constraints.Email
                                  @jakarta.validation.constraints.Size(max = 254) String email,
                                  @jakarta.validation.constraints.NotBlank
                                  @jakarta.validation.constraints.Size(min = 8, max = 200,
                                          message = "is 8 to 200 characters") String password,
                                  @jakarta.validation.constraints.NotBlank
                                  @jakarta.validation.constraints.Size(max = 100) String firstName,
                                  @jakarta.validation.constraints.NotBlank
                                  @jakarta.validation.constraints.Size(max = 100) String lastName,
                                  @jakarta.validation.constraints.Past java.time.LocalDate birthDate,
                                  @jakarta.validation.constraints.Size(max = 32) String cardNumber) {
    }
}
