package org.loyaltyengine.engine.application;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.card.CardRepository;
import org.loyaltyengine.engine.domain.ledger.Balance;
import org.loyaltyengine.engine.domain.ledger.LedgerEntry;
import org.loyaltyengine.engine.domain.ledger.LedgerRepository;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.member.MemberRepository;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.Tier;
import org.loyaltyengine.engine.domain.sale.SaleRepository;

/** Shows members their own account: balance, tier progress, expiring points and history. */
@ApplicationScoped
public class MemberAccountService {

    public static final int MAX_PAGE_SIZE = 100;

    @Inject
    MemberRepository members;

    @Inject
    org.loyaltyengine.engine.domain.reward.RewardRepository rewards;

    @Inject
    CardRepository cards;

    @Inject
    LedgerRepository ledger;

    @Inject
    SaleRepository sales;

    @Inject
    Clock clock;

    @Inject
    org.loyaltyengine.engine.infrastructure.rules.EarningRules earningRules;

    @Transactional
    public MemberOverview overview(String memberPublicId) {
        return overview(require(memberPublicId));
    }

    /** The member's account as its holder sees it; the caller has checked who may see it. */
    @Transactional
    public MemberOverview overview(Member member) {
        Programme programme = member.programme();
        Instant now = clock.instant();
        LocalDate today = programme.today(now);
        Balance balance = ledger.balanceOf(member, today);
        long qualifying = ledger.purchaseHistory(member, programme.tierWindowStart(now))
                .qualifyingPoints();
        Tier next = programme.tierAbove(member.tierCode()).orElse(null);
        LocalDate review = member.nextReviewOn(today);
        MemberOverview.TierProgress progress = new MemberOverview.TierProgress(member.tierCode(),
                next == null ? null : next.code(), qualifying,
                next == null ? 0 : Math.max(0, next.minimumPoints() - qualifying), review,
                programme.tierWindowDays(), qualifying > 0 ? nextLeaving(member, now) : null,
                keeping(member, qualifying, review));
        return new MemberOverview(member.publicId(), programme.code(), programme.zone().getId(), member.email(),
                member.firstName(), member.lastName(), member.joinedOn(),
                cards.findByMember(member).stream()
                        .map(card -> new MemberOverview.CardLine(card.number().value(), card.status().name()))
                        .toList(),
                member.tierCode(), progress, balance.available(), balance.pending(),
                balance.expiring().stream().map(e -> new MemberOverview.Expiring(e.points(), e.on())).toList(),
                programme.name());
    }

    /**
     * What keeping the member's tier at the review of {@code review} takes: its threshold against the qualifying
     * points that still count on that day (none to read when none count now); null in the entry tier, which every
     * member keeps.
     */
    private MemberOverview.Keeping keeping(Member member, long qualifying, LocalDate review) {
        Programme programme = member.programme();
        Tier tier = programme.tier(member.tierCode()).orElse(null);
        if (tier == null || tier.minimumPoints() <= 0) {
            return null;
        }
        long counting = qualifying == 0 ? 0 : ledger.purchaseHistory(member,
                programme.tierWindowStart(review.atStartOfDay(programme.zone()).toInstant())).qualifyingPoints();
        return new MemberOverview.Keeping(tier.code(), tier.minimumPoints(), counting,
                Math.max(0, tier.minimumPoints() - counting), review);
    }

    /**
     * The qualifying points that stop counting first: those of the oldest day in the tier window whose entries
     * still add some (a purchase less what came back of it), on the day they leave the window.
     */
    private MemberOverview.Leaving nextLeaving(Member member, Instant now) {
        Programme programme = member.programme();
        java.util.Map<LocalDate, Long> byDay = new java.util.TreeMap<>();
        for (org.loyaltyengine.engine.domain.ledger.LedgerRepository.QualifyingMove move
                : ledger.oldestQualifying(member, programme.tierWindowStart(now), 200)) {
            byDay.merge(programme.today(move.occurredAt().plus(java.time.Duration.ofDays(programme.tierWindowDays()))),
                    move.points(), Long::sum);
        }
        return byDay.entrySet().stream().filter(day -> day.getValue() > 0).findFirst()
                .map(day -> new MemberOverview.Leaving(day.getKey(), day.getValue())).orElse(null);
    }

    /**
     * What the member's points buy: what a point is worth, and the rewards the programme offers today, each said
     * whether the member can take it now (enough points, the tier it asks for, in stock).
     */
    @Transactional
    public Rewards rewards(String memberPublicId) {
        return rewards(require(memberPublicId));
    }

