package org.loyaltyengine.engine.api;

import java.net.URI;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * API.md names the operations endpoints {@code GET /health}, {@code /metrics} and {@code /openapi} beside a base
 * path of {@code /api/v1}: they are served at the server's root, by Payara, and a client that puts the base path
 * before them is sent there (307, its query kept).
 */
@ApplicationScoped
@Path("")
@CalledBy(Callers.ANYONE)
public class OperationsAliases {

    @GET
    @Path("{endpoint: health|health/live|health/ready|health/started|metrics|openapi}")
    @Operation(summary = "The operations endpoints are at the root: /health, /metrics, /openapi (307 there)")
    @APIResponse(responseCode = "307", description = "The same endpoint at the root, its query kept (Location)")
    public Response atTheRoot(@Context UriInfo uri) {
        String path = uri.getPathParameters().getFirst("endpoint");
        String query = uri.getRequestUri().getRawQuery();
        return Response.temporaryRedirect(URI.create("/" + path + (query == null ? "" : "?" + query))).build();
    }
}
