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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
import org.loyaltyengine.engine.application.LedgerPage;
import org.loyaltyengine.engine.application.MemberAdministration;
import org.loyaltyengine.engine.application.PasswordResets;
import org.loyaltyengine.engine.application.SaleOutcome;
import org.loyaltyengine.engine.application.Staff;
import org.loyaltyengine.engine.application.StaffRedemptions;
import org.loyaltyengine.engine.domain.ledger.Channel;

/** Members as staff handle them: look up, issue cards, merge duplicates, adjust points, cancel redemptions, audit. */
@RequestScoped
@Path("admin/members")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@CalledBy(Callers.MANAGERS)
public class AdminMembersResource {

    @Inject
    MemberAdministration members;

    @Inject
    PasswordResets resets;

    @Inject
    StaffRedemptions staffRedemptions;

    @Context
    HttpServletRequest request;

    @GET
    @Path("{memberId}")
    @Operation(summary = "A member's record: account, cards, status")
    public MemberAdministration.MemberRecord get(@PathParam("memberId") String memberId) {
        return members.view(StaffCaller.of(request), memberId);
    }

    @GET
    @Path("{memberId}/transactions")
    @Operation(summary = "The member's ledger with who made each change, newest first")
    public LedgerPage transactions(@PathParam("memberId") String memberId,
                                   @QueryParam("page") @DefaultValue("0") int page,
                                   @QueryParam("size") @DefaultValue("20") int size) {
        return members.history(StaffCaller.of(request), memberId, page, size);
    }

    @GET
    @Path("{memberId}/sales")
    @Operation(summary = "The member's purchases with what the till was answered, newest first; a sale that earned"
            + " nothing is here, not in the ledger")
    public MemberAdministration.SalesPage sales(@PathParam("memberId") String memberId,
                                                @QueryParam("page") @DefaultValue("0") int page,
                                                @QueryParam("size") @DefaultValue("20") int size) {
        return members.sales(StaffCaller.of(request), memberId, page, size);
    }

    @GET
    @Path("{memberId}/redemptions")
    @Operation(summary = "The member's redemptions (and its merged duplicates'), newest first: a cancelled one says"
            + " when, by which till or staff member, and why")
    public StaffRedemptions.RedemptionsPage redemptions(@PathParam("memberId") String memberId,
                                                       @QueryParam("page") @DefaultValue("0") int page,
                                                       @QueryParam("size") @DefaultValue("20") int size) {
        return staffRedemptions.list(StaffCaller.of(request), memberId, page, size);
    }

