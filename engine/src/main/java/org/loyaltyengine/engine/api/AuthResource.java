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
import org.loyaltyengine.engine.application.LoginService;

/** Logging in: customers, managers and auditors exchange their email and password for a bearer token. */
@RequestScoped
@Path("auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    LoginService login;

    @POST
    @Path("login")
    @Operation(summary = "Log in", description = "Returns a bearer token for the /me and /admin calls.")
    public LoginService.Token login(@Valid @NotNull LoginRequest request) {
        return login.login(request.email(), request.password());
    }
}
