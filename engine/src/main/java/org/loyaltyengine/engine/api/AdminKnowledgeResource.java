package org.loyaltyengine.engine.api;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
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
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.loyaltyengine.engine.application.ConstraintViolations;
import org.loyaltyengine.engine.application.CustomerKnowledge;
import org.loyaltyengine.engine.application.KnowledgeReports;
import org.loyaltyengine.engine.application.MemberData;
import org.loyaltyengine.engine.application.OfferGrants;
import org.loyaltyengine.engine.application.OfferService;
import org.loyaltyengine.engine.application.Staff;
import org.loyaltyengine.engine.application.StaffRuns;
import org.loyaltyengine.engine.domain.DomainException;

/**
 * Customer knowledge of a programme: scores and segments, personal offers, the reports that measure them, and
 * clean member data (imports, duplicates, campaign exports).
 */
@RequestScoped
@Path("admin/programmes")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@CalledBy(Callers.MANAGERS)
public class AdminKnowledgeResource {

    @Inject
    CustomerKnowledge knowledge;

    @Inject
    OfferService offers;

    @Inject
    OfferGrants grants;

    @Inject
    KnowledgeReports reports;

    @Inject
    MemberData memberData;

    @Inject
    StaffRuns runs;

    @Context
    HttpServletRequest request;

    /** What {@code knowledge/recompute} did: the scores, then the offers the rules gave. */
    public record Recomputed(String programme, LocalDate asOf, int members, Map<String, Long> perSegment, long millis,
                             OfferGrants.Summary offers) {
    }

    @POST
    @Path("{code}/knowledge/recompute")
    @Operation(summary = "Recompute every member's recency, frequency, monetary scores, segment and attrition risk,"
            + " then give the offers the incentive rules choose")
    public Recomputed recompute(@PathParam("code") String code, @Valid Requests.ExpiryRequest body) {
        staff().requireManages(code);
        LocalDate asOf = body == null ? null : body.asOf();
        CustomerKnowledge.Summary scores = knowledge.recompute(code, asOf);
        // Today's offers, even when the programme's day changed while the scores were computed (its midnight fell
        // during a long run): the scores' day is gone, and asking for it was refused.
        OfferGrants.Summary given = grants.grant(code, null);
        runs.record(staff().name(), "KNOWLEDGE_RECOMPUTED", code, "Scores as of " + scores.asOf() + " of "
                + scores.members() + " member(s), per segment " + scores.perSegment() + "; then "
                + StaffRuns.said(given));
        return new Recomputed(scores.programme(), scores.asOf(), scores.members(), scores.perSegment(),
                scores.millis(), given);
    }

    @GET
    @Path("{code}/knowledge/settings")
    @Operation(summary = "The programme's segment definitions, new-member days and cap of open offers per member")
    public CustomerKnowledge.Settings settings(@PathParam("code") String code) {
        staff().requireManages(code);
        return knowledge.settings(code);
    }

    /** {@code PUT knowledge/settings}. */
    public record SettingsRequest(Integer maxOpenOffers, Integer newMemberDays, String segments) {
    }

    @PUT
    @Path("{code}/knowledge/settings")
    @Operation(summary = "Change the segment definitions (one 'name: R>=4 F>=3' per line, the last '*'),"
            + " new-member days and the cap of open offers")
    public CustomerKnowledge.Settings configure(@PathParam("code") String code, @NotNull SettingsRequest body) {
        return knowledge.configure(staff(), code, body.maxOpenOffers(), body.newMemberDays(), body.segments());
    }

    @GET
    @Path("{code}/offers")
    @Operation(summary = "The programme's offers, with how many members hold, used and were held out of each")
    public List<OfferService.OfferView> offers(@PathParam("code") String code) {
        staff().requireManages(code);
        return offers.list(code);
    }

