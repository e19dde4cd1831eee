package org.loyaltyengine.engine.domain.ruleset;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.programme.Programme;

/** A numbered version of a programme's rule set, with its author, time and comment. */
@Entity
@Table(name = "rule_set_version")
public class RuleSetVersion {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "programme_id")
    private Programme programme;

    @Column(name = "version_no", nullable = false)
    private int version;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private RuleSetStatus status;

    @Column(nullable = false, length = 254)
    private String author;

    @Column(name = "change_comment", length = 1000)
    private String comment;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "published_at")
    private Instant publishedAt;

    /** The version live when this one was made from it; {@code null} for none (the first) or before V29. */
    @Column(name = "based_on")
    private Integer basedOn;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "rule_file", joinColumns = @JoinColumn(name = "version_id"))
    @OrderColumn(name = "seq")
    private List<RuleFile> files = new ArrayList<>();

    protected RuleSetVersion() {
    }

    public RuleSetVersion(Programme programme, int version, List<RuleFile> files, String author, String comment,
                          Instant createdAt) {
        this.programme = programme;
        this.version = version;
        this.files.addAll(files);
        this.author = author;
        this.comment = comment;
        this.createdAt = createdAt;
        this.status = RuleSetStatus.DRAFT;
    }

    /** Made from that version (live when this one was saved), {@code null} when none was live. */
    public void basedOn(Integer version) {
        basedOn = version;
    }

    public java.util.Optional<Integer> basedOn() {
        return java.util.Optional.ofNullable(basedOn);
    }

    public void publish(Instant now) {
        status = RuleSetStatus.PUBLISHED;
        publishedAt = now;
    }

    /** No longer live: another version was published or the programme rolled back. */
    public void retire() {
        status = RuleSetStatus.RETIRED;
    }

    public String author() {
        return author;
    }

    public String comment() {
        return comment;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant publishedAt() {
        return publishedAt;
    }

    /** The label recorded on ledger entries decided by this version: "DEMO v3". */
    public String label() {
        return programme.code() + " v" + version;
    }

    public Programme programme() {
        return programme;
    }

    public int version() {
        return version;
    }

    public RuleSetStatus status() {
        return status;
    }

    public List<RuleFile> files() {
        return List.copyOf(files);
    }
}
