package org.loyaltyengine.engine.domain.reward;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
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