    /** What the member's points buy, as {@link #rewards(String)} says it; in the caller's transaction. */
    public Rewards rewards(Member member) {
        Programme programme = member.programme();
        Instant now = clock.instant();
        LocalDate today = programme.today(now);
        long available = ledger.balanceOf(member, today).available();
        // The member's profile, read once for the redemption rules of every reward the member could take.
        org.loyaltyengine.rules.fact.MemberProfile[] profile = new org.loyaltyengine.rules.fact.MemberProfile[1];
        return new Rewards(programme.currency(), programme.pointValue().stripTrailingZeros().toPlainString(), available,
                rewards.catalogue(programme).stream().filter(reward -> reward.validOn(today)).map(reward -> {
                    boolean tierAllows = reward.tierAllows(member);
                    boolean inStock = reward.stock() == null || reward.stock() > 0;
                    // Why not, in the order a cashier can act on: none left, then the tier (no points bring it),
                    // then the points, then a redemption rule of the programme (a minimum balance, say).
                    String why = !inStock ? "stock" : !tierAllows ? "tier"
                            : available < reward.pointsPrice() ? "points" : null;
                    if (why == null) {
                        try {
                            if (profile[0] == null) {
                                profile[0] = earningRules.profile(programme, member, now);
                            }
                            why = earningRules.refusal(programme, profile[0], reward.pointsPrice(), reward.code(),
                                    reward.tierCode(), available).map(refusal -> "rule: " + refusal.reason())
                                    .orElse(null);
                        } catch (org.loyaltyengine.rules.RuleFailedException e) {
                            why = "rule: the programme's redemption rules failed on it";
                        }
                    }
                    return new Rewards.Reward(reward.code(), reward.name(), reward.pointsPrice(), reward.tierCode(),
                            inStock, reward.validUntil(), why == null, why);
                }).toList());
    }

    /** What a member's points buy ({@code GET /me/rewards}). */
    public record Rewards(String currency, String pointValue, long availablePoints, java.util.List<Reward> rewards) {

        /**
         * @param tier      the tier it is for (and those above), {@code null} for every member
         * @param available whether this member can take it now
         * @param why       why not, when not: {@code stock} (none left), {@code tier} (kept for a higher tier),
         *                  {@code points} (not enough), or {@code rule: …} (a redemption rule's reason)
         */
        public record Reward(String rewardId, String name, long points, String tier, boolean inStock,
                             LocalDate validUntil, boolean available, String why) {
        }
    }

    @Transactional
    public LedgerPage history(String memberPublicId, int page, int size) {
        return history(require(memberPublicId), page, size, false);
    }

    /** A page of the member's ledger; staff also see who made each change. */
    @Transactional
    public LedgerPage history(Member member, int page, int size, boolean forStaff) {
        requirePage(page, size);
        java.util.List<LedgerEntry> entries = ledger.history(member, page, size);
        java.util.Map<Long, String> receipts = sales.receiptIds(entries.stream().map(LedgerEntry::saleId)
                .filter(java.util.Objects::nonNull).distinct().toList());
        return new LedgerPage(page, size, ledger.countEntries(member), entries.stream()
                .map(entry -> line(entry, forStaff, entry.saleId() == null ? null : receipts.get(entry.saleId())))
                .toList());
    }

    /**
     * A page of a list: from 0, of 1 to {@value #MAX_PAGE_SIZE} items, that the database can address.
     *
     * @throws DomainException {@code invalid_field} {@code page} or {@code size} (400)
     */
    static void requirePage(int page, int size) {
        if (page < 0) {
            throw DomainException.invalid("page", "page starts at 0, was " + page);
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw DomainException.invalid("size", "size is between 1 and " + MAX_PAGE_SIZE + ", was " + size);
        }
        requireAddressable(page, size);
    }

    /**
     * A page starts at row {@code page × size}, which the database addresses with an int: a page beyond that is
     * refused rather than wrapped around to a negative start (a 500) or to real rows of an earlier page.
     *
     * @throws DomainException {@code invalid_field} {@code page} (400)
     */
    static void requireAddressable(int page, int size) {
        if ((long) page * size > Integer.MAX_VALUE) {
            throw DomainException.invalid("page", "page × size must stay below " + ((long) Integer.MAX_VALUE + 1)
                    + "; page " + page + " of size " + size + " is beyond any history");
        }
    }

    static LedgerPage.Line line(LedgerEntry entry, boolean forStaff) {
        return line(entry, forStaff, null);
    }

    static LedgerPage.Line line(LedgerEntry entry, boolean forStaff, String receiptId) {
        return new LedgerPage.Line(entry.id(), entry.kind().name(), entry.points(), entry.occurredAt(),
                entry.recordedAt(), entry.channel().name(), entry.storeId(), entry.reason(), entry.reference(),
                forStaff ? entry.actor() : null, entry.ruleSet(),
                entry.appliedRules().stream()
                        .map(rule -> new SaleResult.RuleShare(rule.rule(), rule.points())).toList(), receiptId);
    }

    /** What the member agreed to receive campaigns by. */
    public record Consents(boolean email, boolean sms, boolean post) {
    }

    @jakarta.transaction.Transactional
    public Consents consents(String memberPublicId) {
        Member.Contactability c = require(memberPublicId).contactability();
        return new Consents(c.consentEmail(), c.consentSms(), c.consentPost());
    }

    /** The member changes their consents; {@code null} leaves a channel as it is. */
    @jakarta.transaction.Transactional
    public Consents consent(String memberPublicId, Boolean email, Boolean sms, Boolean post) {
        Member member = require(memberPublicId);
        member.requireActive(null);
        member.consent(email, sms, post);
        return consents(memberPublicId);
    }

    Member require(String memberPublicId) {
        return members.findByPublicId(memberPublicId)
                .orElseThrow(() -> DomainException.notFound("member_not_found", "No member " + memberPublicId));
    }
}
