package org.loyaltyengine.engine.api;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponses;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.loyaltyengine.engine.application.RuleSetAdministration;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.sale.Receipt;
import org.loyaltyengine.engine.domain.sale.SaleLine;
import org.loyaltyengine.engine.infrastructure.rules.RuleSetRegistry;

/** A programme's rule set: read, edit (as new draft versions), diff, simulate, publish, roll back. */
@RequestScoped
@Path("admin/programmes/{code}/rules")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
@CalledBy(Callers.MANAGERS)
public class AdminRulesResource {

    @Inject
    RuleSetAdministration rules;

    @Inject
    RuleSetRegistry registry;

    @Context
    HttpServletRequest request;

    @PathParam("code")
    String code;

    @GET
    @Operation(summary = "The rule set source: the live version, or ?version=n")
    public RuleSetAdministration.VersionView get(@QueryParam("version") Integer version) {
        return rules.get(StaffCaller.of(request), code, version);
    }

    @PUT
    @LargeBody
    @Operation(summary = "Store a new draft version (DRL files and CSV decision tables); 422 rules_invalid with"
            + " line and column of each error, the live set untouched")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Stored as a new draft version", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "VersionView"))),
            @APIResponse(responseCode = "default", description = ApiError.IN_THE_BACK_OFFICE, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response save(@Valid @NotNull RulesRequest body) {
        RuleSetAdministration.VersionView saved = rules.save(StaffCaller.of(request), code, body.files().stream()
                .map(file -> new RuleSetAdministration.FileContent(file.path().strip(), file.content())).toList(),
                body.comment(), body.openedOn());
        return Response.status(Response.Status.CREATED).entity(saved).build();
    }

    @GET
    @Path("versions")
    @Operation(summary = "Every version, newest first, with author, time, comment and status")
    public List<RuleSetAdministration.VersionView> versions() {
        return rules.versions(StaffCaller.of(request), code);
    }

    @GET
    @Path("history")
    @Operation(summary = "Publishes and rollbacks, newest first")
    public List<RuleSetAdministration.PublicationView> history() {
        return rules.history(StaffCaller.of(request), code);
    }

    @GET
    @Path("diff")
    @Operation(summary = "What changed from one version to another, file by file")
    public RuleSetAdministration.DiffView diff(@QueryParam("from") Integer from, @QueryParam("to") Integer to) {
        if (from == null || to == null) {
            throw DomainException.invalid(from == null ? "from" : "to", "Give the versions to compare: ?from=&to=");
        }
        return rules.diff(StaffCaller.of(request), code, from, to);
    }

    @POST
    @Path("publish")
    @Operation(summary = "Make a version live on every engine instance")
    public RuleSetAdministration.PublicationView publish(@Valid @NotNull PublishRequest body) {
        RuleSetAdministration.PublicationView published = rules.publish(StaffCaller.of(request), code,
                body.version(), body.comment(), Boolean.TRUE.equals(body.earnsNothing()),
                Boolean.TRUE.equals(body.replacesLive()));
        registry.published(code);
        return published;
    }

    @POST
    @Path("rollback")
    @Operation(summary = "Go back to the version live before the current one (or to the version given)")
    public RuleSetAdministration.PublicationView rollback(@Valid RollbackRequest body) {
        RuleSetAdministration.PublicationView live = rules.rollback(StaffCaller.of(request), code,
                body == null ? null : body.version(), body == null ? null : body.comment());
        registry.published(code);
        return live;
    }

    @POST
    @Path("simulate")
    @Operation(summary = "Points under a version against the live set, on given transactions or a replay of a"
            + " past period; writes nothing")
    public RuleSetAdministration.Simulation simulate(@Valid @NotNull SimulateRequest body) {
        List<RuleSetAdministration.SimulatedSale> sales = body.transactions() == null ? List.of()
                : body.transactions().stream().map(sale -> new RuleSetAdministration.SimulatedSale(new Receipt(
                        sale.storeId(), sale.terminalId(), sale.receiptId(), sale.cardNumber().strip(),
                        sale.occurredAt().toInstant(), sale.currency(), sale.lines().stream()
                        .map(line -> new SaleLine(line.sku().strip(), line.category().strip()
                                .toLowerCase(Locale.ROOT), line.quantity(), line.unitPrice())).toList()),
                        sale.occurredAt().getOffset(), sale.offerIds() == null ? List.of() : sale.offerIds()))
                .toList();
        return rules.simulate(StaffCaller.of(request), code, body.version(), sales,
                body.replayFrom() == null ? null : body.replayFrom().toInstant(),
                body.replayTo() == null ? null : body.replayTo().toInstant());
    }

    /**
     * {@code PUT /admin/programmes/{code}/rules}; {@code openedOn}: the version whose files were edited (the live one
     * when not given), so that publishing the new one while another version went live meanwhile is refused.
     */
    public record RulesRequest(@Size(max = 1000) String comment,
                               @NotEmpty @Size(max = 200) List<@NotNull @Valid RuleFileRequest> files,
                               @Positive Integer openedOn) {
    }

    /** One file of a rule set. */
    public record RuleFileRequest(@NotBlank @Size(max = 200) String path,
                                  @NotNull @Size(max = 200_000) String content) {
    }

    /**
     * {@code POST .../rules/publish}; {@code earnsNothing}: true to publish a version that earns no point on its
     * trial's sales, refused otherwise ({@code earns_nothing}); {@code replacesLive}: true to publish a version made
     * from another than the live one, refused otherwise ({@code draft_outdated}).
     */
    public record PublishRequest(@NotNull @Positive Integer version, @Size(max = 1000) String comment,
                                 Boolean earnsNothing, Boolean replacesLive) {
    }

    /** {@code POST .../rules/rollback}. */
    public record RollbackRequest(@Positive Integer version, @Size(max = 1000) String comment) {
    }

    /** {@code POST .../rules/simulate}. */
    public record SimulateRequest(@NotNull @Positive Integer version,
                                  @Size(max = 1000) List<@NotNull @Valid SaleRequest> transactions,
                                  OffsetDateTime replayFrom, OffsetDateTime replayTo) {
    }
}
