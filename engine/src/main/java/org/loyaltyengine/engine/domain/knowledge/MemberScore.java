package org.loyaltyengine.engine.domain.knowledge;

import java.math.BigDecimal;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A member's scores and segment as last computed: a projection of the sales, replaced at every recomputation. */
@Entity
@Table(name = "member_score")
public class MemberScore {

    @Id
    @Column(name = "member_id")
    private Long memberId;

    @Column(name = "computed_on", nullable = false)
    private LocalDate computedOn;

    @Column(name = "recency_days")
    private Integer recencyDays;

    @Column(nullable = false)
    private int frequency;

    @Column(nullable = false, precision = 19, scale = 4)
    private BigDecimal monetary;

    @Column(name = "recency_score", nullable = false)
    private short recencyScore;

    @Column(name = "frequency_score", nullable = false)
    private short frequencyScore;

    @Column(name = "monetary_score", nullable = false)
    private short monetaryScore;

    @Column(nullable = false, length = 24)
    private String segment;

    @Column(name = "average_basket", nullable = false, precision = 19, scale = 2)
    private BigDecimal averageBasket;

    @Column(name = "attrition_risk", nullable = false, precision = 4, scale = 2)
    private BigDecimal attritionRisk;

    @Column(name = "favourite_category", length = 64)
    private String favouriteCategory;

    /** All-time purchases. */
    @Column(nullable = false)
    private int purchases;

    protected MemberScore() {
    }

    public MemberScore(RfmScoring.Score score, LocalDate computedOn) {
        this.memberId = score.memberId();
        this.computedOn = computedOn;
        this.recencyDays = score.recencyDays();
        this.frequency = (int) score.frequency();
        this.monetary = score.monetary();
        this.recencyScore = (short) score.recencyScore();
        this.frequencyScore = (short) score.frequencyScore();
        this.monetaryScore = (short) score.monetaryScore();
        this.segment = score.segment();
        this.averageBasket = score.averageBasket();
        this.attritionRisk = score.attritionRisk();
        this.favouriteCategory = score.favouriteCategory();
        this.purchases = (int) score.purchases();
    }

    public Long memberId() {
        return memberId;
    }

    public int purchases() {
        return purchases;
    }

    public LocalDate computedOn() {
        return computedOn;
    }

    public Integer recencyDays() {
        return recencyDays;
    }

    public int frequency() {
        return frequency;
    }

    public BigDecimal monetary() {
        return monetary;
    }

    public int recencyScore() {
        return recencyScore;
    }

    public int frequencyScore() {
        return frequencyScore;
    }

    public int monetaryScore() {
        return monetaryScore;
    }

    public String segment() {
        return segment;
    }

    public BigDecimal averageBasket() {
        return averageBasket;
    }

    public BigDecimal attritionRisk() {
        return attritionRisk;
    }

    public String favouriteCategory() {
        return favouriteCategory;
    }
}
