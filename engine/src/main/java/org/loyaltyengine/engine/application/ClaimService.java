package org.loyaltyengine.engine.application;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.claim.Claim;
import org.loyaltyengine.engine.domain.claim.ClaimRepository;
import org.loyaltyengine.engine.domain.claim.ClaimStatus;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.ledger.Provenance;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.sale.Sale;
import org.loyaltyengine.engine.domain.sale.SaleRepository;

/**
 * Missing-points claims: a member names a receipt that earned nothing; a manager approves it (the points are
 * credited as a qualifying adjustment referring to the claim) or rejects it.
 */
@ApplicationScoped
public class ClaimService {

    @Inject
    MemberRepository members;

    @Inject
    ClaimRepository claims;

    @Inject
    SaleRepository sales;

    @Inject
    LedgerRepository ledger;

    @Inject
    PointsPosting posting;

    @Inject
    TierPromotion tiers;

    @Inject
    AuditTrail audit;

    @Inject
    org.loyaltyengine.engine.infrastructure.rules.EarningRules earningRules;

    @Inject
    PublicIds ids;

    @Inject
    org.loyaltyengine.engine.domain.access.AccessRepository access;

    @Inject
    Clock clock;

    /**
     * Files a claim for the member.
     *
     * @throws DomainException {@code receipt_already_credited} (409) when the programme holds a sale of the receipt
     *                         (on any member's card) or another member's approved claim of it, {@code claim_exists}
     *                         (409) for a receipt the member claimed before
     */
    @Transactional
    public ClaimView file(String memberId, String storeId, String receiptId, Instant occurredAt, BigDecimal total) {
        Member member = member(memberId);
        Programme programme = member.programme();
        Instant now = clock.instant();
        if (occurredAt.isAfter(now.plus(SaleRecorder.CLOCK_TOLERANCE))) {
            throw DomainException.invalid("occurred_in_future", "occurredAt", "The purchase cannot be in the future");
        }
        if (occurredAt.isBefore(now.minus(java.time.Duration.ofDays(programme.tierWindowDays())))) {
            throw DomainException.unprocessable("claim_too_old", "occurredAt", "Purchases older than "
                    + programme.tierWindowDays() + " days cannot be claimed");
        }
        // The programme's stores: each store its tills were given a key for (revoked ones too: the store was one),
        // and each a manager named. A programme without any takes the store as given.
        List<org.loyaltyengine.engine.domain.access.Store> stores = access.stores(programme.code());
        if (!stores.isEmpty() && stores.stream().noneMatch(store -> store.storeId().equals(storeId))) {
            throw DomainException.unprocessable("unknown_store", "storeId", "Store " + storeId + " is not a store of"
                    + " programme " + programme.code() + " (" + programme.name() + "): pick it in the list of stores"
                    + " or check the store's number on the receipt");
        }
        programme.requireSaleTotalAllowed(total, "total", "check the total on the receipt; a purchase of more is"
                + " credited at the service desk");
        requireNotCredited(programme, member, storeId, receiptId);
        claims.find(member, storeId, receiptId).ifPresent(existing -> {
            throw DomainException.conflict("claim_exists", "Receipt " + receiptId + " of store " + storeId
                    + " is already claimed (" + existing.publicId() + ", " + existing.status() + ")");
        });
        Claim claim = new Claim(ids.next("c-"), member, storeId, receiptId, occurredAt, total, now);
        claims.add(claim);
        return view(claim);
    }

    /** The stores of the member's programme, by name, to pick one in a claim. */
    @Transactional
    public List<StoreChoice> stores(String memberId) {
        Member member = member(memberId);
        return access.stores(member.programme().code()).stream()
                .map(store -> new StoreChoice(store.storeId(), store.name())).toList();
    }

    private Member member(String memberId) {
        return members.findByPublicId(memberId).orElseThrow(() -> DomainException.notFound("member_not_found",
                "No member " + memberId));
    }

