package org.loyaltyengine.engine.domain.programme;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.DomainException;

/**
 * A loyalty programme: the currency its points are earned in, what a point is worth when redeemed, how long
 * points live and how long they wait before they can be spent, and its tiers. Several programmes live side by
 * side; every member, card, key and rule set belongs to exactly one.
 */
@Entity
@Table(name = "programme")
public class Programme {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(nullable = false, unique = true, length = 32)
    private String code;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(nullable = false, length = 3)
    private String currency;

    @Column(name = "points_expire_after_days", nullable = false)
    private int pointsExpireAfterDays;

    @Column(name = "pending_days", nullable = false)
    private int pendingDays;

    /** Money one point is worth when redeemed: 0.01 when 100 points pay 1.00. */
    @Column(name = "point_value", nullable = false, precision = 19, scale = 6)
    private BigDecimal pointValue;

    @Column(name = "tier_window_days", nullable = false)
    private int tierWindowDays;

    @Column(name = "zone_id", nullable = false, length = 64)
    private String zoneId;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    /** The rule set version the programme serves; every engine instance follows it. */
    @Column(name = "live_rule_version")
    private Integer liveRuleVersion;

    /** How many open personal offers a member may hold at once. */
    @Column(name = "max_open_offers", nullable = false)
    private int maxOpenOffers = 3;

    /** How many days after a first purchase a member counts as "new" in the segments. */
    @Column(name = "new_member_days", nullable = false)
    private int newMemberDays = 30;

    /** The most one sale may come to, in the programme's currency; {@code null}: no limit. */
    @Column(name = "max_sale_total", precision = 15, scale = 2)
    private BigDecimal maxSaleTotal;

    /** The programme's segment definitions ({@code SegmentDefinitions}); {@code null} for the defaults. */
    @Column(name = "segment_definitions", length = 2000)
    private String segmentDefinitions;

    @OneToMany(mappedBy = "programme", cascade = CascadeType.ALL, orphanRemoval = true)
    @OrderBy("rank")
    private List<Tier> tiers = new ArrayList<>();

    protected Programme() {
    }

    public Programme(ProgrammeTerms terms, Instant createdAt) {
        this.code = terms.code();
        this.name = terms.name();
        this.currency = terms.currency();
        this.pointsExpireAfterDays = terms.pointsExpireAfterDays();
        this.pendingDays = terms.pendingDays();
        this.pointValue = terms.pointValue();
        this.tierWindowDays = terms.tierWindowDays();
        this.zoneId = terms.zone().getId();
        this.createdAt = createdAt;
    }

    /**
     * Adds a tier above the existing ones.
     *
     * @throws DomainException {@code tier_exists} (409) for a code in use, {@code tier_order} (422) when the
     *                         threshold is not above the top tier's
     */
    public Tier addTopTier(String tierCode, String tierName, long minimumPoints) {
        if (tier(tierCode).isPresent()) {
            throw new DomainException(DomainException.Kind.CONFLICT, "tier_exists", "Programme " + code
                    + " already has tier " + tierCode, "code");
        }
        if (!tiers.isEmpty() && minimumPoints <= tiers.get(tiers.size() - 1).minimumPoints()) {
            throw DomainException.unprocessable("tier_order", "minimumPoints", "A new tier goes above the top tier "
                    + tiers.get(tiers.size() - 1).code() + " (from " + tiers.get(tiers.size() - 1).minimumPoints()
                    + " points)");
        }
        if (tiers.isEmpty() && minimumPoints != 0) {
            throw DomainException.unprocessable("tier_order", "minimumPoints", "The first tier starts at 0 points");
        }
        return addTier(tierCode, tierName, minimumPoints);
    }

