package org.loyaltyengine.engine.api;

import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
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
import org.loyaltyengine.engine.application.CardService;
import org.loyaltyengine.engine.application.CardSummary;
import org.loyaltyengine.engine.application.ProgrammeAdministration;
import org.loyaltyengine.engine.application.PublicIds;
import org.loyaltyengine.engine.application.RedemptionCancelCommand;
import org.loyaltyengine.engine.application.RedemptionCommand;
import org.loyaltyengine.engine.application.ReturnCommand;
import org.loyaltyengine.engine.application.SaleCommand;
import org.loyaltyengine.engine.application.SaleOutcome;
import org.loyaltyengine.engine.application.SaleResult;
import org.loyaltyengine.engine.application.SaleService;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.sale.Receipt;
import org.loyaltyengine.engine.domain.sale.SaleLine;
import org.loyaltyengine.engine.infrastructure.security.Caller;

/**
 * The till's calls: look a card up, quote and record sales. A till sees its own programme and store only. One
 * instance serves every call (it holds no state of a request; the injected request is a proxy to the current one),
 * sparing each till call the creation and injection of a resource.
 */
@ApplicationScoped
@Path("pos")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "posKey")
@CalledBy(Callers.TILLS)
public class PosResource {

    /** The header naming the transaction id a sale sent again after a restore of the engine had been given. */
    public static final String ORIGINAL_TRANSACTION = "Loyalty-Original-Transaction";

    /** The header of a redemption sent again after a restore of the engine: the id the engine had given it. */
    public static final String ORIGINAL_REDEMPTION = "Loyalty-Original-Redemption";

    @Inject
    CardService cards;

    @Inject
    SaleService sales;

    @Inject
    ProgrammeAdministration programmes;

    @Inject
    RestoreGapHeader restoreGap;

    @Inject
    org.loyaltyengine.engine.application.BareInsert bareInsert;

    @Context
    HttpServletRequest request;

    /** {@code POST /pos/bench/insert}: the load benchmark's yardstick, off unless configured. */
    public record BenchRequest(String payload) {
    }

    @POST
    @Path("bench/insert")
    @Operation(summary = "Benchmark only (loyalty.bench.endpoint=true): one database insert and commit, the"
            + " yardstick a sale's rate is compared with")
    public jakarta.ws.rs.core.Response benchInsert(BenchRequest body) {
        long id = bareInsert.insert(till().storeId(), body == null ? null : body.payload());
        return jakarta.ws.rs.core.Response.status(201).entity(java.util.Map.of("id", id)).build();
    }

    @GET
    @Path("cards/{cardNumber}")
    @Operation(summary = "Look a scanned card up: member, tier, points and offers")
    public CardSummary card(@PathParam("cardNumber") String cardNumber) {
        String programme = till().programmeCode();
        // The cashier's scan: a read, but one the till waits for, so it too runs again when the database gave it
        // up, or lost the connection (BusyRetry) rather than answering 503.
        return BusyRetry.callIdempotent(() -> cards.summary(programme, cardNumber));
    }

    @GET
    @Path("cards/{cardNumber}/rewards")
    @Operation(summary = "What the card's member can take for points now: the programme's rewards of the day, each"
            + " with whether this member can take it (enough points, the tier it asks for, in stock)")
    public CardService.CardRewards cardRewards(@PathParam("cardNumber") String cardNumber) {
        String programme = till().programmeCode();
        return BusyRetry.callIdempotent(() -> cards.rewards(programme, cardNumber));
    }

