package org.loyaltyengine.engine.domain.programme;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/** A level of a programme (BRONZE, SILVER, GOLD) and the qualifying points from which a member reaches it. */
@Entity
@Table(name = "tier")
public class Tier {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "programme_id")
    private Programme programme;

    @Column(nullable = false, length = 32)
    private String code;

    @Column(nullable = false, length = 100)
    private String name;

    @Column(name = "tier_rank", nullable = false)
    private int rank;

    @Column(name = "minimum_points", nullable = false)
    private long minimumPoints;

    /** What the tier gives its members, in the members' words ("free delivery, +50% points"). */
    @Column(length = 500)
    private String benefits;

    protected Tier() {
    }

    Tier(Programme programme, String code, String name, int rank, long minimumPoints) {
        this.programme = programme;
        this.code = code;
        this.name = name;
        this.rank = rank;
        this.minimumPoints = minimumPoints;
    }

    public String benefits() {
        return benefits;
    }

    /** Called by {@link Programme#amendTier}, which keeps the thresholds in order. */
    void amend(String newName, long newMinimumPoints) {
        this.name = newName;
        this.minimumPoints = newMinimumPoints;
    }

    public void describeBenefits(String text) {
        this.benefits = text == null || text.isBlank() ? null : text.strip();
    }

    public String code() {
        return code;
    }

    public String name() {
        return name;
    }

    public int rank() {
        return rank;
    }

    public long minimumPoints() {
        return minimumPoints;
    }
}
