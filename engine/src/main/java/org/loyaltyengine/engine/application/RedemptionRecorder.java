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
import org.loyaltyengine.engine.domain.programme.ProgrammeRepository;
import org.loyaltyengine.engine.domain.reward.Redemption;
import org.loyaltyengine.engine.domain.reward.Reward;
import org.loyaltyengine.engine.domain.reward.RewardRepository;
import org.loyaltyengine.engine.domain.reward.SpentLot;

/**
 * Records a redemption at a till in one transaction: the member's row is locked before the balance is read, so
 * fifty tills redeeming on one account at once never spend more than it holds; a reward's stock is taken by a
 * conditional update, so it is never oversold. Cancels one, at a till of its store or by the programme's staff:
 * the member's row, then the redemption's, locked in that order as a redemption takes them, so that it is given
 * back once however many ask at once.
 */
@ApplicationScoped
public class RedemptionRecorder {

    /**
     * How many days after it a till may cancel a redemption; after that the programme's staff cancel it from the
     * back office ({@link #cancelByStaff}).
     */
    public static final int CANCEL_DAYS = 30;

    private static final Jsonb JSON = JsonbBuilder.create();

    @Inject
    CardService cards;

    @Inject
    MemberRepository members;

    @Inject
    RewardRepository rewards;

