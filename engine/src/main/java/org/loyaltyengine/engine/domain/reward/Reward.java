package org.loyaltyengine.engine.domain.reward;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.programme.Tier;

/**
 * Something a member can take for points at the till: a points price, optionally a minimum tier, optionally a
 * limited stock. Stock is taken by a conditional update in the database, so it is never oversold, whatever the
 * number of tills and engine instances.
 */
@Entity
@Table(name = "reward")
public class Reward {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "programme_id")
    private Programme programme;

    /** The reward's id in the contract, e.g. {@code r-coffee}. */
    @Column(nullable = false, length = 40)
    private String code;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(name = "points_price", nullable = false)
    private long pointsPrice;

    /** The lowest tier that may take the reward; {@code null} for every member. */
    @Column(name = "tier_code", length = 32)
    private String tierCode;

    /** How many are left; {@code null} for unlimited. */
    @Column
    private Long stock;

    @Column(nullable = false)
    private short active = 1;

    /** The first and last day the reward can be taken; {@code null} for no limit. */
    @Column(name = "valid_from")
    private java.time.LocalDate validFrom;

    @Column(name = "valid_until")
    private java.time.LocalDate validUntil;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Reward() {
    }

    public Reward(Programme programme, String code, String name, long pointsPrice, Tier tier, Long stock,
                  Instant createdAt) {
        this.programme = programme;
        this.code = code;
        this.name = name;
        this.pointsPrice = pointsPrice;
        this.tierCode = tier == null ? null : tier.code();
        this.stock = stock;
        this.createdAt = createdAt;
    }

    /**
     * Changes what the catalogue says of the reward: its name, its price in points, the tier it is kept for (null:
     * every member) and the stock left (null: unlimited). Redemptions already made keep the price they paid.
     */
    public void amend(String newName, long newPrice, Tier newTier, Long newStock) {
        this.name = newName;
        this.pointsPrice = newPrice;
        this.tierCode = newTier == null ? null : newTier.code();
        this.stock = newStock;
    }

    /** Limits the days the reward can be taken (either end may be open). */
    public void validBetween(java.time.LocalDate from, java.time.LocalDate until) {
        if (from != null && until != null && until.isBefore(from)) {
            throw DomainException.invalid("validUntil", "validUntil (" + until + ") is before validFrom (" + from + "): a reward's last day comes on or after its first");
        }
        this.validFrom = from;
        this.validUntil = until;
    }

    /** Whether the reward can be taken on the day. */
    public boolean validOn(java.time.LocalDate day) {
        return (validFrom == null || !day.isBefore(validFrom)) && (validUntil == null || !day.isAfter(validUntil));
    }

    /** @throws DomainException {@code reward_not_available} (409) outside the reward's days */
    public void requireValidOn(java.time.LocalDate day) {
        if (!validOn(day)) {
            throw DomainException.conflict("reward_not_available", "Reward " + code + " can be taken "
                    + (validFrom == null ? "" : "from " + validFrom + " ") + (validUntil == null ? "" : "until "
                    + validUntil) + "; today is " + day);
        }
    }

    public java.time.LocalDate validFrom() {
        return validFrom;
    }

    public java.time.LocalDate validUntil() {
        return validUntil;
    }

    /**
     * @throws DomainException {@code reward_tier_restricted} (409) when the member's tier is below the reward's
     */
    public void requireAvailableTo(Member member) {
        if (!tierAllows(member)) {
            throw DomainException.conflict("reward_tier_restricted", "Reward " + code + " is for " + tierCode
                    + " members and above; this member is " + member.tierCode());
        }
    }

    /** Whether the member's tier is the one the reward is for, or above (every tier when it names none). */
    public boolean tierAllows(Member member) {
        if (tierCode == null) {
            return true;
        }
        int needed = programme.tier(tierCode).map(Tier::rank).orElse(Integer.MAX_VALUE);
        int held = programme.tier(member.tierCode()).map(Tier::rank).orElse(-1);
        return held >= needed;
    }

    public Long id() {
        return id;
    }

    public Programme programme() {
        return programme;
    }

    public String code() {
        return code;
    }

    public String name() {
        return name;
    }

    public long pointsPrice() {
        return pointsPrice;
    }

    public String tierCode() {
        return tierCode;
    }

    public Long stock() {
        return stock;
    }

    public boolean active() {
        return active == 1;
    }
}
