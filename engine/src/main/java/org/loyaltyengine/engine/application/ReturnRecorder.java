package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.ledger.AppliedRule;
import org.loyaltyengine.engine.domain.claim.Claim;
import org.loyaltyengine.engine.domain.claim.ClaimRepository;
import org.loyaltyengine.engine.domain.ledger.Balance;
import org.loyaltyengine.engine.domain.ledger.Channel;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.PointsLot;
import org.loyaltyengine.engine.domain.ledger.Provenance;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.offer.MemberOffer;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.domain.sale.ReturnedLine;
import org.loyaltyengine.engine.domain.sale.Sale;
import org.loyaltyengine.engine.domain.sale.SaleLine;
import org.loyaltyengine.engine.domain.sale.SaleRepository;
import org.loyaltyengine.engine.domain.sale.SaleReturn;

/**
 * Records a return in one transaction, the member's row locked first like a sale.
 *
 * <p>Points are taken back in proportion to the value returned ({@link ReturnShare}). Points
 * the member used to pay ({@code redeemPoints}) are not given back: refunding their value is the till's business.
 * The points come first from the sale's own lot, then soonest-expiring; if they were already spent, the balance
 * goes below zero and the member cannot redeem until new points bring it back above.
 */
@ApplicationScoped
public class ReturnRecorder {

    private static final Jsonb JSON = JsonbBuilder.create();

    /** The sale's time in a return's reason, in the programme's zone: what the customer's receipt shows. */
    private static final java.time.format.DateTimeFormatter SALE_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    @Inject
    ProgrammeRepository programmes;

    @Inject
    SaleRepository sales;

    @Inject
    OfferService offers;

    @Inject
    MemberRepository members;

    @Inject
    LedgerRepository ledger;

    @Inject
    ClaimRepository claims;

