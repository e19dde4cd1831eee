package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.claim.Claim;
import org.loyaltyengine.engine.domain.claim.ClaimRepository;
import org.loyaltyengine.engine.domain.ledger.AppliedRule;
import org.loyaltyengine.engine.domain.ledger.Balance;
import org.loyaltyengine.engine.domain.ledger.Channel;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.Provenance;
import org.loyaltyengine.engine.domain.ledger.SaleStanding;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.offer.MemberOffer;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.Tier;
import org.loyaltyengine.engine.domain.sale.Receipt;
import org.loyaltyengine.engine.domain.sale.Sale;
import org.loyaltyengine.engine.domain.sale.SaleRepository;
import org.loyaltyengine.engine.infrastructure.rules.EarningRules;
import org.loyaltyengine.rules.EarningDecision;
import org.loyaltyengine.rules.decision.PointsAward;
import org.loyaltyengine.rules.decision.RedemptionRefusal;
import org.loyaltyengine.rules.fact.MemberProfile;

/**
 * Records one sale in one database transaction: the member's row is locked first, so that the balance read,
 * the redemption, the earn and the tier change of concurrent sales on one account happen one after the other,
 * on any number of engine instances.
 */
@ApplicationScoped
public class SaleRecorder {

    /** How far ahead of the engine's clock a till's clock may be. */
    static final java.time.Duration CLOCK_TOLERANCE = java.time.Duration.ofMinutes(5);

    private static final Jsonb JSON = JsonbBuilder.create();

    @Inject
    CardService cards;

    @Inject
    MemberRepository members;

    @Inject
    SaleRepository sales;

    @Inject
    ClaimRepository claims;

    @Inject
    LedgerRepository ledger;

    @Inject
    EarningRules earningRules;

    @Inject
    PointsPosting posting;

    @Inject
    TierPromotion tiers;

    @Inject
    SaleTimings timings;

    @Inject
    OfferService offers;

    @Inject
    PublicIds ids;

    @Inject
    Clock clock;

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Resource
    TransactionSynchronizationRegistry transaction;