    /** A store a member may name in a claim: its number, as on the receipt, and its name. */
    public record StoreChoice(String storeId, String name) {
    }

    @Transactional
    public List<ClaimView> ofMember(String memberId) {
        Member member = member(memberId);
        // Who resolved a claim is staff's business: the member sees the outcome and the note, not the staff's email.
        return claims.ofMember(member).stream().map(ClaimService::view).map(ClaimView::forTheMember).toList();
    }

    /** The claims of a programme for its managers, oldest first. */
    @Transactional
    public List<ClaimView> inProgramme(Staff staff, String programmeCode, ClaimStatus status, int page, int size) {
        staff.requireManages(programmeCode);
        MemberAccountService.requirePage(page, size);
        return claims.inProgramme(programmeCode, status, page, size).stream().map(ClaimService::view).toList();
    }

    /**
     * Approves a claim, crediting {@code points} or, when none are given, what the live rules earn on a purchase
     * of the claimed total in that store on that day; or rejects it, with a note the member sees.
     */
    @Transactional
    public ClaimView resolve(Staff staff, String claimId, boolean approve, Long givenPoints, String note) {
        Claim claim = claims.findByPublicId(claimId).orElseThrow(() -> DomainException.notFound("claim_not_found",
                "No claim " + claimId));
        staff.requireManages(claim.member().programme(), "claim_not_found", "claim " + claimId);
        // The receipt's claims first, then the member, as a till's sale of the receipt takes them: a sale on any card
        // committed before is found below, and one rung up from now on waits, then deducts this approval's points.
        claims.lockReceipt(claim.storeId(), claim.receiptId());
        // Read under the receipt's lock: a resolution of the same claim committed while this one waited is seen, and
        // this one is refused (claim_resolved) rather than crediting the claim a second time.
        claims.reread(claim);
        if (approve && claim.status() == ClaimStatus.OPEN) {
            // The till's sale of the receipt may have come in since the claim was filed (a till that was offline),
            // or another member's claim of it approved: its points are credited already. The claim stays open, for
            // the manager to reject with a note the member sees. Asked before the member's lock: the answer reads
            // the member whose card the receipt was rung up on, and an approval of that member's claim of a receipt
            // rung up on this card, holding that member and waiting for this one, would meet it in a deadlock.
            // The receipt's lock keeps the answer true: a sale of it rung up from now on waits for this approval.
            Member claimant = claim.member().current();
            requireNotCredited(claimant.programme(), claimant, claim.storeId(), claim.receiptId());
        }
        // The holder, locked: a merge committed while this waited would leave the credit on the emptied duplicate.
        Member member = members.lockHolder(claim.member().current());
        if (approve && claim.status() == ClaimStatus.OPEN) {
            // An account closed since the claim was filed holds no points: the approval is refused (member_closed),
            // and the manager rejects the claim with a note.
            member.requireActive(null);
        }
        Instant now = clock.instant();
        long points = givenPoints != null ? givenPoints : approve ? byTheRules(claim, member, now) : 0;
        if (approve && points <= 0) {
            throw DomainException.invalid("points", "An approved claim credits a positive number of points");
        }
        claim.resolve(approve, points, note, staff.name(), now);
        if (approve) {
            Programme programme = member.programme();
            LocalDate earnedOn = programme.today(claim.occurredAt());
            Provenance provenance = new Provenance(staff.channel(), claim.storeId(), staff.name(),
                    "Missing points of receipt " + claim.receiptId() + " of store " + claim.storeId()
                            + (note == null ? "" : ": " + note), claim.occurredAt());
            posting.credit(LedgerEntry.adjustment(member, points, true, provenance, now).referring(claim.publicId()),
                    programme.today(now), programme.expiresOn(earnedOn).isAfter(programme.today(now))
                            ? programme.expiresOn(earnedOn) : programme.expiresOn(programme.today(now)));
            tiers.afterCredit(member, new Provenance(staff.channel(), claim.storeId(), staff.name(), null, now),
                    "claim " + claim.publicId(), now);
        }
        audit.record(new AuditEvent(now, staff.name(), approve ? "CLAIM_APPROVED" : "CLAIM_REJECTED",
                member.programme().code(), claim.publicId(), (approve ? points + " points" : "rejected")
                + (note == null ? "" : ": " + note)));
        return view(claim);
    }

