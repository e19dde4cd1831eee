package org.loyaltyengine.engine.api;

import java.util.List;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
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
import org.loyaltyengine.engine.application.ClaimService;
import org.loyaltyengine.engine.application.ExpiryService;
import org.loyaltyengine.engine.application.StaffRuns;
import org.loyaltyengine.engine.application.MemberAdministration;
import org.loyaltyengine.engine.application.ProgrammeAdministration;
import org.loyaltyengine.engine.application.ProgrammeReports;
import org.loyaltyengine.engine.application.Staff;
import org.loyaltyengine.engine.application.TierReviewService;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.claim.ClaimStatus;
import org.loyaltyengine.engine.infrastructure.rules.RuleSetRegistry;

/** Programmes and what belongs to them: tiers, rewards, tills' keys, members, claims, the expiry of points. */
@RequestScoped
@Path("admin/programmes")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@CalledBy(Callers.MANAGERS)
public class AdminProgrammesResource {

    @Inject
    ProgrammeAdministration programmes;

    @Inject
    StaffRuns runs;

    @Inject
    MemberAdministration members;

    @Inject
    ClaimService claims;

    @Inject
    ExpiryService expiry;

    @Inject
    RuleSetRegistry ruleSets;

    @Inject
    TierReviewService reviews;

    @Inject
    org.loyaltyengine.engine.application.ProgrammeReports reports;

    @Context
    HttpServletRequest request;

    @POST
    @CalledBy(Callers.MANAGERS_OF_EVERY_PROGRAMME)
    @Operation(summary = "Create a programme, with an entry tier and starter rules (1 point per whole unit)")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Created", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "ProgrammeView"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response create(@Valid @NotNull Requests.ProgrammeRequest body) {
        ProgrammeAdministration.ProgrammeView created = programmes.create(staff(), new ProgrammeAdministration
                .NewProgramme(body.code(), body.name(), body.currency(), body.pointsExpireAfterDays(),
                body.pendingDays(), body.pointValue(), body.tierWindowDays(), body.timeZone(), body.entryTier(),
                body.maxSaleTotal()));
        ruleSets.follow();
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @Operation(summary = "The programmes the caller manages")
    public List<ProgrammeAdministration.ProgrammeView> list() {
        return programmes.list(staff());
    }

