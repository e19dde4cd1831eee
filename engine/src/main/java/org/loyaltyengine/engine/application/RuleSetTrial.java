package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.offer.Offer;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.Tier;
import org.loyaltyengine.engine.domain.sale.Receipt;
import org.loyaltyengine.engine.domain.sale.Sale;
import org.loyaltyengine.engine.domain.sale.SaleLine;
import org.loyaltyengine.engine.domain.sale.SaleRepository;
import org.loyaltyengine.engine.infrastructure.rules.EarningRules;
import org.loyaltyengine.rules.CompiledRuleSet;
import org.loyaltyengine.rules.RuleError;
import org.loyaltyengine.rules.RuleFailedException;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.OfferDefinition;
import org.loyaltyengine.rules.fact.OfferInUse;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.RedemptionRequest;
import org.loyaltyengine.rules.fact.TierThreshold;

/**
 * The trial decisions a version must pass before it goes live: a rule that compiles can still fail as it runs (a
 * division by zero), and would then fail every sale. The version decides, writing nothing, a few of the
 * programme's latest sales with their members as they are now, and a made-up sale of a member of each tier; it
 * also decides a redemption, a tier review and the offers of each of those members.
 */
@ApplicationScoped
public class RuleSetTrial {

    /** The most real sales a trial decides. */
    static final int SALES = 20;

    /** How far back, in sale ids of every programme, the real sales are looked for. */
    static final int WINDOW = 20_000;

    @Inject
    SaleRepository sales;

    @Inject
    EarningRules earningRules;

    @Inject
    OfferService offers;

    /**
     * What the trial found: the rules of the version that failed, each once, with the first trial each failed on
     * (empty when it passed), and how many sales it decided and the points they earned under the version.
     */
    @Schema(name = "TrialOutcome")
    public record Outcome(List<RuleError> failures, int sales, long pointsEarned) {
    }

    /** Decides the trial sales with the version, writing nothing. */
    public Outcome trial(Programme programme, CompiledRuleSet rules, Instant now) {
        Failures failures = new Failures();
        List<TierThreshold> tiers = EarningRules.tiers(programme);
        List<Offer> active = offers.active(programme);
        List<OfferDefinition> definitions = active.stream().map(Offer::definition).toList();
        // Each active offer presented at once, so that the rules that pay offers run in the trial too: a sale that
        // presents one must not be the first to find them failing.
        List<OfferInUse> presented = active.stream().map(offer -> new OfferInUse("o-trial-" + offer.code(),
                offer.code(), offer.kind().name(), offer.points(), offer.multiplier(), offer.category(),
                offer.minimumSpend())).toList();
        LocalDate today = programme.today(now);
        ZoneOffset offset = programme.zone().getRules().getOffset(now);
        for (Sale sale : sales.latest(programme, WINDOW, SALES)) {
            MemberProfile member = earningRules.profile(programme, sale.member().current(), now);
            Receipt receipt = new Receipt(sale.storeId(), sale.terminalId(), sale.receiptId(), sale.cardNumber(),
                    sale.occurredAt(), sale.currency(), sale.lines());
            Purchase purchase = EarningRules.purchase(programme, receipt,
                    programme.zone().getRules().getOffset(sale.occurredAt()), "store");
            decide(failures, "sale " + sale.publicId() + " (receipt " + sale.receiptId() + ")", rules, purchase,
                    member, tiers, definitions, presented, today);
        }
        for (Tier tier : programme.tiers()) {
            MemberProfile member = new MemberProfile("m-trial-" + tier.code(), tier.code(), today.minusYears(1),
                    today.minusYears(30), tier.minimumPoints(), 1, BigDecimal.TEN, null, null, null, null, null,
                    null);
            Receipt receipt = new Receipt("TRIAL", null, "TRIAL-" + tier.code(), "", now, programme.currency(),
                    List.of(new SaleLine("TRIAL", "general", 2, new BigDecimal("12.50"))));
            decide(failures, "a made-up sale of 25.00 of a " + tier.code() + " member", rules,
                    EarningRules.purchase(programme, receipt, offset, "store"), member, tiers, definitions, presented,
                    today);
        }
        return new Outcome(failures.errors(), failures.sales, failures.points);
    }

    private static void decide(Failures failures, String trial, CompiledRuleSet rules, Purchase purchase,
                               MemberProfile member, List<TierThreshold> tiers, List<OfferDefinition> definitions,
                               List<OfferInUse> presented, LocalDate today) {
        failures.run(trial, () -> failures.earned(rules.decideEarning(purchase, member, tiers).totalPoints()));
        if (!presented.isEmpty()) {
            failures.run(trial + ", the programme's offers presented",
                    () -> rules.decideEarning(purchase, member, tiers, presented));
        }
        failures.run("a redemption of 100 points by the member of " + trial,
                () -> rules.decideRedemption(new RedemptionRequest(100, null, null, 1_000), member));
        failures.run("the tier review of the member of " + trial, () -> rules.decideTier(member, tiers));
        failures.run("the offers of the member of " + trial, () -> rules.decideOffers(member, definitions, today));
    }

    /** The rules that failed, each once, with what they failed on first. */
    static final class Failures {

        private final Map<String, RuleError> byRule = new LinkedHashMap<>();

        private int sales;

        private long points;

        void earned(long earned) {
            sales++;
            points += earned;
        }

        void run(String trial, Runnable decision) {
            try {
                decision.run();
            } catch (RuleFailedException e) {
                add(e, trial);
            }
        }

        void add(RuleFailedException e, String trial) {
            byRule.putIfAbsent(e.ruleSet() + "/" + e.rule(), error(e, trial));
        }

        boolean isEmpty() {
            return byRule.isEmpty();
        }

        List<RuleError> errors() {
            return new ArrayList<>(byRule.values());
        }
    }

    /** A rule that failed as it ran, as the back office reports it. */
    static RuleError error(RuleFailedException e, String trial) {
        return new RuleError(e.source(), e.line(), 0, (e.rule() == null ? "A rule" : "Rule \"" + e.rule() + "\"")
                + " of " + e.ruleSet() + " fails as it runs, on " + trial + ": " + e.reason(), e.rule());
    }
}
