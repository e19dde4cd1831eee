package org.loyaltyengine.engine.domain.sale;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.IdBlocks;
import org.loyaltyengine.engine.domain.member.Member;
import org.loyaltyengine.engine.domain.programme.Programme;

/**
 * A sale recorded at a till, with the answer the till was given. The database's unique key on (programme,
 * store, receipt) makes a second recording of the same receipt impossible, whichever engine instance tries.
 */
@Entity
@Table(name = "sale")
public class Sale {

    /** From a database sequence, a block of ids at a time (see {@link IdBlocks}). */
    @Id
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = IdBlocks.SALE)
    @SequenceGenerator(name = IdBlocks.SALE, sequenceName = IdBlocks.SALE, allocationSize = IdBlocks.SIZE)
    private Long id;

    @Column(name = "public_id", nullable = false, unique = true, length = 40)
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

    @Column(name = "occurred_at", nullable = false)
    private Instant occurredAt;

    @Column(nullable = false, length = 3)
    private String currency;

    @Column(nullable = false, precision = 19, scale = 4)
    private BigDecimal total;

    /**
     * The value of the goods brought back (as its returns valued them), the whole total once every line is back:
     * customer knowledge and the rules' purchase history count what the customer kept.
     */
    @Column(name = "returned_value", nullable = false, precision = 19, scale = 4)
    private BigDecimal returnedValue = BigDecimal.ZERO;

    /** The request first recorded under this id and the answer it was given. */
    @Embedded
    private RecordedAnswer answer;

    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    /** Seconds east of UTC of the till's clock, as the sale was sent; {@code null} before V30. */
    @Column(name = "till_offset")
    private Integer tillOffset;

    /** The receipt's lines, in one column (SaleLinesColumn). */
    @Column(name = "receipt_lines", nullable = false)
    private SaleLines lines;

    protected Sale() {
    }

    public Sale(String publicId, Programme programme, Receipt receipt, Member member, String requestHash,
                Instant recordedAt) {
        this.publicId = publicId;
        this.programme = programme;
        this.storeId = receipt.storeId();
        this.terminalId = receipt.terminalId();
        this.receiptId = receipt.receiptId();
        this.member = member;
        this.cardNumber = receipt.cardNumber();
        this.occurredAt = receipt.occurredAt();
        this.currency = receipt.currency();
        this.total = receipt.total();
        this.lines = new SaleLines(receipt.lines());
        this.answer = new RecordedAnswer(requestHash);
        this.recordedAt = recordedAt;
    }

    /** The offset of the till's clock the sale was sent with: its local time, which the rules read. */
    public void tillOffset(java.time.ZoneOffset offset) {
        tillOffset = offset.getTotalSeconds();
    }

    public java.util.Optional<java.time.ZoneOffset> tillOffset() {
        return java.util.Optional.ofNullable(tillOffset).map(java.time.ZoneOffset::ofTotalSeconds);
    }

    /** The JSON answer the till was given (SaleResult's). */
    public String answerJson() {
        return answer.response();
    }

    /** Keeps the answer given for this sale so that replays get exactly the same one. */
    public void answer(String responseJson) {
        answer.answer(responseJson);
    }

    /**
     * The answer for a request that reuses this sale's receipt.
     *
     * @throws DomainException {@code receipt_conflict} when the request differs from the one first recorded
     */
    public String replay(String otherRequestHash) {
        return answer.replay(otherRequestHash).orElseThrow(() -> DomainException.conflict("receipt_conflict",
                "Receipt " + receiptId + " of store " + storeId + " was already recorded with a different content"
                        + " (transaction " + publicId + ")"));
    }

    public Long id() {
        return id;
    }

    public String publicId() {
        return publicId;
    }

    public Programme programme() {
        return programme;
    }

    public String storeId() {
        return storeId;
    }

    public String terminalId() {
        return terminalId;
    }

    public String receiptId() {
        return receiptId;
    }

    public String cardNumber() {
        return cardNumber;
    }

    public Instant occurredAt() {
        return occurredAt;
    }

    public String currency() {
        return currency;
    }

    public BigDecimal total() {
        return total;
    }

    public Instant recordedAt() {
        return recordedAt;
    }

    public BigDecimal returnedValue() {
        return returnedValue;
    }

    /**
     * Records what of this sale has been brought back by all its returns: worth {@code value} as they valued it;
     * {@code allBack}: every line is.
     */
    public void broughtBack(BigDecimal value, boolean allBack) {
        returnedValue = allBack ? total : value.min(total);
    }

    public Member member() {
        return member;
    }

    public List<SaleLine> lines() {
        return lines.lines();
    }
}