    @Inject
    PointsPosting posting;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public SaleOutcome record(ReturnCommand command) {
        Sale sale = sale(command);
        Optional<SaleReturn> recorded = sales.findReturn(sale, command.returnId());
        if (recorded.isPresent()) {
            return new SaleOutcome(recorded.get().replay(command.fingerprint()), true);
        }
        // A claim of the receipt approved before the sale came in credited part of its points, and the sale earned
        // only the rest (SaleRecorder.lessClaimed): a return takes back both. Read before the member's lock, as the
        // sale reads it; none is approved for a receipt once its sale is recorded.
        Optional<Claim> claimed = claims.approvedFor(sale.programme(), sale.storeId(), sale.receiptId());
        // The holder, locked: a merge committed while this waited moved the sale's points to the member kept.
        Member member = members.lockHolder(sale.member().current());
        recorded = sales.findReturn(sale, command.returnId());
        if (recorded.isPresent()) {
            return new SaleOutcome(recorded.get().replay(command.fingerprint()), true);
        }
        List<SaleReturn> earlier = sales.returnsOf(sale);
        Programme programme = sale.programme();
        Instant now = clock.instant();
        LocalDate today = programme.today(now);

        Map<String, Long> bought = new HashMap<>();
        Map<String, BigDecimal> boughtValue = new HashMap<>();
        for (SaleLine line : sale.lines()) {
            bought.merge(line.sku(), (long) line.quantity(), Long::sum);
            boughtValue.merge(line.sku(), line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())),
                    BigDecimal::add);
        }
        Map<String, Long> returned = new HashMap<>();
        earlier.forEach(r -> r.lines().forEach(line -> returned.merge(line.sku(), (long) line.quantity(), Long::sum)));
        Map<String, Long> returning = new LinkedHashMap<>();
        BigDecimal value = BigDecimal.ZERO;
        for (int i = 0; i < command.lines().size(); i++) {
            ReturnCommand.Line line = command.lines().get(i);
            long already = returned.getOrDefault(line.sku(), 0L) + returning.getOrDefault(line.sku(), 0L);
            long purchased = bought.getOrDefault(line.sku(), 0L);
            if (already + line.quantity() > purchased) {
                throw DomainException.unprocessable("return_exceeds_purchase", "lines[" + i + "].quantity",
                        "Transaction " + sale.publicId() + " bought " + purchased + " of " + line.sku()
                                + (already > 0 ? ", of which " + already + " already returned" : "")
                                + "; " + line.quantity() + " cannot be returned");
            }
            returning.merge(line.sku(), (long) line.quantity(), Long::sum);
            value = value.add(boughtValue.get(line.sku()).multiply(BigDecimal.valueOf(line.quantity()))
                    .divide(BigDecimal.valueOf(purchased), 4, RoundingMode.HALF_UP));
        }
        boolean everythingBack = bought.entrySet().stream().allMatch(e -> e.getValue()
                == returned.getOrDefault(e.getKey(), 0L) + returning.getOrDefault(e.getKey(), 0L));
        long earned = ledger.earnedOnSale(sale.id()) + claimed
                .filter(claim -> claim.member().current().id().equals(member.id()))
                .map(Claim::pointsCredited).orElse(0L);
        long reversedBefore = earlier.stream().mapToLong(SaleReturn::pointsReversed).sum();
        BigDecimal valueBefore = earlier.stream().map(SaleReturn::returnedValue)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        sale.broughtBack(valueBefore.add(value), everythingBack);
        List<PointsLot> lots = ledger.lotsOfSale(sale.id(), sale.member(), member);
        long lost = lots.stream().mapToLong(lot -> lot.lostBy(today)).sum();
        List<AppliedRule> shares = ledger.earnSharesOfSale(sale.id());
        List<MemberOffer> used = offers.usedBy(sale);
        long bonusLost = OfferService.bonusesLost(used, sale.total().subtract(valueBefore.add(value)), shares);
        // A category multiplier's points go back with the lines of its category, not with the sale's value.
        Map<String, Long> back = new HashMap<>(returned);
        returning.forEach((sku, quantity) -> back.merge(sku, quantity, Long::sum));
        long[] multiplied = OfferService.multipliersBack(used, byCategory(sale, bought, bought, boughtValue),
                byCategory(sale, back, bought, boughtValue), shares);
        // What expired of the sale's points is gone already: a return takes back at most what is left of them or
        // was spent, so that an old sale's return does not take its expired points a second time.
        long reverse = Math.min(ReturnShare.pointsToReverse(earned, sale.total(), valueBefore, value,
                reversedBefore, everythingBack, bonusLost, multiplied[0], multiplied[1]),
                Math.max(0, earned - lost - reversedBefore));
        // The tier standing loses the returned share whole, expired or not: points that expired still counted
        // towards the tier while the goods were kept, and stop counting once they are back.
        long qualifying = Math.max(reverse, ReturnShare.pointsToReverse(earned, sale.total(), valueBefore, value,
                ledger.qualifyingReversedOnSale(sale.id()), everythingBack, bonusLost, multiplied[0],
                multiplied[1]));

        SaleReturn saleReturn = new SaleReturn(sale, command.returnId(), command.storeId(),
                returning.entrySet().stream().map(e -> new ReturnedLine(e.getKey(), e.getValue().intValue()))
                        .toList(), value, reverse, command.fingerprint(), now);
        sales.add(saleReturn);
        if (everythingBack) {
            // The customer bought nothing with the offers the sale used: theirs again, until their last day. A
            // sale returned in part keeps them used (what their points were for went back with the lines).
            used.forEach(MemberOffer::giveBack);
        }
        if (qualifying > 0) {
            // Dated at the sale's time, as a claim's credit is dated at the purchase's: the qualifying points it
            // takes back leave the tier window when the sale's own do, and a sale already outside it takes none
            // from the current standing. The entry's recordedAt is when the return was rung up.
            Provenance provenance = new Provenance(Channel.STORE, command.storeId(), command.storeId() + "/"
                    + (command.terminalId() == null ? "-" : command.terminalId()), "Return " + command.returnId()
                    + " of receipt " + sale.receiptId() + " of " + SALE_TIME.format(sale.occurredAt()
                    .atZone(member.programme().zone()))
                    + (reverse == 0 ? " (its points had expired)" : reverse < qualifying ? " (part of its points had"
                    + " expired)" : ""), sale.occurredAt());
            posting.debit(LedgerEntry.returnReversal(member, sale.id(), command.returnId(), reverse, qualifying,
                    provenance, now), today, lots, true);
        }
        Balance after = ledger.spendable(member, today);
        String json = JSON.toJson(new ReturnResult(command.returnId(), sale.publicId(), reverse, after.available(),
                after.pending()));
        saleReturn.answer(json);
        return new SaleOutcome(json, false);
    }

    /**
     * The value per category (lower case) of {@code quantities} of the sale's SKUs, each at the sale's average price
     * of its SKU ({@code boughtValue} of {@code bought}).
     */
    private static Map<String, BigDecimal> byCategory(Sale sale, Map<String, Long> quantities,
                                                      Map<String, Long> bought, Map<String, BigDecimal> boughtValue) {
        Map<String, String> categoryOf = new HashMap<>();
        sale.lines().forEach(line -> categoryOf.putIfAbsent(line.sku(), line.category().toLowerCase(Locale.ROOT)));
        Map<String, BigDecimal> value = new HashMap<>();
        quantities.forEach((sku, quantity) -> value.merge(categoryOf.get(sku), boughtValue.get(sku)
                .multiply(BigDecimal.valueOf(quantity)).divide(BigDecimal.valueOf(bought.get(sku)), 4,
                        RoundingMode.HALF_UP), BigDecimal::add));
        return value;
    }

    /** Replays a return another transaction recorded first (the database refused the second insert). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<SaleOutcome> replayOfRecorded(ReturnCommand command) {
        Sale sale = sale(command);
        return sales.findReturn(sale, command.returnId())
                .map(recorded -> new SaleOutcome(recorded.replay(command.fingerprint()), true));
    }

    private Sale sale(ReturnCommand command) {
        Programme programme = programmes.findByCode(command.programmeCode()).orElseThrow();
        return sales.findByPublicId(programme, command.transactionId())
                .orElseThrow(() -> DomainException.notFound("transaction_not_found", "No transaction "
                        + command.transactionId() + " in programme " + command.programmeCode()));
    }

    /** The answer to a return. */
    @Schema(name = "ReturnResult", description = "The answer to a return")
    public record ReturnResult(String returnId, String transactionId, long pointsReversed, long availablePoints,
                               long pendingPoints) {
    }
}
