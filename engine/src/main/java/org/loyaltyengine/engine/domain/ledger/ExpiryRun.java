package org.loyaltyengine.engine.domain.ledger;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.programme.Programme;

/** One run of the expiry of a programme's points as of a day: who started it, and what it expired. */
@Entity
@Table(name = "expiry_run")
public class ExpiryRun {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "programme_id")
    private Programme programme;

    @Column(name = "as_of", nullable = false)
    private LocalDate asOf;

    @Column(nullable = false, length = 254)
    private String actor;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "finished_at", nullable = false)
    private Instant finishedAt;

    @Column(nullable = false)
    private int members;

    @Column(name = "points_expired", nullable = false)
    private long pointsExpired;

    protected ExpiryRun() {
    }

    public ExpiryRun(Programme programme, LocalDate asOf, String actor, Instant startedAt, Instant finishedAt,
                     int members, long pointsExpired) {
        this.programme = programme;
        this.asOf = asOf;
        this.actor = actor;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.members = members;
        this.pointsExpired = pointsExpired;
    }
}
