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
     * @throws DomainException {@code reward_tier_restricted} (409) when the member's tier is below the reward's
     */
    public void requireAvailableTo(Member member) {
        if (tierCode == null) {
            return;
        }
        int needed = programme.tier(tierCode).map(Tier::rank).orElse(Integer.MAX_VALUE);
        int held = programme.tier(member.tierCode()).map(Tier::rank).orElse(-1);
        if (held < needed) {
            throw DomainException.conflict("reward_tier_restricted", "Reward " + code + " is for " + tierCode
                    + " members and above; this member is " + member.tierCode());
        }
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