    /** The till's sale of a receipt a customer typed, in any of its spellings ({@link Claim#distinctSpellings}). */
    private Optional<Sale> saleOfReceipt(Programme programme, String storeId, String receiptId) {
        return Claim.firstFound(receiptId, spelling -> sales.findByReceipt(programme, storeId, spelling));
    }

    /**
     * @throws DomainException {@code receipt_already_credited} (409) when the programme holds a sale of the receipt
     *                         or an approved claim of it: its points were credited, to this member or another
     */
    private void requireNotCredited(Programme programme, Member member, String storeId, String receiptId) {
        saleOfReceipt(programme, storeId, receiptId).ifPresent(sale -> {
            boolean own = sale.member().current().id().equals(member.id());
            // The customer's own: when it was recorded, and that the history shows what it earned (a basket too
            // small to earn is recorded all the same, and shows no line).
            throw new DomainException(DomainException.Kind.CONFLICT, "receipt_already_credited", "Receipt "
                    + receiptId + " of store " + storeId + (own ? " was recorded on this account already, as a"
                    + " purchase of " + programme.today(sale.occurredAt()) + ": the points it earned, if any, are in"
                    + " the history" : " was already credited to another card") + "; it cannot be claimed",
                    "receiptId");
        });
        claims.approvedFor(programme, storeId, receiptId).ifPresent(approved -> {
            boolean own = approved.member().current().id().equals(member.id());
            throw new DomainException(DomainException.Kind.CONFLICT, "receipt_already_credited", "Receipt "
                    + receiptId + " of store " + storeId + " was already credited "
                    + (own ? "to this account (claim " + approved.publicId() + ")" : "through another member's claim")
                    + "; its points cannot be claimed", "receiptId");
        });
    }

    /** What the live rules earn on a purchase of the claimed total, in the claimed store, on the claimed day. */
    private long byTheRules(Claim claim, Member member, Instant now) {
        Programme programme = member.programme();
        org.loyaltyengine.engine.domain.sale.Receipt receipt = new org.loyaltyengine.engine.domain.sale.Receipt(
                claim.storeId(), null, claim.receiptId(), "claim", claim.occurredAt(), programme.currency(),
                List.of(new org.loyaltyengine.engine.domain.sale.SaleLine("CLAIM", "claimed-purchase", 1,
                        claim.total())));
        return earningRules.decide(programme, member, receipt, programme.zone().getRules()
                .getOffset(claim.occurredAt()), "store", now).totalPoints();
    }

    /** The claim as the member it is now (the member kept, for a duplicate's claim merged since) and its name. */
    static ClaimView view(Claim claim) {
        org.loyaltyengine.engine.domain.member.Member member = claim.member().current();
        return new ClaimView(claim.publicId(), member.publicId(), member.displayName(), claim.storeId(),
                claim.receiptId(),
                claim.occurredAt(), claim.total().setScale(2, java.math.RoundingMode.HALF_UP).toPlainString(), claim.status().name(),
                claim.createdAt(), claim.resolvedAt(), claim.resolvedBy(), claim.resolutionNote(),
                claim.pointsCredited());
    }

    /** A claim as its member and the managers see it. */
    public record ClaimView(String claimId, String memberId, String memberName, String storeId, String receiptId,
                            Instant occurredAt, String total, String status, Instant createdAt, Instant resolvedAt,
                            String resolvedBy, String note, Long pointsCredited) {

        /** The claim as its member sees it: without the email of the staff member who resolved it. */
        ClaimView forTheMember() {
            return new ClaimView(claimId, memberId, memberName, storeId, receiptId, occurredAt, total, status,
                    createdAt, resolvedAt, null, note, pointsCredited);
        }
    }
}
