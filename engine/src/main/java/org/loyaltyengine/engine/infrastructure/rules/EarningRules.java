package org.loyaltyengine.engine.infrastructure.rules;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.PurchaseHistory;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.sale.Receipt;
import org.loyaltyengine.rules.CompiledRuleSet;
import org.loyaltyengine.rules.EarningDecision;
import org.loyaltyengine.rules.decision.RedemptionRefusal;
import org.loyaltyengine.rules.decision.TierStanding;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.OfferInUse;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.PurchaseLine;
import org.loyaltyengine.rules.fact.RedemptionRequest;
import org.loyaltyengine.rules.fact.TierThreshold;

/**
 * Maps the engine's aggregates to the rule base's facts and asks a programme's rule set to decide: the live set
 * for sales and redemptions, any stored version for simulations.
 */
@ApplicationScoped
public class EarningRules {

    private static final ThreadLocal<Long> LAST_FIRING = ThreadLocal.withInitial(() -> 0L);

    @Inject
    RuleSetRegistry registry;

    @Inject
    LiveRuleSets liveSets;

    @Inject
    LedgerRepository ledger;

    /**
     * Decides the points of a purchase with the programme's live rule set.
     *
     * @param offset the till's offset: the purchase's local time is the store's
     */
    public EarningDecision decide(Programme programme, Member member, Receipt receipt, ZoneOffset offset,
                                  String channel, Instant now) {
        return decide(live(programme), programme, member, receipt, offset, channel, now,
                List.of());
    }

    /**
     * Decides the points of a purchase that uses the member's personal offers, with the live rule set, on what
     * {@link #profile} read of the member in the same transaction (a sale reads it once for its earn and its
     * redemption).
     */
    public EarningDecision decide(Programme programme, MemberProfile profile, Receipt receipt, ZoneOffset offset,
                                  String channel, List<OfferInUse> offers) {
        return decide(live(programme), programme, profile, receipt, offset, channel, offers);
    }

    /** Decides the points of a purchase with the given rule set (a draft, in a simulation). */
    public EarningDecision decide(CompiledRuleSet rules, Programme programme, Member member, Receipt receipt,
                                  ZoneOffset offset, String channel, Instant now) {
        return decide(rules, programme, member, receipt, offset, channel, now, List.of());
    }

    /** Decides the points of a purchase with the given rule set and the offers it used (a simulation's replay). */
    public EarningDecision decide(CompiledRuleSet rules, Programme programme, Member member, Receipt receipt,
                                  ZoneOffset offset, String channel, Instant now, List<OfferInUse> offers) {
        return decide(rules, programme, profile(programme, member, now), receipt, offset, channel, offers);
    }

    /** Decides the points of a purchase with the given rule set, on a profile the caller made (a simulation's). */
    public EarningDecision decide(CompiledRuleSet rules, Programme programme, MemberProfile profile,
                                  Receipt receipt, ZoneOffset offset, String channel, List<OfferInUse> offers) {
        Purchase purchase = purchase(programme, receipt, offset, channel);
        List<TierThreshold> thresholds = tiers(programme);
        long started = System.nanoTime();
        EarningDecision decision = rules.decideEarning(purchase, profile, thresholds, offers);
        LAST_FIRING.set(System.nanoTime() - started);
        return decision;
    }

    /** The purchase as the rules see it: the receipt's lines, at the store's local time. */
    public static Purchase purchase(Programme programme, Receipt receipt, ZoneOffset offset, String channel) {
        List<PurchaseLine> lines = receipt.lines().stream()
                .map(line -> PurchaseLine.of(line.sku(), line.category(), line.quantity(), line.unitPrice()))
                .toList();
        return Purchase.of(programme.code(), receipt.storeId(), channel,
                receipt.occurredAt().atOffset(offset).toLocalDateTime(), receipt.currency(), lines);
    }

    /** The set the programme serves: installed here already, or installed now by the registry. */
    public CompiledRuleSet live(Programme programme) {
        return liveSets.current(programme).orElseGet(() -> registry.liveSet(programme));
    }

    /** How long the rule engine itself took on this thread's last purchase decision, in nanoseconds. */
    public static long lastFiringNanos() {
        return LAST_FIRING.get();
    }

    /** The refusal of the programme's redemption rules, if they refuse. */
    public Optional<RedemptionRefusal> refusal(Programme programme, Member member, long points, String rewardId,
                                               String rewardTier, long available, Instant now) {
        return refusal(programme, profile(programme, member, now), points, rewardId, rewardTier, available);
    }

    /** The refusal of the programme's redemption rules, on a profile read in the same transaction. */
    public Optional<RedemptionRefusal> refusal(Programme programme, MemberProfile profile, long points,
                                               String rewardId, String rewardTier, long available) {
        return live(programme).decideRedemption(new RedemptionRequest(points, rewardId, rewardTier, available),
                profile);
    }

    /** The tier the member's standing reaches at a review, by the live rule set. */
    public Optional<TierStanding> review(Programme programme, Member member, Instant now) {
        return live(programme).decideTier(profile(programme, member, now), tiers(programme));
    }

    /** What the rules know of the member now: tier, dates, qualifying points and spend in the window, visits. */
    public MemberProfile profile(Programme programme, Member member, Instant now) {
        return profile(member, ledger.purchaseHistory(member, programme.tierWindowStart(now)));
    }

    /** What the rules know of the member, from a purchase history read since the tier window's start. */
    public static MemberProfile profile(Member member, PurchaseHistory history) {
        Optional<PurchaseHistory.Scores> scores = history.lastScores();
        return new MemberProfile(member.publicId(), member.tierCode(), member.joinedOn(), member.birthDate(),
                history.qualifyingPoints(), history.purchases(), history.spend(),
                scores.map(PurchaseHistory.Scores::recency).orElse(null),
                scores.map(PurchaseHistory.Scores::frequency).orElse(null),
                scores.map(PurchaseHistory.Scores::monetary).orElse(null),
                scores.map(PurchaseHistory.Scores::segment).orElse(null),
                scores.map(PurchaseHistory.Scores::favouriteCategory).orElse(null),
                scores.map(PurchaseHistory.Scores::attritionRisk).orElse(null));
    }

    public static List<TierThreshold> tiers(Programme programme) {
        return programme.tiers().stream()
                .map(tier -> new TierThreshold(tier.code(), tier.rank(), tier.minimumPoints()))
                .toList();
    }
}
