package org.loyaltyengine.engine.domain.claim;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

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
import org.loyaltyengine.engine.domain.member.Member;

/**
 * A member's claim that a purchase earned no points (the card was forgotten, the till was offline). A manager
 * approves it, crediting points through an adjustment, or rejects it; either way with who and why.
 */
@Entity
@Table(name = "claim")
public class Claim {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "public_id", nullable = false, length = 40)
    private String publicId;

    @ManyToOne(optional = false)
    @JoinColumn(name = "member_id")
    private Member member;

    @Column(name = "store_id", nullable = false, length = 32)
    private String storeId;

    @Column(name = "receipt_id", nullable = false, length = 64)
    private String receiptId;

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false, precision = 19, scale = 4)
    private BigDecimal total;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private ClaimStatus status;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "resolved_at")
    private Instant resolvedAt;

    @Column(name = "resolved_by", length = 254)
    private String resolvedBy;

    @Column(name = "resolution_note", length = 1000)
    private String resolutionNote;

    @Column(name = "points_credited")
    private Long pointsCredited;

    protected Claim() {
    }

    public Claim(String publicId, Member member, String storeId, String receiptId, Instant occurredAt,
                 BigDecimal total, Instant createdAt) {
        this.publicId = publicId;
        this.member = member;
        this.storeId = storeId;
        this.receiptId = receiptId.strip();
        this.occurredAt = occurredAt;
        this.total = total;
        this.status = ClaimStatus.OPEN;
        this.createdAt = createdAt;
    }

    /** @throws DomainException {@code claim_resolved} (409) for a claim already approved or rejected */
    public void resolve(boolean approved, long points, String note, String actor, Instant now) {
        if (status != ClaimStatus.OPEN) {
            throw DomainException.conflict("claim_resolved", "Claim " + publicId + " was already "
                    + status.name().toLowerCase(java.util.Locale.ROOT) + " by " + resolvedBy);
        }
        status = approved ? ClaimStatus.APPROVED : ClaimStatus.REJECTED;
        pointsCredited = approved ? points : null;
        resolutionNote = note;
        resolvedBy = actor;
        resolvedAt = now;
    }

    public String publicId() {
        return publicId;
    }

    public Member member() {
        return member;
    }

    public String storeId() {
        return storeId;
    }

    /**
     * The spellings a receipt id is looked up in, between the tills' sales and the customers' claims, each once: as
     * given, its letters a to z in capitals, and in small letters (without blanks around it). A customer types
     * {@code r-777001} for the till's {@code R-777001}, and the two were two receipts, credited twice. A receipt a till
     * writes in mixed case ({@code R-8c77}) is found from a claim only as typed exactly; a claim of it in capitals or
     * small letters is found from the sale.
     */
    public static java.util.Set<String> distinctSpellings(String receiptId) {
        String given = receiptId.strip();
        StringBuilder capitals = new StringBuilder(given.length());
        StringBuilder small = new StringBuilder(given.length());
        for (int i = 0; i < given.length(); i++) {
            char c = given.charAt(i);
            capitals.append(c >= 'a' && c <= 'z' ? (char) (c - 'a' + 'A') : c);
            small.append(c >= 'A' && c <= 'Z' ? (char) (c - 'A' + 'a') : c);
        }
        return new java.util.LinkedHashSet<>(List.of(given, capitals.toString(), small.toString()));
    }

    /** What {@code lookup} finds for the first of the receipt's {@link #distinctSpellings} that finds anything. */
    public static <T> java.util.Optional<T> firstFound(String receiptId,
                                                       java.util.function.Function<String, java.util.Optional<T>> lookup) {
        for (String spelling : distinctSpellings(receiptId)) {
            java.util.Optional<T> found = lookup.apply(spelling);
            if (found.isPresent()) {
                return found;
            }
        }
        return java.util.Optional.empty();
    }

    public String receiptId() {
        return receiptId;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public BigDecimal total() {
        return total;
    }

    public ClaimStatus status() {
        return status;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant resolvedAt() {
        return resolvedAt;
    }

    public String resolvedBy() {
        return resolvedBy;
    }

    public String resolutionNote() {
        return resolutionNote;
    }

    public Long pointsCredited() {
        return pointsCredited;
    }
}