    @Inject
    ProgrammeRepository programmes;

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
        return record(command, null);
    }

    /**
     * Records a redemption; one a till sends again after a restore of the engine is recorded under the id it had
     * ({@code originalId}) unless another redemption holds it.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public SaleOutcome record(RedemptionCommand command, String originalId) {
        Card card = cards.forTill(command.programmeCode(), command.cardNumber());
        Programme programme = card.member().programme();
        Optional<Redemption> recorded = rewards.findRedemption(programme, command.storeId(), command.receiptId());
        if (recorded.isPresent()) {
            return new SaleOutcome(replayOf(recorded.get(), command), true);
        }
        card.requireUsable();
        // The holder, locked: a merge committed while this waited moved the points to the member kept.
        Member member = members.lockHolder(card.member());
        recorded = rewards.findRedemption(programme, command.storeId(), command.receiptId());
        if (recorded.isPresent()) {
            return new SaleOutcome(replayOf(recorded.get(), command), true);
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
        // A redemption sent again after a restore of the engine keeps the id it had when the restore lost it: a
        // cancellation made since names it.
        String redemptionId = originalId != null && rewards.findRedemption(programme, originalId).isEmpty()
                ? originalId : ids.next("d-");
        Redemption redemption = new Redemption(redemptionId, programme, command.storeId(), command.terminalId(),
                command.receiptId(), member, card.number().value(), reward, points, command.fingerprint(), now);
        rewards.add(redemption);
        Provenance provenance = new Provenance(Channel.STORE, command.storeId(), command.storeId() + "/"
                + (command.terminalId() == null ? "-" : command.terminalId()),
                (reward == null ? "Points spent for their value" : reward.name() + " (reward " + reward.code() + ")")
                        + (command.receiptId() == null ? "" : ", receipt " + command.receiptId()), now);
        posting.debit(LedgerEntry.redeem(member, null, points, provenance, now).referring(redemption.publicId()),
                today, List.of(), false, lot -> redemption.spentFrom(new SpentLot(lot.points(), lot.availableOn(),
                        lot.expiresOn(), lot.sale())));
        Balance after = ledger.spendable(member, today);
        BigDecimal value = programme.valueOf(points);
        String json = JSON.toJson(new RedemptionResult(redemption.publicId(),
                reward == null ? null : reward.code(), reward == null ? null : reward.name(), points,
                value.toPlainString(), after.available(), after.pending()));
        redemption.answer(json);
        return new SaleOutcome(json, false);
    }

    /**
     * Cancels a redemption at a till of its store, within {@link #CANCEL_DAYS} days: its points come back to the
     * member who holds them now (the member kept, after a merge; not one who closed their account) in the lots they
     * were taken from, with those lots' dates, and the reward's unit goes back to its stock. Asked again, it answers
     * as the first time and gives nothing twice.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public SaleOutcome cancel(RedemptionCancelCommand command) {
        Programme programme = programmes.findByCode(command.programmeCode()).orElseThrow();
        Redemption redemption = named(programme, command);
        if (!redemption.storeId().equals(command.storeId())) {
            throw DomainException.conflict("redemption_other_store", "Redemption " + redemption.publicId()
                    + " was made at store " + redemption.storeId() + "; only a till of that store can cancel it");
        }
        if (redemption.cancelled()) {
            return new SaleOutcome(redemption.cancelResponse(), true);
        }
        Member member = members.lockHolder(redemption.member().current());
        rewards.lock(redemption);
        if (redemption.cancelled()) {
            return new SaleOutcome(redemption.cancelResponse(), true);
        }
        member.requireActive("redemptionId");
        Instant now = clock.instant();
        LocalDate today = programme.today(now);
        LocalDate redeemedOn = programme.today(redemption.recordedAt());
        Optional<String> tooOld = tooOldToCancel(redeemedOn, today);
        if (tooOld.isPresent()) {
            throw DomainException.conflict("redemption_too_old", "Redemption " + redemption.publicId() + " of "
                    + redeemedOn + " can no longer be cancelled at a till: " + tooOld.get()
                    + "; the programme's staff can cancel it from the back office");
        }
        // The cashier's words stay with the redemption (the member's export has them), out of the history the
        // customer reads.
        String reason = command.reason() == null || command.reason().isBlank() ? null : command.reason().strip();
        Provenance provenance = new Provenance(Channel.STORE, command.storeId(), command.storeId() + "/"
                + (command.terminalId() == null ? "-" : command.terminalId()), cancelled(redemption), now);
        String json = giveBack(redemption, member, programme, provenance);
        redemption.cancel(command.storeId(), command.terminalId(), reason, now, json);
        return new SaleOutcome(json, false);
    }

    /**
     * Cancels a redemption of the member (or of a duplicate merged into them) for the programme's staff, from the
     * back office: at any store's and after the till's {@link #CANCEL_DAYS} days (a reward sent by post that never
     * arrived, a customer who asks a month later). The points come back as at a till, in their lots with their
     * dates: those whose date passed meanwhile are given back expired, and the answer says how many. Asked again,
     * or for a redemption a till cancelled, it answers as the first time and gives nothing twice.
     *
     * @param member the member whose account staff have open, the redemption's or the one it was merged into
     * @throws DomainException {@code redemption_not_found} (404) for an id of no redemption of the member,
     *                         {@code member_closed} (409) when the account holding the points is closed
     */
    @Transactional
    public SaleOutcome cancelByStaff(Staff staff, Member member, String redemptionId, String reason) {
        Redemption redemption = (PublicIds.wellFormed("d-", redemptionId)
                ? rewards.findRedemption(member.programme(), redemptionId) : Optional.<Redemption>empty())
                .filter(found -> madeOn(found, member))
                .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "redemption_not_found",
                        "Member " + member.publicId() + " has no redemption " + redemptionId, "redemptionId"));
        Member holder = members.lockHolder(redemption.member().current());
        rewards.lock(redemption);
        if (redemption.cancelled()) {
            return new SaleOutcome(redemption.cancelResponse(), true);
        }
        holder.requireActive("redemptionId");
        Instant now = clock.instant();
        String json = giveBack(redemption, holder, member.programme(),
                new Provenance(staff.channel(), null, staff.name(), cancelled(redemption), now));
        redemption.cancelByStaff(staff.name(), reason.strip(), now, json);
        return new SaleOutcome(json, false);
    }

    /**
     * Whether the redemption was made on the member's account or on one merged into it (a duplicate names the
     * account kept, however many merges were made since its own): the accounts whose redemptions staff see on the
     * member's page.
     */
    private static boolean madeOn(Redemption redemption, Member member) {
        Member account = redemption.member();
        return account.id().equals(member.id())
                || account.mergedInto().map(kept -> kept.id().equals(member.id())).orElse(false);
    }

    /** What the ledger says of a cancellation: the reward (or the points' value) and the receipt it was taken on. */
    private static String cancelled(Redemption redemption) {
        Reward reward = redemption.reward();
        return "Redemption cancelled: " + (reward == null ? "Points spent for their value" : reward.name()
                + " (reward " + reward.code() + ")") + ", receipt " + redemption.receiptId();
    }

    /**
     * Gives the redemption's points back to {@code member}, locked, who holds them now, and its reward's unit to its
     * stock; the answer to the cancellation (JSON), for the caller to note on the redemption.
     */
    private String giveBack(Redemption redemption, Member member, Programme programme, Provenance provenance) {
        Instant now = provenance.occurredAt();
        LocalDate today = programme.today(now);
        LocalDate redeemedOn = programme.today(redemption.recordedAt());
        // Each lot back as it was, to expire when it would have: what expired meanwhile goes at the next expiry
        // run. A redemption of before the lots were kept gives its points back as earned on its day.
        List<PointsPosting.LotShape> lots = redemption.spentFrom().isEmpty()
                ? List.of(new PointsPosting.LotShape(redemption.points(), today, programme.expiresOn(redeemedOn), null))
                : redemption.spentFrom().stream().map(lot -> new PointsPosting.LotShape(lot.points(),
                        lot.availableOn(), lot.expiresOn(), lot.sale())).toList();
        posting.credit(LedgerEntry.redemptionCancelled(member, redemption.points(), redemption.publicId(),
                provenance, now), lots);
        Reward reward = redemption.reward();
        if (reward != null) {
            rewards.giveBackOne(reward);
        }
        Balance after = ledger.spendable(member, today);
        return JSON.toJson(new CancelResult(redemption.publicId(), reward == null ? null : reward.code(),
                reward == null ? null : reward.name(), redemption.points(), expiredBy(lots, today),
                valueGiven(redemption, programme), after.available(), after.pending(), now.toString()));
    }

    /** The points of {@code lots} whose date has passed {@code today}: given back expired. */
    static long expiredBy(List<PointsPosting.LotShape> lots, LocalDate today) {
        return lots.stream().filter(lot -> !lot.expiresOn().isAfter(today)).mapToLong(PointsPosting.LotShape::points)
                .sum();
    }

    /**
     * The redemption a cancellation names, by its receipt at the till's store or by its id.
     *
     * @throws DomainException {@code redemption_not_found} (404), naming the field it was looked for by
     */
    private Redemption named(Programme programme, RedemptionCancelCommand command) {
        if (command.receiptId() != null) {
            // A receipt longer than any kept (64) is none: not compared with the column, which Derby refuses.
            return (command.receiptId().length() > 64 ? Optional.<Redemption>empty()
                    : rewards.findRedemption(programme, command.storeId(), command.receiptId()))
                    .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "redemption_not_found",
                            "No redemption was recorded under receipt " + command.receiptId() + " of store "
                                    + command.storeId() + " (points paid inside a sale come back with a return of"
                                    + " that sale)", "receiptId"));
        }
        return (PublicIds.wellFormed("d-", command.redemptionId())
                ? rewards.findRedemption(programme, command.redemptionId()) : Optional.<Redemption>empty())
                .orElseThrow(() -> new DomainException(DomainException.Kind.NOT_FOUND, "redemption_not_found",
                        "No redemption " + command.redemptionId() + " in programme " + programme.code(),
                        "redemptionId"));
    }

    /**
     * Why a redemption of {@code redeemedOn} can no longer be cancelled at a till {@code today}, if it cannot: the
     * {@link #CANCEL_DAYS} days are over (the day of the redemption and the 30 after it are in).
     */
    static Optional<String> tooOldToCancel(LocalDate redeemedOn, LocalDate today) {
        if (redeemedOn.plusDays(CANCEL_DAYS).isBefore(today)) {
            return Optional.of("a till cancels one for " + CANCEL_DAYS + " days");
        }
        return Optional.empty();
    }

    /** Replays a redemption another transaction recorded first (the database refused the second insert). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public Optional<SaleOutcome> replayOfRecorded(RedemptionCommand command) {
        Card card = cards.forTill(command.programmeCode(), command.cardNumber());
        return rewards.findRedemption(card.member().programme(), command.storeId(), command.receiptId())
                .map(recorded -> new SaleOutcome(replayOf(recorded, command), true));
    }

    /**
     * The first answer to a redemption sent again; when it was cancelled since, with {@code cancelledAt} added: the
     * points the answer says were spent are the member's again, and a till must not hand anything over for it.
     */
    private static String replayOf(Redemption redemption, RedemptionCommand command) {
        String answer = redemption.replay(command.fingerprint());
        if (!redemption.cancelled()) {
            return answer;
        }
        try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(answer))) {
            return jakarta.json.Json.createObjectBuilder(reader.readObject())
                    .add("cancelledAt", redemption.cancelledAt().toString()).build().toString();
        }
    }

    /** The answer to a redemption's cancellation. */
    @Schema(name = "RedemptionCancelResult", description = "The answer to a redemption's cancellation: the points"
            + " given back and the balance of the member who holds them now")
    public record CancelResult(String redemptionId, String rewardId, String reward, long pointsReturned,
                               @Schema(description = "Of the points given back, those whose lots' date passed"
                                       + " since they were spent: given back expired, they go at the next expiry"
                                       + " run (staff may credit them by hand)") long pointsExpiredMeanwhile,
                               @Schema(description = "What the points were worth when spent, as the redemption's"
                                       + " answer said (the till takes it back from the customer when the points"
                                       + " were spent for their value)") String redemptionValue,
                               long availablePoints, long pendingPoints, String cancelledAt) {
    }

    /** The value the redemption's answer gave the points (the point's value may have changed since). */
    static String valueGiven(Redemption redemption, Programme programme) {
        try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(
                new java.io.StringReader(redemption.response()))) {
            jakarta.json.JsonObject answer = reader.readObject();
            if (answer.containsKey("redemptionValue")) {
                return answer.getString("redemptionValue");
            }
        } catch (RuntimeException e) {
            // An answer of another shape: the value now.
        }
        return programme.valueOf(redemption.points()).toPlainString();
    }

    /** The answer to a redemption. */
    @Schema(name = "RedemptionResult", description = "The answer to a redemption")
    public record RedemptionResult(String redemptionId, String rewardId, String reward, long pointsRedeemed,
                                   String redemptionValue, long availablePoints, long pendingPoints) {
    }
}
