package org.loyaltyengine.engine.api;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.loyaltyengine.engine.application.LedgerPage;
import org.loyaltyengine.engine.application.MemberAccountService;
import org.loyaltyengine.engine.application.MemberOverview;

/** A customer's own account; the member is the one the token names, never one given in the request. */
@RequestScoped
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
public class MeResource {

    @Inject
    MemberAccountService accounts;

    @Context
    HttpServletRequest request;

    @GET
    @Operation(summary = "The member: cards, tier and progress, available, pending and expiring points")
    public MemberOverview me() {
        return accounts.overview(memberId());
    }

    @GET
    @Path("transactions")
    @Operation(summary = "The member's ledger, newest first")
    public LedgerPage transactions(@QueryParam("page") @DefaultValue("0") int page,
                                   @QueryParam("size") @DefaultValue("20") int size) {
        return accounts.history(memberId(), page, size);
    }

    private String memberId() {
        return AccessFilter.callerOf(request).memberPublicId();
    }
}