    /** Records the sale, or answers a replay of it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public SaleOutcome record(SaleCommand command) {
        return record(command, null);
    }

    /**
     * Records the sale, or answers a replay of it. A sale a till sends again after a restore of the engine lost it
     * names the transaction id the engine gave it before ({@code originalId}): it is recorded under that id again,
     * unless another sale holds it, so that its printed receipt and returns rung up on other tills still find it.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public SaleOutcome record(SaleCommand command, String originalId) {
        long started = System.nanoTime();
        SaleOutcome outcome = write(command, originalId);
        if (!outcome.replay()) {
            timings.record(System.nanoTime() - started, EarningRules.lastFiringNanos());
        }
        return outcome;
    }

    /**
     * Goes through everything recording the sale does, its inserts and updates included, then rolls it all back:
     * the engine rehearses a sale at start-up so that the first till's sale is not the one that loads the
     * statements and classes of the record path (and overruns the till's time budget).
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void rehearse(SaleCommand command) {
        write(command, null);
        em.flush();
        transaction.setRollbackOnly();
    }

    private SaleOutcome write(SaleCommand command, String originalId) {
        Receipt receipt = command.receipt();
        Card card = cards.forTill(command.programmeCode(), receipt.cardNumber());
        Programme programme = card.member().programme();
        String fingerprint = command.fingerprint();
        // The receipt's claims first, then the member, as an approval of its claim takes them: an approval on any
        // member's account committed before is deducted below, one after waits and then finds this sale. The lock
        // tells whether any of them is approved: nearly always none is, and the sale asks no more about claims.
        // An approved one is read before the member's lock: reading it reads its claimant's row, which an approval
        // of another of their claims may hold while it reads this sale's member (a cycle Derby ends only after its
        // 20 s deadlock time-out); the claims' locks keep it approved until this sale commits.
        boolean approvedClaim = claims.lockReceipt(receipt.storeId(), receipt.receiptId());
        Optional<Claim> claimed = approvedClaim
                ? claims.approvedFor(programme, receipt.storeId(), receipt.receiptId()) : Optional.empty();
        Member member = members.lockHolder(card.member());
        Instant now = clock.instant();
        LocalDate today = programme.today(now);
        // Read under the lock, in one statement: the receipt (another request or instance may have recorded it
        // while this one waited), the purchase history the rules decide on, and the points the sale may spend.
        SaleStanding standing = ledger.saleStanding(member, programme.tierWindowStart(now), today,
                receipt.storeId(), receipt.receiptId());
        if (standing.receiptRecorded()) {
            // A replay answers even when the card was blocked since.
            Sale recorded = sales.findByReceipt(programme, receipt.storeId(), receipt.receiptId()).orElseThrow();
            return new SaleOutcome(recorded.replay(fingerprint), true);
        }
        checkReceipt(programme, receipt, now);
        requireMayBuy(card, member, command);
        // An offer is good for a purchase made while it was valid, however late the till sends it (queued while
        // the engine could not be reached, or sent again after a restore); not for one made before it was given.
        List<MemberOffer> presented = offers.presented(member, command.offerIds(),
                programme.today(receipt.occurredAt()));
        MemberProfile profile = EarningRules.profile(member, standing.history());
        EarningDecision decision = inTierWindow(programme, receipt, now,
                lessClaimed(claimed, decide(programme, profile, command, presented)));
        List<MemberOffer> applied = OfferService.applied(presented, decision);
        Balance before = standing.spendable();
        long owedBefore = member.pointsOwed();
        requireRedeemable(card, before, command.redeemPoints());
        programme.requirePayable(command.redeemPoints(), receipt.total(), "redeemPoints");
        requireAllowedByRules(programme, profile, command.redeemPoints(), before);

        String transactionId = originalId != null && !sales.publicIdTaken(originalId) ? originalId : ids.next("t-");
        Sale sale = new Sale(transactionId, programme, receipt, member, fingerprint, now);
        sale.tillOffset(command.occurredAt().getOffset());
        String tierBefore = member.tierCode();
        Optional<Tier> promoted = TierPromotion.reach(member, decision.tierStanding(), now);
        // Without a debt the answer is known before anything is written, and goes in with the sale's row. A debt
        // (after a return) is repaid by the new lot, so then the balance is read again once the lot is written.
        String json = owedBefore == 0
                ? answer(sale, decision, command, programme, projected(programme, before, command, decision, today),
                        member, applied)
                : null;
        sales.add(sale);
        offers.consume(applied, sale, now);
        Provenance provenance = new Provenance(Channel.STORE, receipt.storeId(),
                receipt.storeId() + "/" + (receipt.terminalId() == null ? "-" : receipt.terminalId()), null,
                receipt.occurredAt());
        if (command.redeemPoints() > 0) {
            spend(member, sale, command.redeemPoints(), today, provenance, now);
        }
        List<AppliedRule> rules = decision.awards().stream()
                .map(award -> new AppliedRule(award.rule(), award.points())).toList();
        if (decision.totalPoints() > 0) {
            LedgerEntry earn = LedgerEntry.earn(member, sale.id(), rules, decision.ruleSet(), provenance, now);
            LocalDate earnedOn = programme.today(receipt.occurredAt());
            posting.credit(earn, programme.availableOn(earnedOn), programme.expiresOn(earnedOn));
        }
        promoted.ifPresent(tier -> tiers.record(member, tierBefore, tier, provenance, "receipt "
                + sale.receiptId() + " at " + sale.storeId(), decision.ruleSet(), now));
        if (json == null) {
            json = answer(sale, decision, command, programme, ledger.spendable(member, today), member, applied);
        }
        return new SaleOutcome(json, false);
    }

    /**
     * The decision less what a manager already credited for this receipt through an approved claim (the till was
     * offline, the member claimed, the sale came in later): the sale is recorded and earns only what its rules give
     * beyond the claim's points, shown as a deduction {@code "credited-by-claim"} among the applied rules. Its tier
     * standing is left out: the claim's qualifying points already count in the history it was decided on, and the
     * claim's approval made any upgrade they reach.
     */
    static EarningDecision lessClaimed(Optional<Claim> claimed, EarningDecision decision) {
        if (claimed.isEmpty()) {
            return decision;
        }
        long deduction = Math.min(decision.totalPoints(), claimed.get().pointsCredited());
        List<PointsAward> awards = new java.util.ArrayList<>(decision.awards());
        if (deduction > 0) {
            awards.add(new PointsAward(CREDITED_BY_CLAIM, -deduction));
        }
        return new EarningDecision(decision.ruleSet(), awards, Optional.empty());
    }

    /**
     * The decision without its tier standing when the sale was made before the tier window (a till that sends a
     * purchase of 14 months ago, a year's window): its qualifying points are dated at the purchase, so they never
     * count in the member's standing, and the tier its rules reached with them is not one the member holds.
     */
    static EarningDecision inTierWindow(Programme programme, Receipt receipt, Instant now, EarningDecision decision) {
        if (decision.tierStanding().isEmpty() || !receipt.occurredAt().isBefore(programme.tierWindowStart(now))) {
            return decision;
        }
        return new EarningDecision(decision.ruleSet(), decision.awards(), Optional.empty());
    }

