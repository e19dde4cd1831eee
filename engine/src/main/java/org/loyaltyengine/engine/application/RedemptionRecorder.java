package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.card.Card;
import org.loyaltyengine.engine.domain.ledger.Balance;
import org.loyaltyengine.engine.domain.ledger.Channel;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.Provenance;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.reward.Redemption;
import org.loyaltyengine.engine.domain.reward.Reward;
import org.loyaltyengine.engine.domain.reward.RewardRepository;

/**
 * Records a redemption at a till in one transaction: the member's row is locked before the balance is read, so
 * fifty tills redeeming on one account at once never spend more than it holds; a reward's stock is taken by a
 * conditional update, so it is never oversold.
 */
@ApplicationScoped
public class RedemptionRecorder {

    private static final Jsonb JSON = JsonbBuilder.create();

    @Inject
    CardService cards;

    @Inject
    MemberRepository members;

    @Inject
    RewardRepository rewards;

    @Inject
    LedgerRepository ledger;

    @Inject
    PointsPosting posting;

    @Inject
    SaleRecorder saleRules;

    @Inject
    PublicIds ids;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public SaleOutcome record(RedemptionCommand command) {
        Card card = cards.forTill(command.programmeCode(), command.cardNumber());
        Programme programme = card.member().programme();
        Optional<Redemption> recorded = rewards.findRedemption(programme, command.storeId(), command.receiptId());
        if (recorded.isPresent()) {
            return new SaleOutcome(recorded.get().replay(command.fingerprint()), true);
        }
        card.requireUsable();
        // The holder, locked: a merge committed while this waited moved the points to the member kept.
        Member member = members.lockHolder(card.member());
        recorded = rewards.findRedemption(programme, command.storeId(), command.receiptId());
        if (recorded.isPresent()) {
            return new SaleOutcome(recorded.get().replay(command.fingerprint()), true);
        }
        Reward reward = null;
        long points;
        if (command.rewardId() != null) {
            reward = rewards.findByCode(programme, command.rewardId()).filter(Reward::active)
                    .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "reward_not_found",
                            "No reward " + command.rewardId() + " in programme " + programme.code(), "rewardId"));
            reward.requireAvailableTo(member);
            reward.requireValidOn(programme.today(clock.instant()));
            points = reward.pointsPrice();
        } else {
            points = command.points();
        }
        Instant now = clock.instant();
        LocalDate today = programme.today(now);
        Balance before = ledger.spendable(member, today);
        SaleRecorder.requireRedeemable(card, before, points);
        if (reward == null) {
            programme.requirePayable(points, null, "points");
        }
        saleRules.requireAllowedByRules(programme, member, points, reward == null ? null : reward.code(),
                reward == null ? null : reward.tierCode(), before, now);
        if (reward != null && !rewards.takeOne(reward)) {
            throw DomainException.conflict("reward_out_of_stock", "Reward " + reward.code() + " (" + reward.name()
                    + ") is out of stock");
        }
        Redemption redemption = new Redemption(ids.next("d-"), programme, command.storeId(), command.terminalId(),
                command.receiptId(), member, card.number().value(), reward, points, command.fingerprint(), now);
        rewards.add(redemption);
        Provenance provenance = new Provenance(Channel.STORE, command.storeId(), command.storeId() + "/"
                + (command.terminalId() == null ? "-" : command.terminalId()),
                (reward == null ? "Points spent for their value" : reward.name() + " (reward " + reward.code() + ")")
                        + (command.receiptId() == null ? "" : ", receipt " + command.receiptId()), now);
        posting.debit(LedgerEntry.redeem(member, null, points, provenance, now).referring(redemption.publicId()),
                today, List.of(), false);
        Balance after = ledger.spendable(member, today);
        BigDecimal value = programme.valueOf(points);
        String json = JSON.toJson(new RedemptionResult(redemption.publicId(),
                reward == null ? null : reward.code(), reward == null ? null : reward.name(), points,
                value.toPlainString(), after.available(), after.pending()));
        redemption.answer(json);
        return new SaleOutcome(json, false);
    }

    /** Replays a redemption another transaction recorded first (the database refused the second insert). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<SaleOutcome> replayOfRecorded(RedemptionCommand command) {
        Card card = cards.forTill(command.programmeCode(), command.cardNumber());
        return rewards.findRedemption(card.member().programme(), command.storeId(), command.receiptId())
                .map(recorded -> new SaleOutcome(recorded.replay(command.fingerprint()), true));
    }

    /** The answer to a redemption. */
    @Schema(name = "RedemptionResult", description = "The answer to a redemption")
    public record RedemptionResult(String redemptionId, String rewardId, String reward, long pointsRedeemed,
                                   String redemptionValue, long availablePoints, long pendingPoints) {
    }
}