    /**
     * Renames a tier and moves its threshold, which stays above the tier below and below the tier above (the entry
     * tier starts at 0). Members move on their next purchase (upwards) or yearly review (downwards), as always.
     *
     * @throws DomainException {@code tier_not_found} (404), {@code tier_order} (422)
     */
    public Tier amendTier(String tierCode, String newName, long newMinimumPoints) {
        Tier tier = tier(tierCode).orElseThrow(() -> DomainException.notFound("tier_not_found", "Programme " + code
                + " has no tier " + tierCode));
        List<Tier> ordered = tiers();
        int at = ordered.indexOf(tier);
        if (at == 0 && newMinimumPoints != 0) {
            throw DomainException.unprocessable("tier_order", "minimumPoints", "The entry tier " + tier.code()
                    + " starts at 0 points");
        }
        if (at > 0 && newMinimumPoints <= ordered.get(at - 1).minimumPoints()) {
            throw DomainException.unprocessable("tier_order", "minimumPoints", "Tier " + tier.code() + " starts above"
                    + " the tier below, " + ordered.get(at - 1).code() + " (from " + ordered.get(at - 1).minimumPoints()
                    + " points)");
        }
        if (at < ordered.size() - 1 && newMinimumPoints >= ordered.get(at + 1).minimumPoints()) {
            throw DomainException.unprocessable("tier_order", "minimumPoints", "Tier " + tier.code() + " starts below"
                    + " the tier above, " + ordered.get(at + 1).code() + " (from " + ordered.get(at + 1).minimumPoints()
                    + " points)");
        }
        tier.amend(newName, newMinimumPoints);
        return tier;
    }

    /** Changes the terms that may change while members earn; points already earned keep their dates. */
    public void amend(String newName, int expireAfterDays, int newPendingDays, BigDecimal newPointValue,
                      int windowDays) {
        this.name = newName;
        this.pointsExpireAfterDays = expireAfterDays;
        this.pendingDays = newPendingDays;
        this.pointValue = newPointValue;
        this.tierWindowDays = windowDays;
    }

    /**
     * Moves the programme to another time zone: its days (today, the tier window, the weeks of its reports) are
     * that zone's from now on; the days already given (expiry, pending, offers' last days) keep their dates.
     */
    public void rezone(ZoneId zone) {
        this.zoneId = zone.getId();
    }

    /** Limits what one sale may come to ({@code null}: no limit); sales recorded before keep their points. */
    public void limitSaleTotal(BigDecimal most) {
        this.maxSaleTotal = most;
    }

    /** The most one sale may come to, in the programme's currency; {@code null} for no limit. */
    public BigDecimal maxSaleTotal() {
        return maxSaleTotal;
    }

    /**
     * Refuses a purchase that comes to more than the programme allows one sale: a till's typo, most likely.
     *
     * @param field the input named in the refusal
     * @throws DomainException {@code sale_total_too_large} (422)
     */
    public void requireSaleTotalAllowed(BigDecimal total, String field) {
        requireSaleTotalAllowed(total, field, "check the prices and quantities; a manager sets the most"
                + " (maxSaleTotal)");
    }

    /**
     * The same, said with the advice the caller can act on (a member claiming a purchase is no cashier).
     *
     * @throws DomainException {@code sale_total_too_large} (422)
     */
    public void requireSaleTotalAllowed(BigDecimal total, String field, String advice) {
        if (maxSaleTotal != null && total.compareTo(maxSaleTotal) > 0) {
            throw DomainException.unprocessable("sale_total_too_large", field, "The sale comes to "
                    + total.toPlainString() + " " + currency + ", more than " + name + " takes for one sale ("
                    + maxSaleTotal.toPlainString() + " " + currency + "): " + advice);
        }
    }

    /** Prices the programme in another currency; only while it holds nothing in its currency (the caller checks). */
    public void reprice(String newCurrency) {
        this.currency = newCurrency;
    }

    /** What points are worth in the programme's currency, rounded half up to the currency's minor unit. */
    public BigDecimal valueOf(long points) {
        int digits = Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
        return pointValue.multiply(BigDecimal.valueOf(points)).setScale(digits, java.math.RoundingMode.HALF_UP);
    }

    /**
     * The fewest points that pay a whole number of the currency's smallest unit: points are spent for money in
     * multiples of it, never for a value rounded away (at 0.01 JPY a point, 100 points pay 1 JPY and 7 pay
     * nothing; at 0.005 EUR, 2 points pay a cent).
     */
    public long pointsStep() {
        int digits = Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
        BigDecimal units = pointValue.movePointRight(digits).stripTrailingZeros();
        if (units.scale() <= 0) {
            return 1;
        }
        java.math.BigInteger denominator = java.math.BigInteger.TEN.pow(units.scale());
        return denominator.divide(units.unscaledValue().gcd(denominator)).longValueExact();
    }