    @POST
    @Path("{memberId}/redemptions/{redemptionId}/cancel")
    @Operation(summary = "Cancel a redemption of the member from the back office, with a reason: at any store's and"
            + " after the till's 30 days; its points come back in their lots, with their dates, and its reward to the"
            + " stock. 201, then 200 with the same answer when asked again (or when a till cancelled it first)")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Cancelled", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "RedemptionCancelResult"))),
            @APIResponse(responseCode = "200", description = "Cancelled already: the first answer, nothing given"
                    + " twice", content = @Content(mediaType = "application/json",
                    schema = @Schema(ref = "RedemptionCancelResult"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response cancelRedemption(@PathParam("memberId") String memberId,
                                     @PathParam("redemptionId") String redemptionId,
                                     @Valid @NotNull Requests.StaffCancelRequest body) {
        Staff staff = StaffCaller.of(request, "CALL_CENTRE".equals(body.channel()) ? Channel.CALL_CENTRE
                : Channel.ADMIN);
        // Run again like a till's cancellation when the database gave it up: one whose commit went through is then
        // found cancelled, and answered as such.
        SaleOutcome outcome = BusyRetry.callIdempotent(() -> staffRedemptions.cancel(staff, memberId,
                redemptionId.strip(), body.reason()));
        return Response.status(outcome.replay() ? Response.Status.OK : Response.Status.CREATED)
                .entity(outcome.json()).build();
    }

    @GET
    @Path("{memberId}/knowledge")
    @Operation(summary = "The member's scores, segment, average basket, favourite category and attrition risk")
    public MemberAdministration.Knowledge knowledge(@PathParam("memberId") String memberId) {
        return members.knowledge(StaffCaller.of(request), memberId);
    }

    @PUT
    @Path("{memberId}/contact")
    @Operation(summary = "Change a member's postal address, consent per channel (email, SMS, post) or flag an"
            + " address undeliverable; omitted fields stay as they are")
    public MemberAdministration.Contact contact(@PathParam("memberId") String memberId,
                                                @NotNull
                                                MemberAdministration.Contact body) {
        Staff staff = StaffCaller.of(request);
        return BusyRetry.call(() -> members.contact(staff, memberId, body));
    }

    @GET
    @Path("{memberId}/audit")
    @Operation(summary = "Administrative actions on the member, newest first")
    public List<MemberAdministration.AuditLine> audit(@PathParam("memberId") String memberId) {
        return members.audit(StaffCaller.of(request), memberId);
    }

    @GET
    @Path("{memberId}/ledger-check")
    @Operation(summary = "Check that the member's lots and debt agree with the ledger's entries")
    public MemberAdministration.LedgerCheck check(@PathParam("memberId") String memberId) {
        return members.check(StaffCaller.of(request), memberId);
    }

    @POST
    @Path("{memberId}/cards")
    @Operation(summary = "Issue one more card to the member")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Issued", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "CardView"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response issueCard(@PathParam("memberId") String memberId, @Valid Requests.IssueCardRequest body) {
        Staff staff = StaffCaller.of(request);
        String handedOver = body == null ? null : body.cardNumber();
        return Response.status(Response.Status.CREATED)
                .entity(BusyRetry.call(() -> members.issueCard(staff, memberId, handedOver))).build();
    }

    @POST
    @Path("{memberId}/password-reset")
    @Operation(summary = "Issue a one-time code with which the member sets a new password online",
            description = "For a customer who forgot their password, once the desk has checked who they are. The"
                    + " code is valid for 30 minutes and replaces any issued before; it is given here only. A lock"
                    + " after wrong passwords ends. Body {} or, for a member a merge left with several sign-ins,"
                    + " {\"email\"} naming one (409 several_online_accounts otherwise).")
    public Response issuePasswordReset(@PathParam("memberId") String memberId,
                                       @Valid Requests.ResetCodeRequest body) {
        Staff staff = StaffCaller.of(request);
        String email = body == null ? null : body.email();
        return Response.status(Response.Status.CREATED)
                .entity(BusyRetry.call(() -> resets.issue(staff, memberId, email))).build();
    }

    @POST
    @Path("{memberId}/merge")
    @Operation(summary = "Merge a duplicate member (from) into this one: points, cards and sign-ins move")
    public MemberAdministration.Merged merge(@PathParam("memberId") String memberId,
                                             @Valid @NotNull Requests.MergeRequest body) {
        Staff staff = StaffCaller.of(request);
        String from = body.from().strip();
        return BusyRetry.call(() -> members.merge(staff, memberId, from));
    }

    @POST
    @Path("{memberId}/tier")
    @Operation(summary = "Put the member in a tier by hand, up or down, with a reason (a tier reached by mistake);"
            + " the answer says which tier their qualifying points reach, which their next purchase brings back")
    public MemberAdministration.TierSet setTier(@PathParam("memberId") String memberId,
                                                @Valid @NotNull Requests.TierSetRequest body) {
        Staff staff = StaffCaller.of(request);
        return BusyRetry.call(() -> members.setTier(staff, memberId, body.tier(), body.reason()));
    }

    @POST
    @Path("{memberId}/adjustments")
    @Operation(summary = "Credit or debit points by hand, with a reason; Idempotency-Key makes a retry safe")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Recorded", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "Adjusted"))),
            @APIResponse(responseCode = "200", description = "A replay of the Idempotency-Key: the first answer",
                    content = @Content(mediaType = "application/json",
                            schema = @Schema(ref = "Adjusted"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response adjust(@PathParam("memberId") String memberId,
                           @HeaderParam("Idempotency-Key") String idempotencyKey,
                           @Valid @NotNull Requests.AdjustmentRequest body) {
        if (idempotencyKey != null && idempotencyKey.length() > 80) {
            // Checked here rather than by @Size, whose violation names no field of the body: it was answered as
            // "The request body is required".
            throw org.loyaltyengine.engine.domain.DomainException.invalid("Idempotency-Key", "The Idempotency-Key"
                    + " header is at most 80 characters; this one has " + idempotencyKey.length());
        }
        if (body.points() == 0) {
            throw org.loyaltyengine.engine.domain.DomainException.invalid("points",
                    "An adjustment of zero points changes nothing");
        }
        if (body.points() < 0 && Boolean.TRUE.equals(body.qualifying()) && body.reverses() == null) {
            // Taken silently as a plain debit before: the manager believed the tier standing corrected.
            throw org.loyaltyengine.engine.domain.DomainException.invalid("qualifying", "A debit does not count"
                    + " towards tiers: dated now, it would stay in the tier window after the credit it undoes left"
                    + " it. To undo a qualifying credit made by mistake, send \"reverses\": its entryId");
        }
        Channel channel = "CALL_CENTRE".equals(body.channel()) ? Channel.CALL_CENTRE : Channel.ADMIN;
        Staff staff = StaffCaller.of(request, channel);
        MemberAdministration.Adjustment adjustment = new MemberAdministration.Adjustment(body.points(),
                body.reason(), Boolean.TRUE.equals(body.qualifying()), Boolean.TRUE.equals(body.allowNegative()),
                body.reverses());
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.strip();
        // With a key, an adjustment sent again is answered as the first one: it may then run again after a lost
        // database connection too, like a sale.
        java.util.function.Supplier<MemberAdministration.Adjusted> adjust = () -> members.adjust(staff, memberId,
                adjustment, key);
        MemberAdministration.Adjusted adjusted = key == null ? BusyRetry.call(adjust)
                : BusyRetry.callIdempotent(adjust);
        return Response.status(adjusted.replay() ? Response.Status.OK : Response.Status.CREATED)
                .entity(adjusted).build();
    }
}