    @POST
    @Path("{code}/offers")
    @Operation(summary = "Define an offer: BONUS_POINTS (points, minimumSpend) or CATEGORY_MULTIPLIER (multiplier,"
            + " category), valid for validDays once given, holdoutPercent of the chosen members as control group")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Defined", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "OfferView"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response defineOffer(@PathParam("code") String code, @NotNull OfferService.Definition body) {
        OfferService.OfferView offer = offers.define(staff(), code, body);
        return Response.created(URI.create("admin/programmes/" + code + "/offers/" + offer.code()))
                .entity(offer).build();
    }

    @POST
    @Path("{code}/offers/{offer}/withdraw")
    @Operation(summary = "Stop giving an offer; members who hold it keep it until its last day")
    public OfferService.OfferView withdraw(@PathParam("code") String code, @PathParam("offer") String offer) {
        return offers.setActive(staff(), code, offer, false);
    }

    @POST
    @Path("{code}/offers/{offer}/reinstate")
    @Operation(summary = "Give a withdrawn offer again")
    public OfferService.OfferView reinstate(@PathParam("code") String code, @PathParam("offer") String offer) {
        return offers.setActive(staff(), code, offer, true);
    }

    @POST
    @Path("{code}/offers/grant")
    @Operation(summary = "Give the offers the incentive rules choose, from the scores as last computed")
    public OfferGrants.Summary grant(@PathParam("code") String code, @Valid Requests.ExpiryRequest body) {
        staff().requireManages(code);
        OfferGrants.Summary given = grants.grant(code, body == null ? null : body.asOf());
        runs.record(staff().name(), "OFFERS_GRANTED", code, (body == null || body.asOf() == null ? ""
                : "As of " + body.asOf() + ": ") + StaffRuns.said(given));
        return given;
    }

    @GET
    @Path("{code}/reports/segments")
    @Operation(summary = "Members, visits, average basket and attrition risk per segment")
    public KnowledgeReports.Segments segments(@PathParam("code") String code) {
        staff().requireManages(code);
        return reports.segments(code);
    }

    @GET
    @Path("{code}/reports/migrations")
    @Operation(summary = "How many members moved from which segment to which between two days")
    public KnowledgeReports.Migrations migrations(@PathParam("code") String code, @QueryParam("from") String from,
                                                  @QueryParam("to") String to) {
        staff().requireManages(code);
        return reports.migrations(code, day("from", from), day("to", to));
    }

    @GET
    @Path("{code}/reports/attrition")
    @Operation(summary = "Members lost over a period against the members active at its start")
    public KnowledgeReports.Attrition attrition(@PathParam("code") String code, @QueryParam("from") String from,
                                                @QueryParam("to") String to) {
        staff().requireManages(code);
        return reports.attrition(code, day("from", from), day("to", to));
    }

    @GET
    @Path("{code}/reports/activity")
    @Operation(summary = "Repurchase rate, points issued, redeemed and expired, redemption rate and breakage over"
            + " a period")
    public KnowledgeReports.Activity activity(@PathParam("code") String code, @QueryParam("from") String from,
                                              @QueryParam("to") String to) {
        staff().requireManages(code);
        return reports.activity(code, day("from", from), day("to", to));
    }

    @GET
    @Path("{code}/reports/offers/{offer}")
    @Operation(summary = "An offer's response: members who got it and bought within its validity, against the"
            + " held-out members the same rules chose")
    public KnowledgeReports.OfferResponse offerResponse(@PathParam("code") String code,
                                                        @PathParam("offer") String offer) {
        staff().requireManages(code);
        return reports.offerResponse(code, offer);
    }

    @POST
    @LargeBody
    @Path("{code}/members/import")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Operation(summary = "Import members from CSV (header: email, firstName, lastName, birthDate, phone,"
            + " postalAddress, consentEmail, consentSms, consentPost); rejected rows are reported, and each member"
            + " enrolled with the card issued to them")
    public MemberData.ImportReport importMembers(@PathParam("code") String code, String csv) {
        return memberData.importCsv(staff(), code, csv);
    }

    @GET
    @Path("{code}/members/duplicates")
    @Operation(summary = "Candidate duplicate members to merge: same email, same or similar name with the same"
            + " birth date or phone")
    public List<MemberData.DuplicatePair> duplicates(@PathParam("code") String code) {
        return memberData.duplicates(staff(), code);
    }

    @GET
    @Path("{code}/campaigns/export.csv")
    @Produces("text/csv")
    @Operation(summary = "The members a campaign may reach on a channel (email, sms, post): consent given, address"
            + " deliverable; in a segment when one is given")
    @APIResponses({
            @APIResponse(responseCode = "200", description = "The members to reach",
                    content = @Content(mediaType = "text/csv")),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response campaign(@PathParam("code") String code, @QueryParam("segment") String segment,
                             @QueryParam("channel") String channel) {
        MemberData.CampaignList list = memberData.campaign(staff(), code, segment, channel == null ? "email" : channel);
        StreamingOutput csv = output -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), 64 * 1024);
            list.writeTo(writer);
        };
        return Response.ok(csv, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + code + "-campaign-"
                        + (channel == null ? "email" : channel) + ".csv\"")
                .build();
    }

    private static LocalDate day(String field, String value) {
        if (value == null || value.isBlank()) {
            throw DomainException.invalid(field, "A period needs " + field + " (YYYY-MM-DD)");
        }
        LocalDate day;
        try {
            day = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(field, "'" + value + "' is not a date (YYYY-MM-DD)");
        }
        // A valid ISO date ("-999999999-01-01") the period's arithmetic would take past the last day Java has (a 500).
        ConstraintViolations.requireKeptDay(day, field, "'" + value + "'");
        return day;
    }

    private Staff staff() {
        return StaffCaller.of(request);
    }
}
