package org.loyaltyengine.engine.domain.offer;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.rules.fact.OfferDefinition;

/**
 * An offer a programme's managers define: what it earns when used ({@link OfferKind}, points or multiplier, minimum
 * spend), how many days a member keeps it once given, and the share of the members the rules choose that is held
 * out as a control group. Which members get it is the incentive rules' decision.
 */
@Entity
@Table(name = "offer")
public class Offer {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "programme_id")
    private Programme programme;

    @Column(nullable = false, length = 32)
    private String code;

    @Column(nullable = false, length = 200)
    private String title;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 24)
    private OfferKind kind;

    @Column(nullable = false)
    private long points;

    @Column(nullable = false)
    private int multiplier;

    @Column(length = 64)
    private String category;

    @Column(name = "minimum_spend", nullable = false, precision = 19, scale = 4)
    private BigDecimal minimumSpend;

    @Column(name = "valid_days", nullable = false)
    private int validDays;

    @Column(name = "holdout_percent", nullable = false)
    private int holdoutPercent;

    @Column(nullable = false)
    private short active = 1;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected Offer() {
    }

    /**
     * @throws DomainException {@code invalid_offer} (400) for an offer that could never earn anything
     */
    public Offer(Programme programme, String code, String title, OfferKind kind, long points, int multiplier,
                 String category, BigDecimal minimumSpend, int validDays, int holdoutPercent, Instant createdAt) {
        if (kind == OfferKind.BONUS_POINTS && points <= 0) {
            throw DomainException.invalid("invalid_offer", "points", "A bonus-points offer needs points above 0");
        }
        if (kind == OfferKind.CATEGORY_MULTIPLIER && multiplier < 2) {
            throw DomainException.invalid("invalid_offer", "multiplier",
                    "A category multiplier offer needs a multiplier of at least 2");
        }
        this.programme = programme;
        this.code = code;
        this.title = title;
        this.kind = kind;
        this.points = points;
        this.multiplier = multiplier;
        this.category = category;
        this.minimumSpend = minimumSpend == null ? BigDecimal.ZERO : minimumSpend;
        this.validDays = validDays;
        this.holdoutPercent = holdoutPercent;
        this.createdAt = createdAt;
    }

    /** The offer as the incentive rules see it. */
    public OfferDefinition definition() {
        return new OfferDefinition(code, title, kind.name(), category);
    }

    /**
     * Whether a member falls in the offer's control group: a stable draw from the member and the offer, so that a
     * member stays on the same side every time the rules choose them.
     */
    public boolean holdsOut(long memberId) {
        if (holdoutPercent == 0) {
            return false;
        }
        long mixed = (memberId * 0x9E3779B97F4A7C15L) ^ ((long) code.hashCode() * 0xC2B2AE3D27D4EB4FL);
        mixed ^= mixed >>> 31;
        return Math.floorMod(mixed, 100) < holdoutPercent;
    }

    public void withdraw() {
        this.active = 0;
    }

    public void reinstate() {
        this.active = 1;
    }

    public boolean active() {
        return active != 0;
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

    public String title() {
        return title;
    }

    public OfferKind kind() {
        return kind;
    }

    public long points() {
        return points;
    }

    public int multiplier() {
        return multiplier;
    }

    public String category() {
        return category;
    }

    public BigDecimal minimumSpend() {
        return minimumSpend;
    }

    public int validDays() {
        return validDays;
    }

    public int holdoutPercent() {
        return holdoutPercent;
    }
}
