package org.loyaltyengine.engine.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.loyaltyengine.engine.application.BusyRetry;
import org.loyaltyengine.engine.application.LoginService;

/** Logging in: customers, managers and auditors exchange their email and password for a bearer token. */
@RequestScoped
@Path("auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    LoginService login;

    @Inject
    org.loyaltyengine.engine.application.SelfService self;

    @POST
    @Path("login")
    @Operation(summary = "Log in", description = "Returns a bearer token for the /me and /admin calls.")
    public LoginService.Token login(@Valid @NotNull LoginRequest request) {
        return login.login(request.email(), request.password());
    }

    @POST
    @Path("register")
    @Operation(summary = "Join a programme: a new member with a new card, signed in at once")
    public jakarta.ws.rs.core.Response register(@Valid @NotNull RegisterRequest request) {
        String programme = request.programme() == null ? "DEMO" : request.programme();
        if (request.cardNumber() != null) {
            // A member enrolled at the desk (or by an import) signs up with the card they were given.
            return jakarta.ws.rs.core.Response.status(201).entity(BusyRetry.call(() -> self.activate(programme,
                    request.email(), request.password(), request.lastName(), request.cardNumber()))).build();
        }
        return jakarta.ws.rs.core.Response.status(201).entity(BusyRetry.call(() -> self.register(programme,
                request.email(), request.password(), request.firstName(), request.lastName(), request.birthDate())))
                .build();
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
