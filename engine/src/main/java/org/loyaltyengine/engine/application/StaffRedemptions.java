package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.reward.Redemption;
import org.loyaltyengine.engine.domain.reward.RewardRepository;

/**
 * A member's redemptions as the programme's staff see and undo them from the back office: the list with what became
 * of each, and a cancellation with a reason at any store's and however long ago (a till cancels one of its store for
 * {@link RedemptionRecorder#CANCEL_DAYS} days).
 */
@ApplicationScoped
public class StaffRedemptions {

    private static final Jsonb ANSWERS = JsonbBuilder.create();

    @Inject
    MemberRepository members;

    @Inject
    RewardRepository rewards;

    @Inject
    RedemptionRecorder recorder;

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    /**
     * A page of the member's redemptions (and its merged duplicates'), newest first, with what became of each: a
     * cancelled one says when, by which till or which staff member, and why.
     */
    @Transactional
    public RedemptionsPage list(Staff staff, String memberId, int page, int size) {
        Member member = member(staff, memberId);
        MemberAccountService.requirePage(page, size);
        List<RedemptionLine> items = rewards.redemptionsOf(member, page, size).stream()
                .map(r -> line(r, member)).toList();
        return new RedemptionsPage(page, size, rewards.countRedemptions(member), items);
    }

    /**
     * Cancels a redemption of the member (or of a duplicate merged into them) with a reason: its points come back in
     * their lots to the member who holds them now, and the reward's unit to its stock; recorded in the audit trail of
     * that member. Asked again, or for one a till cancelled, it answers as the first time
     * ({@link SaleOutcome#replay()}) and records nothing.
     */
    @Transactional
    public SaleOutcome cancel(Staff staff, String memberId, String redemptionId, String reason) {
        Member member = member(staff, memberId);
        SaleOutcome outcome = recorder.cancelByStaff(staff, member, redemptionId, reason);
        if (!outcome.replay()) {
            RedemptionRecorder.CancelResult result = ANSWERS.fromJson(outcome.json(),
                    RedemptionRecorder.CancelResult.class);
            Member holder = member.current();
            audit.record(new AuditEvent(clock.instant(), staff.name(), "REDEMPTION_CANCELLED",
                    member.programme().code(), holder.publicId(), result.redemptionId() + " ("
                    + (result.reward() == null ? "points spent for their value, worth " + result.redemptionValue()
                    : result.reward()) + "): " + result.pointsReturned() + " points given back"
                    + (result.pointsExpiredMeanwhile() > 0 ? ", " + result.pointsExpiredMeanwhile()
                    + " of them expired meanwhile" : "") + (holder == member ? "" : " (asked on merged account "
                    + member.publicId() + ")") + ": " + reason.strip() + "; available now "
                    + result.availablePoints()));
        }
        return outcome;
    }

    private static RedemptionLine line(Redemption r, Member member) {
        return new RedemptionLine(r.publicId(), r.member().publicId(), r.cardNumber(), r.storeId(), r.terminalId(),
                r.receiptId(), r.reward() == null ? null : r.reward().code(),
                r.reward() == null ? null : r.reward().name(), r.points(),
                RedemptionRecorder.valueGiven(r, member.programme()), r.recordedAt(), r.cancelledAt(),
                r.cancelStoreId(), r.cancelTerminalId(), r.cancelledBy(), r.cancelReason());
    }

    private Member member(Staff staff, String memberId) {
        Member member = members.findByPublicId(memberId).orElseThrow(() -> DomainException.notFound(
                "member_not_found", "No member " + memberId));
        staff.requireManages(member.programme(), "member_not_found", "member " + memberId);
        return member;
    }

    /** A page of a member's redemptions. */
    @Schema(name = "RedemptionsPage", description = "A page of a member's redemptions, newest first")
    public record RedemptionsPage(int page, int size, long total, List<RedemptionLine> items) {
    }

    /**
     * A redemption as staff see it.
     *
     * @param memberId        the account it was made on (a duplicate merged since, or the member's own)
     * @param redemptionValue what the points were worth, as the till was told
     * @param cancelStoreId   the store whose till cancelled it; null when staff did, or while it stands
     * @param cancelledBy     the staff member who cancelled it from the back office; null when a till did
     * @param cancelReason    the cashier's or the staff member's words, when they gave some
     */
    @Schema(name = "RedemptionLine", description = "A redemption as staff see it, with its cancellation if any")
    public record RedemptionLine(String redemptionId, String memberId, String cardNumber, String storeId,
                                 String terminalId, String receiptId, String rewardId, String reward, long points,
                                 String redemptionValue, Instant recordedAt, Instant cancelledAt,
                                 String cancelStoreId, String cancelTerminalId, String cancelledBy,
                                 String cancelReason) {
    }
}