    /**
     * Refuses points spent for money that pay a part of the currency's smallest unit ({@link #pointsStep}), or pay
     * more than the purchase they pay for (none when it is null: points spent on their own).
     *
     * @throws DomainException {@code redemption_not_whole} or {@code redemption_exceeds_total} (422) naming the field
     */
    public void requirePayable(long points, BigDecimal purchase, String field) {
        if (points <= 0) {
            return;
        }
        long step = pointsStep();
        if (points % step != 0) {
            throw DomainException.unprocessable("redemption_not_whole", field, points + " points would pay "
                    + pointValue.multiply(BigDecimal.valueOf(points)).stripTrailingZeros().toPlainString() + " "
                    + currency + ", not a whole amount: in programme " + code + " points pay in steps of " + step
                    + " (" + valueOf(step).toPlainString() + " " + currency + "), e.g. " + (points / step * step)
                    + " or " + (points / step * step + step));
        }
        if (purchase != null && valueOf(points).compareTo(purchase) > 0) {
            long most = purchase.divide(pointValue, 0, java.math.RoundingMode.DOWN).longValue() / step * step;
            throw DomainException.unprocessable("redemption_exceeds_total", field, points + " points would pay "
                    + valueOf(points).toPlainString() + " " + currency + ", more than the purchase's "
                    + purchase.toPlainString() + " " + currency + ": at most " + most + " points on it");
        }
    }

    public Integer liveRuleVersion() {
        return liveRuleVersion;
    }

    /** Makes a version the one every instance serves. */
    public void serve(int ruleVersion) {
        this.liveRuleVersion = ruleVersion;
    }

    public int pointsExpireAfterDays() {
        return pointsExpireAfterDays;
    }

    public int pendingDays() {
        return pendingDays;
    }

    /** Adds a tier reached from the given qualifying points; ranks follow the order tiers are added in. */
    public Tier addTier(String tierCode, String tierName, long minimumPoints) {
        Tier tier = new Tier(this, tierCode, tierName, tiers.size(), minimumPoints);
        tiers.add(tier);
        return tier;
    }

    public Long id() {
        return id;
    }

    public String code() {
        return code;
    }

    public String name() {
        return name;
    }

    public String currency() {
        return currency;
    }

    public BigDecimal pointValue() {
        return pointValue;
    }

    public int tierWindowDays() {
        return tierWindowDays;
    }

    /** Where the tier window of a standing taken at {@code now} starts: points and spend count from there. */
    public Instant tierWindowStart(Instant now) {
        return now.minus(Duration.ofDays(tierWindowDays));
    }

    public int maxOpenOffers() {
        return maxOpenOffers;
    }

    public int newMemberDays() {
        return newMemberDays;
    }

    /** The segment definitions' text, {@code null} for the defaults. */
    public String segmentDefinitions() {
        return segmentDefinitions;
    }

    /** Changes how members are segmented and offered; the caller has checked the definitions parse. */
    public void configureKnowledge(int maxOpenOffers, int newMemberDays, String segmentDefinitions) {
        this.maxOpenOffers = maxOpenOffers;
        this.newMemberDays = newMemberDays;
        this.segmentDefinitions = segmentDefinitions;
    }

    public ZoneId zone() {
        return ZoneId.of(zoneId);
    }

    /** The tiers, lowest rank first (whichever query loaded them). */
    public List<Tier> tiers() {
        return tiers.stream().sorted(Comparator.comparingInt(Tier::rank)).toList();
    }

    public Tier entryTier() {
        return tiers.stream().min(Comparator.comparingInt(Tier::rank))
                .orElseThrow(() -> new IllegalStateException("Programme " + code + " has no tiers"));
    }

    public Optional<Tier> tier(String tierCode) {
        return tiers.stream().filter(tier -> tier.code().equals(tierCode)).findFirst();
    }

    /** The next better tier than the given one, if any. */
    public Optional<Tier> tierAbove(String tierCode) {
        int rank = tier(tierCode).map(Tier::rank).orElse(-1);
        return tiers.stream().filter(tier -> tier.rank() > rank).min(Comparator.comparingInt(Tier::rank));
    }

    /** The day points earned on {@code earnedOn} become spendable. */
    public LocalDate availableOn(LocalDate earnedOn) {
        return earnedOn.plusDays(pendingDays);
    }

    /** The day points earned on {@code earnedOn} expire (they are no longer spendable from that day on). */
    public LocalDate expiresOn(LocalDate earnedOn) {
        return earnedOn.plusDays(pointsExpireAfterDays);
    }

    public LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, zone());
    }
}
