package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.AccessRepository;
import org.loyaltyengine.engine.domain.audit.AuditTrail;
import org.loyaltyengine.engine.domain.card.CardRepository;
import org.loyaltyengine.engine.domain.claim.ClaimRepository;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.reward.RewardRepository;
import org.loyaltyengine.engine.domain.sale.Sale;
import org.loyaltyengine.engine.domain.sale.SaleRepository;

/**
 * Everything the engine holds about a member, for the member's right of access (GDPR article 15): personal
 * details, sign-ins (never the password hash), cards, every ledger entry, sales with their lines and returns,
 * redemptions, claims, the administrative actions about the member, and the same for every duplicate merged into
 * the member.
 */
@ApplicationScoped
public class MemberExport {

    @PersistenceContext(unitName = "loyalty")
    EntityManager em;

    @Inject
    MemberRepository members;

    @Inject
    CardRepository cards;

    @Inject
    AccessRepository access;

    @Inject
    LedgerRepository ledger;

    @Inject
    SaleRepository sales;

    @Inject
    RewardRepository rewards;

    @Inject
    ClaimRepository claims;

    @Inject
    AuditTrail audit;

    @Inject
    MemberAccountService accounts;

    @Inject
    Clock clock;

    @Inject
    CustomerKnowledge knowledge;


    @Transactional
    public Export export(String memberId) {
        Member member = members.findByPublicId(memberId).orElseThrow(() -> DomainException.notFound(
                "member_not_found", "No member " + memberId));
        List<Record> records = new ArrayList<>();
        records.add(record(member));
        // Every duplicate merged in, and those merged into them before (each names the account kept): a chain
        // A <- B <- C exports C's data too.
        members.duplicatesOf(member).forEach(duplicate -> records.add(record(duplicate)));
        return new Export(clock.instant(), accounts.overview(member), records);
    }

    private Record record(Member member) {
        Personal personal = new Personal(member.publicId(), member.programme().code(), member.status().name(),
                member.email(), member.firstName(), member.lastName(), member.birthDate(), member.joinedOn(),
                member.tierCode(), member.tierSince(), member.pointsOwed());
        List<MemberAdministration.CardView> cardViews = cards.findByMember(member).stream()
                .map(MemberAdministration::view).toList();
        List<SignIn> signIns = access.accountsOf(member.publicId()).stream()
                .map(account -> new SignIn(account.email(), account.role().name())).toList();
        List<LedgerPage.Line> entries = ledger.allEntries(member).stream()
                .map(entry -> MemberAccountService.line(entry, true)).toList();
        List<SaleRecord> saleRecords = sales.salesOf(member).stream().map(this::sale).toList();
        List<RedemptionRecord> redemptions = rewards.redemptionsOf(member).stream()
                .map(r -> new RedemptionRecord(r.publicId(), r.storeId(), r.receiptId(), r.cardNumber(),
                        r.reward() == null ? null : r.reward().code(), r.points(), r.recordedAt(), r.cancelledAt(),
                        r.cancelStoreId(), r.cancelledBy(), r.cancelReason()))
                .toList();
        List<ClaimService.ClaimView> claimViews = claims.ofMember(member).stream().map(ClaimService::view).toList();
        List<MemberAdministration.AuditLine> actions = audit.about(member.publicId()).stream()
                .map(e -> new MemberAdministration.AuditLine(e.occurredAt(), e.actor(), e.action(), e.subject(),
                        e.detail()))
                .toList();
        MemberAdministration.Knowledge scores = knowledge.of(member)
                .map(score -> MemberAdministration.knowledgeOf(member, score)).orElse(null);
        List<OfferRecord> offers = em.createQuery("select mo from MemberOffer mo where mo.member = :m order by mo.id",
                        org.loyaltyengine.engine.domain.offer.MemberOffer.class)
                .setParameter("m", member).getResultList().stream()
                .map(o -> new OfferRecord(o.publicId(), o.offer().code(), o.offer().title(), o.status().name(),
                        o.chosenBy(), o.segment(), o.grantedOn(), o.validUntil(), o.usedAt()))
                .toList();
        return new Record(personal, MemberAdministration.contactOf(member), member.phone(), cardViews, signIns, entries,
                saleRecords, redemptions, claimViews, actions, scores, offers);
    }

    private SaleRecord sale(Sale sale) {
        return new SaleRecord(sale.publicId(), sale.storeId(), sale.terminalId(), sale.receiptId(),
                sale.cardNumber(), sale.occurredAt(), sale.currency(), Currencies.amount(sale.total(), sale.currency()),
                sale.lines().stream().map(line -> new SaleLineRecord(line.sku(), line.category(), line.quantity(),
                        Currencies.amount(line.unitPrice(), sale.currency()))).toList(),
                sales.returnsOf(sale).stream().map(r -> new ReturnRecord(r.returnId(), r.storeId(),
                        r.lines().stream().map(l -> new ReturnLineRecord(l.sku(), l.quantity())).toList(),
                        r.pointsReversed(), r.recordedAt())).toList());
    }

    /** The export: when it was made, the account now, and the records of the member and its merged duplicates. */
    @Schema(name = "Export", description = "Everything held about a member")
    public record Export(Instant exportedAt, MemberOverview account, List<Record> records) {
    }

    /** What is held under one member record. */
    public record Record(Personal member, MemberAdministration.Contact contact, String phone,
                         List<MemberAdministration.CardView> cards, List<SignIn> signIns,
                         List<LedgerPage.Line> ledger, List<SaleRecord> sales, List<RedemptionRecord> redemptions,
                         List<ClaimService.ClaimView> claims, List<MemberAdministration.AuditLine> actions,
                         MemberAdministration.Knowledge knowledge, List<OfferRecord> offers) {
    }

    /**
     * An offer the incentive rules chose for the member: given (OPEN, USED) or withheld as the control group
     * (HELD_OUT), with the rule and the segment that chose it.
     */
    public record OfferRecord(String offerId, String offer, String title, String status, String chosenBy,
                              String segment, LocalDate grantedOn, LocalDate validUntil, Instant usedAt) {
    }

    /** The member's personal details and standing. */
    public record Personal(String memberId, String programme, String status, String email, String firstName,
                           String lastName, LocalDate birthDate, LocalDate joinedOn, String tier, Instant tierSince,
                           long pointsOwed) {
    }

    /** A sign-in to the member's account. */
    public record SignIn(String email, String role) {
    }

    /** A recorded sale. */
    public record SaleRecord(String transactionId, String storeId, String terminalId, String receiptId,
                             String cardNumber, Instant occurredAt, String currency, String total,
                             List<SaleLineRecord> lines, List<ReturnRecord> returns) {
    }

    /** A line of a sale. */
    public record SaleLineRecord(String sku, String category, int quantity, String unitPrice) {
    }

    /** A return of a sale. */
    public record ReturnRecord(String returnId, String storeId, List<ReturnLineRecord> lines, long pointsReversed,
                               Instant recordedAt) {
    }

    /** A returned line. */
    public record ReturnLineRecord(String sku, int quantity) {
    }

    /**
     * A redemption at a till, and its cancellation when it was cancelled (null fields while it stands): at a till of
     * a store ({@code cancelledAtStore}) or by a staff member from the back office ({@code cancelledBy}).
     */
    public record RedemptionRecord(String redemptionId, String storeId, String receiptId, String cardNumber,
                                   String rewardId, long points, Instant recordedAt, Instant cancelledAt,
                                   String cancelledAtStore, String cancelledBy, String cancelReason) {
    }
}
