package org.loyaltyengine.engine.domain.offer;

import java.time.Instant;
import java.time.LocalDate;

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

import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.sale.Sale;
import org.loyaltyengine.rules.fact.OfferInUse;

/**
 * An offer the incentive rules gave a member (or withheld from them, as the control group): usable from the day
 * it is given to its last valid day, by one sale only.
 */
@Entity
@Table(name = "member_offer")
public class MemberOffer {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    /** The offer's id in the contract ("o-…"). */
    @Column(name = "public_id", nullable = false, length = 40)
    private String publicId;

    @ManyToOne(optional = false)
    @JoinColumn(name = "offer_id")
    private Offer offer;

    @ManyToOne(optional = false)
    @JoinColumn(name = "member_id")
    private Member member;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private MemberOfferStatus status;

    /** The category a multiplier applies to for this member (the rule may name their favourite). */
    @Column(length = 64)
    private String category;

    /** The member's segment when the offer was chosen, for the response report. */
    @Column(length = 24)
    private String segment;

    @Column(name = "chosen_by", nullable = false, length = 200)
    private String chosenBy;

    @Column(name = "granted_on", nullable = false)
    private LocalDate grantedOn;

    @Column(name = "valid_until", nullable = false)
    private LocalDate validUntil;

    /** The moment it was given (none on offers given before version 20). */
    @Column(name = "granted_at")
    private Instant grantedAt;

    @ManyToOne
    @JoinColumn(name = "used_by")
    private Sale usedBy;

    @Column(name = "used_at")
    private Instant usedAt;

    protected MemberOffer() {
    }

    public MemberOffer(String publicId, Offer offer, Member member, boolean heldOut, String category, String segment,
                       String chosenBy, LocalDate grantedOn, Instant grantedAt) {
        this.publicId = publicId;
        this.offer = offer;
        this.member = member;
        this.status = heldOut ? MemberOfferStatus.HELD_OUT : MemberOfferStatus.OPEN;
        this.category = category != null ? category : offer.category();
        this.segment = segment;
        this.chosenBy = chosenBy;
        this.grantedOn = grantedOn;
        this.validUntil = grantedOn.plusDays(offer.validDays() - 1L);
        this.grantedAt = grantedAt;
    }

    /** Whether the member can use it on the day. */
    public boolean usableOn(LocalDate day) {
        return status == MemberOfferStatus.OPEN && !day.isBefore(grantedOn) && !day.isAfter(validUntil);
    }

    /** Gives it to the member a duplicate holding it was merged into; the caller holds both members' locks. */
    public void moveTo(Member kept) {
        this.member = kept;
    }

    /** Marks it used by the sale; the caller holds the member's lock. */
    public void useBy(Sale sale, Instant at) {
        this.status = MemberOfferStatus.USED;
        this.usedBy = sale;
        this.usedAt = at;
    }

    /**
     * Gives the offer back to its member: the sale that used it was returned whole. It is good again until its
     * last day, as if never used.
     */
    public void giveBack() {
        if (status == MemberOfferStatus.USED) {
            this.status = MemberOfferStatus.OPEN;
            this.usedBy = null;
            this.usedAt = null;
        }
    }

    /** The offer as the offer rules see it on a purchase. */
    public OfferInUse inUse() {
        return new OfferInUse(publicId, offer.code(), offer.kind().name(), offer.points(), offer.multiplier(),
                category, offer.minimumSpend());
    }

    public Long id() {
        return id;
    }

    public String publicId() {
        return publicId;
    }

    public Offer offer() {
        return offer;
    }

    public Member member() {
        return member;
    }

    public MemberOfferStatus status() {
        return status;
    }

    public String category() {
        return category;
    }

    public String segment() {
        return segment;
    }

    public String chosenBy() {
        return chosenBy;
    }

    public LocalDate grantedOn() {
        return grantedOn;
    }

    public LocalDate validUntil() {
        return validUntil;
    }

    /** The sale that used it; {@code null} while it is open (or was given back). */
    public Sale usedBy() {
        return usedBy;
    }

    public Instant usedAt() {
        return usedAt;
    }
}
