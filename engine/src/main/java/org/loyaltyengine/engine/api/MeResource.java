package org.loyaltyengine.engine.api;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
import org.loyaltyengine.engine.application.CardBarcode;
import org.loyaltyengine.engine.application.CardSummary;
import org.loyaltyengine.engine.application.ClaimService;
import org.loyaltyengine.engine.application.LedgerPage;
import org.loyaltyengine.engine.application.LoginService;
import org.loyaltyengine.engine.application.MemberAccountService;
import org.loyaltyengine.engine.application.MemberExport;
import org.loyaltyengine.engine.application.MemberOverview;
import org.loyaltyengine.engine.application.PasswordService;

/** A customer's own account; the member is the one the token names, never one given in the request. */
@RequestScoped
@Path("me")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@CalledBy(Callers.CUSTOMERS)
public class MeResource {

    @Inject
    MemberAccountService accounts;

    @Inject
    CardBarcode barcodes;

    @Inject
    ClaimService claims;

    @Inject
    MemberExport export;

    @Inject
    org.loyaltyengine.engine.application.OfferService offers;

    @Inject
    org.loyaltyengine.engine.application.SelfService selfService;

    @Inject
    PasswordService passwords;

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

    @GET
    @Path("offers")
    @Operation(summary = "The member's personalised offers")
    public List<CardSummary.OfferSummary> offers() {
        return offers.summaries(memberId());
    }

    @GET
    @Path("rewards")
    @Operation(summary = "What the member's points buy: a point's value and the programme's rewards today, each said"
            + " whether the member can take it now")
    public MemberAccountService.Rewards rewards() {
        return accounts.rewards(memberId());
    }

    @GET
    @Path("consents")
    @Operation(summary = "What the member agreed to receive campaigns by: email, SMS, post")
    public MemberAccountService.Consents consents() {
        return accounts.consents(memberId());
    }

    /** {@code PUT /me/consents}. */
    public record ConsentsRequest(Boolean email, Boolean sms, Boolean post) {
    }

    @jakarta.ws.rs.PUT
    @Path("consents")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Give or withdraw consent per channel; omitted channels stay as they are")
    public MemberAccountService.Consents consent(@NotNull ConsentsRequest body) {
        return accounts.consent(memberId(), body.email(), body.sms(), body.post());
    }

    @GET
    @Path("card.png")
    @Produces("image/png")
    @Operation(summary = "The member's card as a barcode image: QR_CODE (default), CODE_128 or EAN_13")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "The card's barcode",
                    content = @Content(mediaType = "image/png")),
            @APIResponse(responseCode = "default", description = ApiError.FOR_THE_CUSTOMER, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response card(@QueryParam("format") @DefaultValue("QR_CODE") String format,
                         @QueryParam("card") String cardNumber) {
        byte[] png = barcodes.png(memberId(), cardNumber, CardBarcode.Format.parse(format));
        // Not kept by the browser: after a sign-out on a shared computer, or once the card is blocked, the next
        // visitor must not be shown the member's card from the cache.
        return Response.ok(png, "image/png").header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("claims")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Claim the points of a purchase that earned none")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Filed", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "ClaimView"))),
            @APIResponse(responseCode = "default", description = ApiError.FOR_THE_CUSTOMER, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response claim(@Valid @NotNull Requests.ClaimRequest claim) {
        String memberId = memberId();
        return Response.status(Response.Status.CREATED).entity(BusyRetry.call(() -> claims.file(memberId,
                claim.storeId().strip(), claim.receiptId().strip(), claim.occurredAt().toInstant(), claim.total())))
                .build();
    }

    @GET
    @Path("stores")
    @Operation(summary = "The stores of the member's programme, by name: the one a claim names is picked here")
    public List<ClaimService.StoreChoice> stores() {
        return claims.stores(memberId());
    }

    @GET
    @Path("claims")
    @Operation(summary = "The member's missing-points claims, newest first")
    public List<ClaimService.ClaimView> claims() {
        return claims.ofMember(memberId());
    }

    @GET
    @Path("export")
    @Operation(summary = "Everything held about the member (right of access)")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Everything held about the member", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Export"))),
            @APIResponse(responseCode = "default", description = ApiError.FOR_THE_CUSTOMER, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response export() {
        return Response.ok(export.export(memberId()))
                .header("Content-Disposition", "attachment; filename=\"loyalty-export.json\"").build();
    }

    /**
     * {@code POST /me/close}: what the customer site calls. Payara's HTTP/1.1 listener refuses a DELETE with a body
     * (a bare 400 before the application sees it), so browsers and curl cannot use {@code DELETE /me}.
     */
    @POST
    @Path("close")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Close my account: personal data erased, the ledger's totals kept")
    @APIResponses({
            @APIResponse(responseCode = "204", description = "Closed"),
            @APIResponse(responseCode = "default", description = ApiError.FOR_THE_CUSTOMER, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response closeByPost(@Valid @NotNull CloseRequest body) {
        return close(body);
    }

    /** {@code DELETE /me}, kept for the clients that reach it (over HTTP/2); the same as {@code POST /me/close}. */
    @jakarta.ws.rs.DELETE
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Close my account (as POST /me/close; a DELETE with a body fails over HTTP/1.1)")
    public Response close(@Valid @NotNull CloseRequest body) {
        selfService.close(memberId(), AccessFilter.callerOf(request).name(), body.password());
        return Response.noContent().build();
    }

    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change my password", description = "Needs the current password. Every session signed in"
            + " before ends, this one included: the answer is the token of a new session, to use from now on."
            + " A wrong current password (403 invalid_credentials) changes nothing and counts as a failed sign-in.")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "Changed: the token of a new session", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Token"))),
            @APIResponse(responseCode = "default", description = ApiError.PASSWORD_CHANGE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public LoginService.Token changePassword(@Valid @NotNull Requests.PasswordChangeRequest body) {
        return passwords.change(AccessFilter.callerOf(request).name(), body.currentPassword(), body.newPassword());
    }

    /** {@code POST /me/close} and {@code DELETE /me}: the password confirms it. */
    public record CloseRequest(@jakarta.validation.constraints.NotBlank String password) {
    }

    private String memberId() {
        return AccessFilter.callerOf(request).memberPublicId();
    }
}