    /** The applied rule of a sale's deduction of the points an approved claim of its receipt credited. */
    static final String CREDITED_BY_CLAIM = "credited-by-claim";

    /** The answer to the till, kept with the sale so that a replay gets exactly the same. */
    private static String answer(Sale sale, EarningDecision decision, SaleCommand command, Programme programme,
                                 Balance after, Member member, List<MemberOffer> applied) {
        String json = JSON.toJson(result(sale.publicId(), decision, command, programme, after, member, null,
                applied));
        sale.answer(json);
        return json;
    }

    /**
     * The balance before, less the points paid (taken from spendable lots), plus the points earned, spendable or
     * pending as the lot the sale opens on its day.
     */
    static Balance projected(Programme programme, Balance before, SaleCommand command, EarningDecision decision,
                             LocalDate today) {
        long earned = decision.totalPoints();
        boolean pending = programme.availableOn(programme.today(command.receipt().occurredAt())).isAfter(today);
        return new Balance(before.available() - command.redeemPoints() + (pending ? 0 : earned),
                before.pending() + (pending ? earned : 0), before.expiring());
    }

    /**
     * What recording the sale would answer now; writes nothing. A receipt already recorded is quoted as its commit
     * would now be answered: the recorded answer for the same content (no points a second time), and 409
     * {@code receipt_conflict} for another.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public SaleResult quote(SaleCommand command) {
        Card card = cards.forTill(command.programmeCode(), command.receipt().cardNumber());
        Member member = card.member().current();
        Programme programme = member.programme();
        Optional<Sale> recorded = sales.findByReceipt(programme, command.receipt().storeId(),
                command.receipt().receiptId());
        if (recorded.isPresent()) {
            SaleResult answered = JSON.fromJson(recorded.get().replay(command.fingerprint()), SaleResult.class);
            return new SaleResult(answered.transactionId(), answered.pointsEarned(), answered.pointsRedeemed(),
                    answered.redemptionValue(), answered.availablePoints(), answered.pendingPoints(),
                    answered.tier(), answered.appliedRules(), answered.offersUsed(), true);
        }
        Instant now = clock.instant();
        checkReceipt(programme, command.receipt(), now);
        requireMayBuy(card, member, command);
        LocalDate today = programme.today(now);
        List<MemberOffer> presented = offers.presented(member, command.offerIds(),
                programme.today(command.receipt().occurredAt()));
        SaleStanding standing = ledger.saleStanding(member, programme.tierWindowStart(now), today, null, null);
        MemberProfile profile = EarningRules.profile(member, standing.history());
        EarningDecision decision = inTierWindow(programme, command.receipt(), now,
                lessClaimed(claims.approvedFor(programme, command.receipt().storeId(),
                        command.receipt().receiptId()), decide(programme, profile, command, presented)));
        Balance before = standing.spendable();
        requireRedeemable(card, before, command.redeemPoints());
        programme.requirePayable(command.redeemPoints(), command.receipt().total(), "redeemPoints");
        requireAllowedByRules(programme, profile, command.redeemPoints(), before);
        String tier = decision.tierStanding()
                .flatMap(reached -> programme.tier(reached.tier()))
                .filter(reached -> reached.rank() > programme.tier(member.tierCode()).map(t -> t.rank()).orElse(-1))
                .map(reached -> reached.code())
                .orElse(member.tierCode());
        Balance after = projected(programme, before, command, decision, today);
        return result(null, decision, command, programme, after, member, tier,
                OfferService.applied(presented, decision));
    }

    /** Replays a receipt another transaction recorded first (the database refused the second insert). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<SaleOutcome> replayOfRecorded(SaleCommand command) {
        Card card = cards.forTill(command.programmeCode(), command.receipt().cardNumber());
        return sales.findByReceipt(card.member().programme(), command.receipt().storeId(),
                        command.receipt().receiptId())
                .map(sale -> new SaleOutcome(sale.replay(command.fingerprint()), true));
    }

    /**
     * Checks the card and its member may buy: the time first (a till whose clock runs fast is told so, and corrects
     * it, before anything else), then the card. A till that was offline sends its sales late: one rung up before the
     * card was blocked or replaced still earns ({@link Card#requireUsableAt}), but never for an account closed
     * since (closing blocks its cards); paying with points needs a card in use now.
     */
    private static void requireMayBuy(Card card, Member member, SaleCommand command) {
        if (command.redeemPoints() > 0) {
            card.requireUsable();
        } else {
            card.requireUsableAt(command.receipt().occurredAt());
        }
        member.requireActive("cardNumber");
    }

