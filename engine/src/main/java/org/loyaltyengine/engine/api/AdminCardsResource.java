package org.loyaltyengine.engine.api;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import org.loyaltyengine.engine.application.ClaimService;
import org.loyaltyengine.engine.application.MemberAdministration;
import org.loyaltyengine.engine.application.SaleTimings;
import org.loyaltyengine.engine.application.Staff;

/**
 * Cards and claims as staff handle them (block, activate, replace; approve or reject missing-points claims), and
 * the engine's own timings.
 */
@RequestScoped
@Path("admin")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@CalledBy(Callers.MANAGERS)
public class AdminCardsResource {

    @Inject
    MemberAdministration members;

    @Inject
    ClaimService claims;

    @Inject
    SaleTimings timings;

    @Context
    HttpServletRequest request;

    @POST
    @Path("cards/{cardNumber}/block")
    @Operation(summary = "Block a lost or stolen card, with the reason")
    public MemberAdministration.CardView block(@PathParam("cardNumber") String cardNumber,
                                               @Valid @NotNull Requests.BlockRequest body) {
        Staff staff = StaffCaller.of(request);
        return BusyRetry.call(() -> members.block(staff, cardNumber, body.reason()));
    }

    @POST
    @Path("cards/{cardNumber}/activate")
    @Operation(summary = "Put a blocked card back into use")
    public MemberAdministration.CardView activate(@PathParam("cardNumber") String cardNumber) {
        Staff staff = StaffCaller.of(request);
        return BusyRetry.call(() -> members.activate(staff, cardNumber));
    }

    @POST
    @Path("cards/{cardNumber}/replace")
    @Operation(summary = "Replace a card: 201 with the new card, which keeps the account")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "The new card", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "CardView"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response replace(@PathParam("cardNumber") String cardNumber, @Valid Requests.ReplaceRequest body) {
        Staff staff = StaffCaller.of(request);
        String reason = body == null ? null : body.reason();
        String handedOver = body == null ? null : body.cardNumber();
        return Response.status(Response.Status.CREATED)
                .entity(BusyRetry.call(() -> members.replace(staff, cardNumber, reason, handedOver))).build();
    }

    @GET
    @Path("cards/{cardNumber}/barcode.png")
    @Produces("image/png")
    @Operation(summary = "The card's barcode to print: QR_CODE, CODE_128 or EAN_13 (default)")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "The card's barcode",
                    content = @Content(mediaType = "image/png")),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response barcode(@PathParam("cardNumber") String cardNumber,
                            @jakarta.ws.rs.QueryParam("format") @jakarta.ws.rs.DefaultValue("EAN_13") String format) {
        return Response.ok(members.cardImage(StaffCaller.of(request), cardNumber,
                org.loyaltyengine.engine.application.CardBarcode.Format.parse(format)), "image/png").build();
    }

    @GET
    @Path("cards/{cardNumber}/audit")
    @Operation(summary = "Administrative actions on the card, newest first")
    public List<MemberAdministration.AuditLine> audit(@PathParam("cardNumber") String cardNumber) {
        return members.audit(StaffCaller.of(request), cardNumber);
    }

    @GET
    @Path("engine/timings")
    @Operation(summary = "Average server time of a sale since start, and the rule engine's share of it")
    public SaleTimings.Snapshot timings() {
        return timings.snapshot();
    }

    @POST
    @Path("claims/{claimId}/resolve")
    @Operation(summary = "Approve a missing-points claim (crediting points) or reject it")
    public ClaimService.ClaimView resolve(@PathParam("claimId") String claimId,
                                          @Valid @NotNull Requests.ResolveClaimRequest body) {
        Staff staff = StaffCaller.of(request);
        return BusyRetry.call(() -> claims.resolve(staff, claimId, body.approve(), body.points(), body.note()));
    }
}
