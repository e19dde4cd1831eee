package org.loyaltyengine.engine.domain.reward;

import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * Points a redemption took from one lot, with the lot's dates and the sale whose points it held (null for none):
 * a cancelled redemption gives them back as they were.
 */
@Embeddable
public class SpentLot {

    @Column(nullable = false)
    private long points;

    @Column(name = "available_on", nullable = false)
    private LocalDate availableOn;

    @Column(name = "expires_on", nullable = false)
    private LocalDate expiresOn;

    @Column(name = "sale_id")
    private Long sale;

    protected SpentLot() {
    }

    public SpentLot(long points, LocalDate availableOn, LocalDate expiresOn, Long sale) {
        if (points <= 0) {
            throw new IllegalArgumentException("A lot gives a positive number of points, was " + points);
        }
        this.points = points;
        this.availableOn = availableOn;
        this.expiresOn = expiresOn;
        this.sale = sale;
    }

    public long points() {
        return points;
    }

    public LocalDate availableOn() {
        return availableOn;
    }

    public LocalDate expiresOn() {
        return expiresOn;
    }

    public Long sale() {
        return sale;
    }
}
