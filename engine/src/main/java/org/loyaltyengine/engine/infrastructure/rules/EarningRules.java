package org.loyaltyengine.engine.infrastructure.rules;

import java.time.ZoneOffset;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.sale.Receipt;
import org.loyaltyengine.rules.EarningDecision;
import org.loyaltyengine.rules.fact.MemberProfile;
import org.loyaltyengine.rules.fact.Purchase;
import org.loyaltyengine.rules.fact.PurchaseLine;
import org.loyaltyengine.rules.fact.TierThreshold;

/** Maps the engine's aggregates to the rule base's facts and asks the programme's live rule set to decide. */
@ApplicationScoped
public class EarningRules {

    @Inject
    RuleSetRegistry registry;

    /**
     * Decides the points of a purchase.
     *
     * @param offset           the till's offset: the purchase's local time is the store's
     * @param qualifyingPoints the member's qualifying points in the tier window before this purchase
     * @param purchaseCount    the member's purchases before this one
     */
    public EarningDecision decide(Programme programme, Member member, Receipt receipt, ZoneOffset offset,
                                  String channel, long qualifyingPoints, long purchaseCount) {
        List<PurchaseLine> lines = receipt.lines().stream()
                .map(line -> PurchaseLine.of(line.sku(), line.category(), line.quantity(), line.unitPrice()))
                .toList();
        Purchase purchase = Purchase.of(programme.code(), receipt.storeId(), channel,
                receipt.occurredAt().atOffset(offset).toLocalDateTime(), receipt.currency(), lines);
        MemberProfile profile = new MemberProfile(member.publicId(), member.tierCode(), member.joinedOn(),
                member.birthDate(), qualifyingPoints, purchaseCount);
        List<TierThreshold> tiers = programme.tiers().stream()
                .map(tier -> new TierThreshold(tier.code(), tier.rank(), tier.minimumPoints()))
                .toList();
        return registry.liveSet(programme.code()).decideEarning(purchase, profile, tiers);
    }
}