    @POST
    @Path("transactions")
    @Operation(summary = "Record a sale: 201 the first time, 200 with the same body on a replay. A till sending a"
            + " sale again after a restore of the engine names the transaction id the engine had given it"
            + " (header " + ORIGINAL_TRANSACTION + "): a sale the engine lost is recorded under it again, while the"
            + " engine tells the tills of a restore gap (header Loyalty-Restore-Gap); at other times it is not used")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Recorded", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "SaleResult"))),
            @APIResponse(responseCode = "200", description = "A replay: the first answer, nothing credited twice",
                    content = @Content(mediaType = "application/json",
                            schema = @Schema(ref = "SaleResult"))),
            @APIResponse(responseCode = "default", description = ApiError.AT_THE_TILL, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response record(@Valid @NotNull SaleRequest sale,
                           @HeaderParam(ORIGINAL_TRANSACTION) String originalTransaction) {
        if (originalTransaction != null && !PublicIds.wellFormed("t-", originalTransaction.strip())) {
            throw DomainException.invalid(ORIGINAL_TRANSACTION, "Not a transaction id of the engine (t- and 16"
                    + " letters or digits): " + originalTransaction.strip());
        }
        // Only while the tills are told of a restore gap: then a sale sent again may be one the restore lost. At
        // any other time no sale has an id to take back, and a till may not choose one.
        SaleOutcome outcome = sales.record(command(sale), originalTransaction == null || !restoreGap.told() ? null
                : originalTransaction.strip());
        return Response.status(outcome.replay() ? Response.Status.OK : Response.Status.CREATED)
                .entity(outcome.json()).build();
    }

    @POST
    @Path("transactions/quote")
    @Operation(summary = "What recording this sale would answer, without recording it")
    public SaleResult quote(@Valid @NotNull SaleRequest sale) {
        return sales.quote(command(sale));
    }

    @POST
    @Path("transactions/{transactionId}/returns")
    @Operation(summary = "Take back the points of returned lines: 201 the first time, 200 on a replay of the returnId")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Recorded", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "ReturnResult"))),
            @APIResponse(responseCode = "200", description = "A replay of the returnId: the first answer",
                    content = @Content(mediaType = "application/json",
                            schema = @Schema(ref = "ReturnResult"))),
            @APIResponse(responseCode = "default", description = ApiError.AT_THE_TILL, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response returnGoods(@PathParam("transactionId") String transactionId,
                                @Valid @NotNull Requests.ReturnRequest request) {
        Caller till = till();
        SaleOutcome outcome = sales.recordReturn(new ReturnCommand(till.programmeCode(), till.storeId(),
                request.terminalId(), transactionId, request.returnId().strip(), request.lines().stream()
                .map(line -> new ReturnCommand.Line(line.sku().strip(), line.quantity())).toList()));
        return Response.status(outcome.replay() ? Response.Status.OK : Response.Status.CREATED)
                .entity(outcome.json()).build();
    }

    @POST
    @Path("redemptions")
    @Operation(summary = "Spend points on a reward (rewardId) or for their value (points): 201, 200 on a replay. A"
            + " till sending it again after a restore of the engine names the redemption id the engine had given it"
            + " (header " + ORIGINAL_REDEMPTION + "): one the engine lost is recorded under it again while the engine"
            + " tells the tills of a restore gap, so that a cancellation made since finds it")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Recorded", content = @Content(
                    mediaType = "application/json",
                            schema = @Schema(ref = "RedemptionResult"))),
            @APIResponse(responseCode = "200", description = "A replay: the first answer, nothing taken twice",
                    content = @Content(mediaType = "application/json",
                            schema = @Schema(ref = "RedemptionResult"))),
            @APIResponse(responseCode = "default", description = ApiError.AT_THE_TILL, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response redeem(@Valid @NotNull Requests.RedemptionRequest request,
                           @HeaderParam(ORIGINAL_REDEMPTION) String originalRedemption) {
        Caller till = till();
        requireOwnStore(till, request.storeId());
        if ((request.rewardId() == null) == (request.points() == null)) {
            throw DomainException.invalid("rewardId", "Give either rewardId or points, not both and not neither");
        }
        if (originalRedemption != null && !PublicIds.wellFormed("d-", originalRedemption.strip())) {
            throw DomainException.invalid(ORIGINAL_REDEMPTION, "Not a redemption id of the engine (d- and 16"
                    + " letters or digits): " + originalRedemption.strip());
        }
        // As a sale's id: only while the tills are told of a restore gap, when the redemption may be one it lost.
        SaleOutcome outcome = sales.redeem(new RedemptionCommand(till.programmeCode(), request.storeId(),
                request.terminalId(), request.receiptId(), request.cardNumber().strip(),
                request.rewardId() == null ? null : request.rewardId().strip(), request.points()),
                originalRedemption == null || !restoreGap.told() ? null : originalRedemption.strip());
        return Response.status(outcome.replay() ? Response.Status.OK : Response.Status.CREATED)
                .entity(outcome.json()).build();
    }

    @POST
    @Path("redemptions/{redemptionId}/cancel")
    @Operation(summary = "Cancel a redemption at a till of its store, within 30 days: its points come back, its"
            + " reward to the stock; 201, then 200 with the same answer when asked again")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Cancelled", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "RedemptionCancelResult"))),
            @APIResponse(responseCode = "200", description = "Cancelled already: the first answer, nothing given"
                    + " twice", content = @Content(mediaType = "application/json",
                    schema = @Schema(ref = "RedemptionCancelResult"))),
            @APIResponse(responseCode = "default", description = ApiError.AT_THE_TILL, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response cancelRedemption(@PathParam("redemptionId") String redemptionId,
                                     @Valid Requests.RedemptionCancelRequest request) {
        return cancel(redemptionId.strip(), null, request);
    }

    @POST
    @Path("redemptions/receipts/{receiptId}/cancel")
    @Operation(summary = "Cancel the redemption recorded under a receipt of the till's store, as by its id: any till"
            + " of the store has the receipt in hand, where only the till that made it kept the id")
    @APIResponses({
            @APIResponse(responseCode = "201", description = "Cancelled", content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "RedemptionCancelResult"))),
            @APIResponse(responseCode = "200", description = "Cancelled already: the first answer, nothing given"
                    + " twice", content = @Content(mediaType = "application/json",
                    schema = @Schema(ref = "RedemptionCancelResult"))),
            @APIResponse(responseCode = "default", description = ApiError.AT_THE_TILL, content = @Content(
                    mediaType = "application/json", schema = @Schema(ref = "Error")))})
    public Response cancelRedemptionOfReceipt(@PathParam("receiptId") String receiptId,
                                              @Valid Requests.RedemptionCancelRequest request) {
        return cancel(null, receiptId.strip(), request);
    }

