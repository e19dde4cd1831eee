package org.loyaltyengine.engine.domain.reward;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;
import org.loyaltyengine.engine.domain.sale.RecordedAnswer;

/**
 * Points spent at a till on a reward or for their value, identified like a sale by (programme, store, receipt):
 * a replay gets the first answer, the same receipt with another content is refused.
 */
@Entity
@Table(name = "redemption")
public class Redemption {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "public_id", nullable = false, length = 40)
    private String publicId;

    @ManyToOne(optional = false)
    @JoinColumn(name = "programme_id")
    private Programme programme;

    @Column(name = "store_id", nullable = false, length = 32)
    private String storeId;

    @Column(name = "terminal_id", length = 32)
    private String terminalId;

    @Column(name = "receipt_id", nullable = false, length = 64)
    private String receiptId;

    @ManyToOne(optional = false)
    @JoinColumn(name = "member_id")
    private Member member;

    @Column(name = "card_number", nullable = false, length = 13)
    private String cardNumber;

    @ManyToOne
    @JoinColumn(name = "reward_id")
    private Reward reward;

    @Column(nullable = false)
    private long points;

    /** The request first recorded under this id and the answer it was given. */
    @Embedded
    private RecordedAnswer answer;

    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    @Column(name = "cancelled_at")
    private Instant cancelledAt;

    @Column(name = "cancel_store_id", length = 32)
    private String cancelStoreId;

    @Column(name = "cancel_terminal_id", length = 32)
    private String cancelTerminalId;

    @Column(name = "cancel_reason", length = 200)
    private String cancelReason;

    /** The staff member who cancelled it from the back office; null when a till did. */
    @Column(name = "cancelled_by", length = 254)
    private String cancelledBy;

    /** The answer the cancellation was given, given again to a till that asks twice. */
    @Column(name = "cancel_response", length = 2000)
    private String cancelResponse;

    /** The lots the points came from; none for a redemption recorded before they were kept (migration V35). */
    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "redemption_lot", joinColumns = @JoinColumn(name = "redemption_id"))
    private List<SpentLot> spentFrom = new ArrayList<>();

    protected Redemption() {
    }

    public Redemption(String publicId, Programme programme, String storeId, String terminalId, String receiptId,
                      Member member, String cardNumber, Reward reward, long points, String requestHash,
                      Instant recordedAt) {
        this.publicId = publicId;
        this.programme = programme;
        this.storeId = storeId;
        this.terminalId = terminalId;
        this.receiptId = receiptId;
        this.member = member;
        this.cardNumber = cardNumber;
        this.reward = reward;
        this.points = points;
        this.answer = new RecordedAnswer(requestHash);
        this.recordedAt = recordedAt;
    }

    public void answer(String responseJson) {
        answer.answer(responseJson);
    }

    /** @throws DomainException {@code receipt_conflict} when the request differs from the one first recorded */
    public String replay(String otherRequestHash) {
        return answer.replay(otherRequestHash).orElseThrow(() -> DomainException.conflict("receipt_conflict",
                "Receipt " + receiptId + " of store " + storeId + " was already recorded with a different"
                        + " redemption (" + publicId + ")"));
    }

    /**
     * Notes the redemption cancelled at a till, with the answer the till is given: the caller gives the points
     * back and the reward's unit to its stock.
     *
     * @throws IllegalStateException when it was cancelled already (the caller checks under the member's lock)
     */
    public void cancel(String storeId, String terminalId, String reason, Instant at, String response) {
        cancelled(at, response);
        this.cancelStoreId = storeId;
        this.cancelTerminalId = terminalId;
        this.cancelReason = reason;
    }

    /**
     * Notes the redemption cancelled by a staff member from the back office, with their reason and the answer they
     * were given (a till asking afterwards gets the same).
     *
     * @throws IllegalStateException when it was cancelled already (the caller checks under the member's lock)
     */
    public void cancelByStaff(String staffName, String reason, Instant at, String response) {
        cancelled(at, response);
        this.cancelledBy = staffName;
        this.cancelReason = reason;
    }

    private void cancelled(Instant at, String response) {
        if (cancelledAt != null) {
            throw new IllegalStateException("Redemption " + publicId + " was cancelled already");
        }
        this.cancelledAt = at;
        this.cancelResponse = response;
    }

    /** Notes the lot the points (some of them) came from. */
    public void spentFrom(SpentLot lot) {
        spentFrom.add(lot);
    }

    /** The lots the points came from, in the order taken; empty for a redemption recorded before they were kept. */
    public List<SpentLot> spentFrom() {
        return List.copyOf(spentFrom);
    }

    public boolean cancelled() {
        return cancelledAt != null;
    }

    /** The answer the redemption was given (JSON). */
    public String response() {
        return answer.response();
    }

    /** The answer the cancellation was given; null while the redemption stands. */
    public String cancelResponse() {
        return cancelResponse;
    }

    public Instant cancelledAt() {
        return cancelledAt;
    }

    public String cancelStoreId() {
        return cancelStoreId;
    }

    public String cancelReason() {
        return cancelReason;
    }

    public String cancelTerminalId() {
        return cancelTerminalId;
    }

    /** The staff member who cancelled it from the back office; null when a till did, or while it stands. */
    public String cancelledBy() {
        return cancelledBy;
    }

    public Member member() {
        return member;
    }

    public Programme programme() {
        return programme;
    }

    public String terminalId() {
        return terminalId;
    }

    public Long id() {
        return id;
    }

    public String publicId() {
        return publicId;
    }

    public String storeId() {
        return storeId;
    }

    public String receiptId() {
        return receiptId;
    }

    public String cardNumber() {
        return cardNumber;
    }

    public Reward reward() {
        return reward;
    }

    public long points() {
        return points;
    }

    public Instant recordedAt() {
        return recordedAt;
    }
}