    @DELETE
    @Path("{code}")
    @Operation(summary = "Delete a programme nobody has joined yet (administrators): its rule sets, tiers, rewards,"
            + " offers and tills' keys go with it, and its code is free again")
    @APIResponses({
            @APIResponse(responseCode = "204", description = "Deleted"),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response delete(@PathParam("code") String code) {
        if (!AccessFilter.callerOf(request).has(org.loyaltyengine.engine.domain.access.Role.ADMIN)) {
            throw DomainException.forbidden("forbidden", "Only an administrator deletes programmes");
        }
        programmes.delete(staff(), code);
        ruleSets.follow();
        return Response.noContent().build();
    }

    @GET
    @Path("{code}")
    @Operation(summary = "A programme's terms and tiers")
    public ProgrammeAdministration.ProgrammeView get(@PathParam("code") String code) {
        return programmes.get(staff(), code);
    }

    @POST
    @Path("{code}/tiers")
    @Operation(summary = "Add a tier above the top tier")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Added", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "ProgrammeView"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response addTier(@PathParam("code") String code, @Valid @NotNull Requests.TierRequest body) {
        return Response.status(Response.Status.CREATED).entity(programmes.addTier(staff(), code, body.code(),
                body.name() == null ? body.code() : body.name(), body.minimumPoints(), body.benefits())).build();
    }

    @PUT
    @Path("{code}/tiers/{tier}")
    @Operation(summary = "Rename a tier, move its threshold (kept between the tiers below and above) or change its"
            + " benefits; members move on their next purchase (up) or yearly review (down)")
    public ProgrammeAdministration.ProgrammeView editTier(@PathParam("code") String code,
                                                         @PathParam("tier") String tier,
                                                         @Valid @NotNull TierEdit body) {
        return programmes.editTier(staff(), code, tier, body.name(), body.minimumPoints(), body.benefits());
    }

    @PUT
    @Path("{code}/rewards/{rewardId}")
    @Operation(summary = "Change a reward's name, price, tier, stock and days: a field left out stays as it is, a"
            + " field sent as null is cleared (tier: every member; stock: unlimited; a day: no limit)")
    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = RewardEdit.class)))
    public ProgrammeAdministration.RewardView editReward(@PathParam("code") String code,
                                                        @PathParam("rewardId") String rewardId, String text) {
        Staff staff = staff();
        jakarta.json.JsonObject body = RewardFields.object(text);
        ProgrammeAdministration.RewardView was = programmes.rewards(staff, code).stream()
                .filter(reward -> reward.rewardId().equals(rewardId)).findFirst()
                .orElseThrow(() -> DomainException.notFound("reward_not_found", "Programme " + code
                        + " has no reward " + rewardId));
        RewardFields fields = new RewardFields(body);
        // A stock not sent is the stock as read, and said so (stockWas): redemptions made between the read and the
        // edit's lock keep what they took, whatever stockWas the caller sent with no stock.
        boolean stockSent = body.containsKey("stock");
        Long stockWas = stockSent ? fields.count("stockWas", 0, Long.MAX_VALUE, null) : was.stock();
        return programmes.editReward(staff, code, rewardId, new ProgrammeAdministration.NewReward(rewardId,
                fields.name(was.name()), fields.points(was.points()), fields.text("tier", 32, was.tier()),
                fields.count("stock", 0, ProgrammeAdministration.MAX_STOCK, was.stock()),
                fields.day("validFrom", was.validFrom()), fields.day("validUntil", was.validUntil())), stockWas);
    }

    /** {@code PUT /admin/programmes/{code}/tiers/{tier}}: a null name or benefits keeps them. */
    public record TierEdit(@Size(max = 100) String name,
                           @NotNull @PositiveOrZero @Max(ProgrammeAdministration.MAX_TIER_POINTS) Long minimumPoints,
                           @Size(max = 500) String benefits) {
    }

    /**
     * {@code PUT /admin/programmes/{code}/rewards/{rewardId}}, as the served OpenAPI document shows it: any of the
     * fields (one left out stays as it is, one sent as null is cleared; {@link RewardFields} reads and checks them),
     * and optionally the stock the editor read ({@code stockWas}), so that redemptions made since are not undone.
     */
    public record RewardEdit(@Size(min = 1, max = 200) String name,
                             @Positive @Max(ProgrammeAdministration.MAX_REWARD_PRICE) Long points,
                             @Size(max = 32) String tier,
                             @PositiveOrZero @Max(ProgrammeAdministration.MAX_STOCK) Long stock,
                             java.time.LocalDate validFrom,
                             java.time.LocalDate validUntil,
                             @PositiveOrZero Long stockWas) {
    }

    @POST
    @Path("{code}/rewards")
    @Operation(summary = "Add a reward: points price, optional minimum tier and stock")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Added", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "RewardView"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response addReward(@PathParam("code") String code, @Valid @NotNull Requests.RewardRequest body) {
        return Response.status(Response.Status.CREATED).entity(programmes.addReward(staff(), code,
                new ProgrammeAdministration.NewReward(body.rewardId(), body.name(), body.points(), body.tier(),
                        body.stock(), body.validFrom(), body.validUntil()))).build();
    }

    @GET
    @Path("{code}/rewards")
    @Operation(summary = "The programme's rewards")
    public List<ProgrammeAdministration.RewardView> rewards(@PathParam("code") String code) {
        return programmes.rewards(staff(), code);
    }

    @POST
    @Path("{code}/pos-keys")
    @Operation(summary = "Issue a POS key for one store; the key is shown in this answer only")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Issued: the key is shown this once", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "IssuedKey"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response issueKey(@PathParam("code") String code, @Valid @NotNull Requests.PosKeyRequest body) {
        return Response.status(Response.Status.CREATED)
                .entity(programmes.issuePosKey(staff(), code, body.storeId(), body.label())).build();
    }

    @POST
    @Path("{code}/members")
    @Operation(summary = "Enrol a member with a newly issued card")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Enrolled, with a newly issued card", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "Enrolled"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response enrol(@PathParam("code") String code, @Valid @NotNull Requests.MemberRequest body) {
        Staff staff = staff();
        MemberAdministration.NewMember member = new MemberAdministration.NewMember(body.email(), body.firstName(),
                body.lastName(), body.birthDate(), body.password(), body.cardNumber(), body.phone());
        return Response.status(Response.Status.CREATED)
                .entity(BusyRetry.call(() -> members.enrol(staff, code, member))).build();
    }

    @GET
    @Path("{code}/members")
    @Operation(summary = "Find a member by email or card number")
    public MemberAdministration.MemberRecord find(@PathParam("code") String code, @QueryParam("email") String email,
                                                  @QueryParam("card") String card) {
        return members.find(staff(), code, email, card);
    }

    @GET
    @Path("{code}/members/search")
    @Operation(summary = "Members whose name or email starts with the text")
    public List<MemberAdministration.MemberSummary> search(@PathParam("code") String code,
                                                           @QueryParam("name") String name) {
        if (name == null) {
            throw DomainException.invalid("name", "Give ?name=");
        }
        return members.searchByName(staff(), code, name);
    }

    @PUT
    @Path("{code}")
    @Operation(summary = "Edit a programme's name, expiry and pending days, point value, tier window, time zone and"
            + " the most one sale may come to (maxSaleTotal; 0: no limit, absent: unchanged); its currency while it"
            + " holds no sale, claim or offer with a minimum spend")
    public ProgrammeAdministration.ProgrammeView edit(@PathParam("code") String code,
                                                      @Valid @NotNull Requests.ProgrammeEdit body) {
        return programmes.edit(staff(), code, new ProgrammeAdministration.Terms(body.name(),
                body.pointsExpireAfterDays(), body.pendingDays(), body.pointValue(), body.tierWindowDays(),
                body.currency(), body.timeZone(), body.maxSaleTotal()));
    }

    @GET
    @Path("{code}/claims")
    @Operation(summary = "Missing-points claims, oldest first; status OPEN, APPROVED or REJECTED")
    public List<ClaimService.ClaimView> claims(@PathParam("code") String code, @QueryParam("status") String status,
                                               @QueryParam("page") @DefaultValue("0") int page,
                                               @QueryParam("size") @DefaultValue("50") int size) {
        ClaimStatus wanted = null;
        if (status != null) {
            try {
                wanted = ClaimStatus.valueOf(status.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid("status", "status is OPEN, APPROVED or REJECTED");
            }
        }
        return claims.inProgramme(staff(), code, wanted, page, size);
    }

    @POST
    @Path("{code}/expiry")
    @Operation(summary = "Expire the points due by a day (today by default): idempotent, for catch-up; a later day"
            + " only with \"bringForward\": true")
    public ExpiryService.Summary expire(@PathParam("code") String code, @Valid Requests.ExpiryRequest body) {
        staff().requireManages(code);
        return expiry.runForStaff(code, body == null ? null : body.asOf(),
                body != null && Boolean.TRUE.equals(body.bringForward()), staff().name());
    }

    @POST
    @Path("{code}/tier-review")
    @Operation(summary = "Run the yearly tier review of the members whose anniversary is the day (today by default)")
    public TierReviewService.Summary review(@PathParam("code") String code, @Valid Requests.ExpiryRequest body) {
        staff().requireManages(code);
        TierReviewService.Summary review = reviews.review(code, body == null ? null : body.asOf(), staff().name());
        runs.record(staff().name(), "TIER_REVIEW_RUN", code, StaffRuns.said(review));
        return review;
    }

    @GET
    @Path("{code}/stores")
    @Operation(summary = "The programme's stores by name, with how many of their tills' keys work")
    public List<ProgrammeAdministration.StoreView> stores(@PathParam("code") String code) {
        return programmes.stores(staff(), code);
    }

    @PUT
    @Path("{code}/stores/{storeId}")
    @Operation(summary = "Name a store (added if its tills have no key yet): customers pick it by name in a claim")
    public ProgrammeAdministration.StoreView nameStore(@PathParam("code") String code,
                                                       @PathParam("storeId") String storeId,
                                                       @Valid @NotNull Requests.StoreRequest body) {
        if (storeId.strip().length() > 32) {
            throw DomainException.invalid("storeId", "A store's number is 32 characters at most");
        }
        return programmes.nameStore(staff(), code, storeId, body.name());
    }

    @GET
    @Path("{code}/pos-keys")
    @Operation(summary = "The programme's POS keys per store (the keys themselves are never shown again)")
    public List<ProgrammeAdministration.PosKeyView> posKeys(@PathParam("code") String code) {
        return programmes.posKeys(staff(), code);
    }

    @POST
    @Path("{code}/pos-keys/{keyId}/revoke")
    @Operation(summary = "Revoke a POS key: its tills are refused from the next call on")
    public ProgrammeAdministration.PosKeyView revokeKey(@PathParam("code") String code,
                                                       @PathParam("keyId") long keyId) {
        return programmes.revokePosKey(staff(), code, keyId);
    }

    @GET
    @Path("{code}/reports/dashboard")
    @Operation(summary = "Members, points issued and redeemed per week, outstanding points and liability")
    public ProgrammeReports.Dashboard dashboard(@PathParam("code") String code,
                                                @QueryParam("weeks") @DefaultValue("12") int weeks) {
        return reports.dashboard(staff(), code, weeks);
    }

    @GET
    @Path("{code}/reports/weekly.csv")
    @Produces("text/csv")
    @Operation(summary = "Points issued, redeemed and expired per week, as CSV")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "One line a week",
                    content = @Content(mediaType = "text/csv")),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response weeklyCsv(@PathParam("code") String code, @QueryParam("weeks") @DefaultValue("12") int weeks) {
        return Response.ok(ProgrammeReports.csv(reports.weeks(staff(), code, weeks)), "text/csv")
                .header("Content-Disposition", "attachment; filename=\"" + code + "-weekly.csv\"").build();
    }

    @GET
    @Path("{code}/audit")
    @Operation(summary = "Every administrative change in the programme, newest first")
    public List<MemberAdministration.AuditLine> audit(@PathParam("code") String code) {
        staff().requireManages(code);
        return members.programmeAudit(code);
    }

    private Staff staff() {
        return StaffCaller.of(request);
    }
}