    /** Cancels the redemption of the till's store named by its id or by its receipt; the body may be left out. */
    private Response cancel(String redemptionId, String receiptId, Requests.RedemptionCancelRequest request) {
        Caller till = till();
        Requests.RedemptionCancelRequest body = request == null
                ? new Requests.RedemptionCancelRequest(null, null, null) : request;
        if (body.storeId() != null) {
            requireOwnStore(till, body.storeId());
        }
        SaleOutcome outcome = sales.cancelRedemption(new RedemptionCancelCommand(till.programmeCode(),
                till.storeId(), body.terminalId(), redemptionId, receiptId, body.reason()));
        return Response.status(outcome.replay() ? Response.Status.OK : Response.Status.CREATED)
                .entity(outcome.json()).build();
    }

    @GET
    @Path("rewards")
    @Operation(summary = "The programme's rewards, as the till offers them")
    public List<ProgrammeAdministration.RewardView> rewards() {
        return programmes.rewards(till().programmeCode());
    }

    private static void requireOwnStore(Caller till, String storeId) {
        if (!till.storeId().equals(storeId)) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "store_mismatch", "This POS key belongs to store "
                    + till.storeId() + "; the request names store " + storeId, "storeId");
        }
    }

    private SaleCommand command(SaleRequest sale) {
        Caller till = till();
        requireOwnStore(till, sale.storeId());
        return command(till.programmeCode(), sale);
    }

    /** The sale a till's request asks for, in the given programme (the till's). */
    static SaleCommand command(String programmeCode, SaleRequest sale) {
        List<SaleLine> lines = sale.lines().stream()
                .map(line -> new SaleLine(line.sku().strip(), line.category().strip().toLowerCase(Locale.ROOT),
                        line.quantity(), line.unitPrice()))
                .toList();
        Receipt receipt = new Receipt(sale.storeId(), sale.terminalId(), sale.receiptId(), sale.cardNumber().strip(),
                sale.occurredAt().toInstant(), sale.currency(), lines);
        return new SaleCommand(programmeCode, receipt, sale.occurredAt(),
                sale.redeemPoints() == null ? 0 : sale.redeemPoints(),
                sale.offerIds() == null ? List.of() : sale.offerIds());
    }

    private Caller till() {
        return AccessFilter.callerOf(request);
    }
}
