package org.loyaltyengine.engine.infrastructure.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.knowledge.MemberScore;
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

    @jakarta.persistence.PersistenceContext(unitName = "loyalty")
    jakarta.persistence.EntityManager em;

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

    /** Decides the points of a purchase that uses the member's personal offers, with the live rule set. */
    public EarningDecision decide(Programme programme, Member member, Receipt receipt, ZoneOffset offset,
                                  String channel, Instant now, List<OfferInUse> offers) {
        return decide(live(programme), programme, member, receipt, offset, channel, now, offers);
    }

    /** Decides the points of a purchase with the given rule set (a draft, in a simulation). */
    public EarningDecision decide(CompiledRuleSet rules, Programme programme, Member member, Receipt receipt,
                                  ZoneOffset offset, String channel, Instant now) {
        return decide(rules, programme, member, receipt, offset, channel, now, List.of());
    }

    private EarningDecision decide(CompiledRuleSet rules, Programme programme, Member member, Receipt receipt,
                                   ZoneOffset offset, String channel, Instant now, List<OfferInUse> offers) {
        List<PurchaseLine> lines = receipt.lines().stream()
                .map(line -> PurchaseLine.of(line.sku(), line.category(), line.quantity(), line.unitPrice()))
                .toList();
        Purchase purchase = Purchase.of(programme.code(), receipt.storeId(), channel,
                receipt.occurredAt().atOffset(offset).toLocalDateTime(), receipt.currency(), lines);
        MemberProfile profile = profile(programme, member, now);
        List<TierThreshold> thresholds = tiers(programme);
        long started = System.nanoTime();
        EarningDecision decision = rules.decideEarning(purchase, profile, thresholds, offers);
        LAST_FIRING.set(System.nanoTime() - started);
        return decision;
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
        return live(programme).decideRedemption(
                new RedemptionRequest(points, rewardId, rewardTier, available), profile(programme, member, now));
    }

    /** The tier the member's standing reaches at a review, by the live rule set. */
    public Optional<TierStanding> review(Programme programme, Member member, Instant now) {
        return live(programme).decideTier(profile(programme, member, now), tiers(programme));
    }

    /** What the rules know of the member now: tier, dates, qualifying points and spend in the window, visits. */
    public MemberProfile profile(Programme programme, Member member, Instant now) {
        Instant windowStart = now.minus(Duration.ofDays(programme.tierWindowDays()));
        PurchaseHistory history = ledger.purchaseHistory(member, windowStart);
        MemberScore score = em.find(MemberScore.class, member.id());
        return new MemberProfile(member.publicId(), member.tierCode(), member.joinedOn(), member.birthDate(),
                history.qualifyingPoints(), history.purchases(), history.spend(),
                score == null ? null : score.recencyScore(), score == null ? null : score.frequencyScore(),
                score == null ? null : score.monetaryScore(), score == null ? null : score.segment(),
                score == null ? null : score.favouriteCategory(), score == null ? null : score.attritionRisk());
    }

    public static List<TierThreshold> tiers(Programme programme) {
        return programme.tiers().stream()
                .map(tier -> new TierThreshold(tier.code(), tier.rank(), tier.minimumPoints()))
                .toList();
    }
}
