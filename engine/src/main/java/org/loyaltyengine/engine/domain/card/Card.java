package org.loyaltyengine.engine.domain.card;

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
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.member.Member;

/** A loyalty card of a member. A member may hold several; each number is issued once, ever. */
@Entity
@Table(name = "card")
@NamedQuery(name = Card.FOR_TILL, query = "select c from Card c where c.number = :number", hints = {
        @QueryHint(name = "eclipselink.left-join-fetch", value = "c.member"),
        @QueryHint(name = "eclipselink.left-join-fetch", value = "c.member.programme"),
        @QueryHint(name = "eclipselink.left-join-fetch", value = "c.member.programme.tiers")})
public class Card {

    /**
     * The card, its member, the programme and its tiers in one statement: every till call starts here. Named, so
     * that EclipseLink builds its SQL once (fetch hints set on each query made it build the SQL again on every
     * call, 4 % of a sale's CPU). EclipseLink reads only the first level of JPQL fetch joins, hence the hints; all
     * of one kind (outer), as hints of two kinds in one named query reach EclipseLink out of order.
     */
    public static final String FOR_TILL = "Card.forTill";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "card_number", nullable = false, unique = true, length = 13)
    private String number;

    @ManyToOne(optional = false)
    @JoinColumn(name = "member_id")
    private Member member;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private CardStatus status;

    @Column(name = "issued_at", nullable = false)
    private Instant issuedAt;

    @Column(name = "status_reason", length = 500)
    private String statusReason;

    @Column(name = "replaced_by", length = 13)
    private String replacedBy;

    @Column(name = "status_changed_at")
    private Instant statusChangedAt;

    @Column(name = "status_changed_by", length = 254)
    private String statusChangedBy;

    protected Card() {
    }

    public Card(CardNumber number, Member member, Instant issuedAt) {
        this.number = number.value();
        this.member = member;
        this.status = CardStatus.ACTIVE;
        this.issuedAt = issuedAt;
    }

    /**
     * Checks the card may be used at the till.
     *
     * @throws DomainException {@code card_blocked} or {@code card_replaced} (naming the new card's last four digits)
     */
    public void requireUsable() {
        switch (status) {
            case ACTIVE -> { }
            case BLOCKED -> throw DomainException.conflict("card_blocked",
                    "Card " + number + " is blocked" + (statusReason == null ? "" : ": " + statusReason));
            case REPLACED -> throw DomainException.conflict("card_replaced",
                    "Card " + number + " was replaced by the card ending in " + replacedBy.substring(9));
        }
    }

    /**
     * Checks the card may earn on a sale rung up at {@code occurredAt}. A card blocked or replaced since the sale was
     * rung up still earns on it: a till that was offline sends its sales late, and the customer showed a card in use
     * then. The points go to the card's member, as they would have had the till been online; spending points always
     * needs a card in use now ({@link #requireUsable()}). The time compared is that of the card's last change of
     * status, so a sale rung up while an earlier block, lifted since, was in force earns too.
     *
     * @throws DomainException {@code card_blocked} or {@code card_replaced} for a sale rung up after the change
     */
    public void requireUsableAt(Instant occurredAt) {
        if (statusChangedAt == null || !occurredAt.isBefore(statusChangedAt)) {
            requireUsable();
        }
    }

    /**
     * Blocks a lost or stolen card: the till refuses it until it is activated again. Blocking a blocked card only
     * updates the reason and who gave it: the card stays blocked since the first block, so that a sale rung up
     * in between does not earn as one rung up before it ({@link #requireUsableAt}).
     *
     * @throws DomainException {@code card_replaced} (409) for a card already replaced
     */
    public void block(String reason, String actor, Instant now) {
        requireNotReplaced();
        Instant since = status == CardStatus.BLOCKED && statusChangedAt != null ? statusChangedAt : now;
        status = CardStatus.BLOCKED;
        changed(reason, actor, since);
    }

    /**
     * Puts a blocked card back into use (found again).
     *
     * @throws DomainException {@code card_replaced} (409) for a card already replaced
     */
    public void activate(String actor, Instant now) {
        requireNotReplaced();
        status = CardStatus.ACTIVE;
        changed(null, actor, now);
    }

    /**
     * Retires this card for a new one of the same member; the till then answers {@code card_replaced} naming the
     * new card's last four digits.
     */
    public Card replaceWith(CardNumber newNumber, String reason, String actor, Instant now) {
        requireNotReplaced();
        Card replacement = new Card(newNumber, member, now);
        status = CardStatus.REPLACED;
        replacedBy = newNumber.value();
        changed(reason, actor, now);
        return replacement;
    }

    /** Moves the card to the member a duplicate was merged into. */
    public void moveTo(Member newHolder) {
        this.member = newHolder;
    }

    private void requireNotReplaced() {
        if (status == CardStatus.REPLACED) {
            throw DomainException.conflict("card_replaced",
                    "Card " + number + " was replaced by the card ending in " + replacedBy.substring(9));
        }
    }

    private void changed(String reason, String actor, Instant now) {
        statusReason = reason;
        statusChangedBy = actor;
        statusChangedAt = now;
    }

    public String statusReason() {
        return statusReason;
    }

    public String replacedBy() {
        return replacedBy;
    }

    public Instant statusChangedAt() {
        return statusChangedAt;
    }

    public String statusChangedBy() {
        return statusChangedBy;
    }

    public CardNumber number() {
        return CardNumber.parse(number);
    }

    public Member member() {
        return member;
    }

    public CardStatus status() {
        return status;
    }

    public Instant issuedAt() {
        return issuedAt;
    }
}