    /** The rules' decision on a receipt {@link #checkReceipt} passed. */
    private EarningDecision decide(Programme programme, MemberProfile profile, SaleCommand command,
                                   List<MemberOffer> presented) {
        return earningRules.decide(programme, profile, command.receipt(), command.occurredAt().getOffset(), "store",
                presented.stream().map(MemberOffer::inUse).toList());
    }

    /**
     * Checks what Bean Validation cannot: the programme's currency, amounts in its minor unit, a total within the
     * programme's most for one sale ({@code sale_total_too_large}), a time
     * that is not in the future (beyond {@link #CLOCK_TOLERANCE} of till clock drift) nor so old its points
     * would already have expired.
     */
    static void checkReceipt(Programme programme, Receipt receipt, Instant now) {
        Currency currency = Currencies.require(receipt.currency());
        if (!programme.currency().equals(receipt.currency())) {
            throw DomainException.invalid("currency", "Programme " + programme.code() + " earns on "
                    + programme.currency() + " purchases; this sale is in " + receipt.currency());
        }
        int digits = Math.max(0, currency.getDefaultFractionDigits());
        List<org.loyaltyengine.engine.domain.sale.SaleLine> lines = receipt.lines();
        for (int i = 0; i < lines.size(); i++) {
            BigDecimal price = lines.get(i).unitPrice();
            if (price.stripTrailingZeros().scale() > digits) {
                throw DomainException.invalid("invalid_amount", "lines[" + i + "].unitPrice", "Unit price "
                        + price.toPlainString() + " has more than the " + digits + " decimal(s) of "
                        + currency.getCurrencyCode());
            }
        }
        programme.requireSaleTotalAllowed(receipt.total(), "lines");
        if (receipt.occurredAt().isAfter(now.plus(CLOCK_TOLERANCE))) {
            throw DomainException.invalid("occurred_in_future", "occurredAt", "The sale's time "
                    + receipt.occurredAt() + " is in the future (the engine's time is " + now + ")");
        }
        LocalDate earnedOn = programme.today(receipt.occurredAt());
        if (!programme.expiresOn(earnedOn).isAfter(programme.today(now))) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "sale_too_old", "A sale of "
                    + earnedOn + " is older than the points' life of the programme", "occurredAt");
        }
    }

    /** @throws DomainException {@code redemption_refused} (409) with the rule's reason */
    void requireAllowedByRules(Programme programme, Member member, long points, String rewardId, String rewardTier,
                               Balance balance, Instant now) {
        if (points > 0) {
            refuse(earningRules.refusal(programme, member, points, rewardId, rewardTier, balance.available(), now));
        }
    }

    /** The same for a sale's redemption, on the profile its earn was decided on. */
    private void requireAllowedByRules(Programme programme, MemberProfile profile, long points, Balance balance) {
        if (points > 0) {
            refuse(earningRules.refusal(programme, profile, points, null, null, balance.available()));
        }
    }

    private static void refuse(Optional<RedemptionRefusal> refusal) {
        refusal.ifPresent(refused -> {
            throw DomainException.conflict("redemption_refused", refused.reason() + " (rule " + refused.rule()
                    + ")");
        });
    }

    static void requireRedeemable(Card card, Balance balance, long wanted) {
        if (wanted > 0 && balance.available() < 0) {
            throw DomainException.conflict("insufficient_points", "Card " + card.number() + " has a balance of "
                    + balance.available() + " points after a return; it can redeem again once it is positive");
        }
        if (wanted > 0 && wanted > balance.available()) {
            throw DomainException.conflict("insufficient_points", "Card " + card.number() + " has "
                    + balance.available() + " available points; " + wanted + " requested");
        }
    }

    /** Takes the points from the soonest-expiring spendable lots. */
    private void spend(Member member, Sale sale, long points, LocalDate today, Provenance provenance, Instant now) {
        posting.debit(LedgerEntry.redeem(member, sale.id(), points, provenance, now), today, List.of(), false);
    }

    private static SaleResult result(String transactionId, EarningDecision decision, SaleCommand command,
                                     Programme programme, Balance after, Member member, String tier,
                                     List<MemberOffer> applied) {
        BigDecimal value = programme.valueOf(command.redeemPoints());
        List<SaleResult.RuleShare> shares = decision.awards().stream()
                .map(award -> new SaleResult.RuleShare(award.rule(), award.points())).toList();
        return new SaleResult(transactionId, decision.totalPoints(), command.redeemPoints(), value.toPlainString(),
                after.available(), after.pending(), tier == null ? member.tierCode() : tier, shares,
                applied.stream().map(MemberOffer::publicId).toList(), transactionId == null ? Boolean.TRUE : null);
    }
}
