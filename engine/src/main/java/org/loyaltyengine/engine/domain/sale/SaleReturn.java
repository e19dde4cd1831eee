package org.loyaltyengine.engine.domain.sale;

import java.math.BigDecimal;
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
import jakarta.persistence.OrderColumn;
import jakarta.persistence.Table;

import org.loyaltyengine.engine.domain.DomainException;

/**
 * Goods of a sale brought back, with the points taken back for them and the answer the till was given. The
 * database's unique key on (sale, return id) makes a replayed return change nothing.
 */
@Entity
@Table(name = "sale_return")
public class SaleReturn {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @ManyToOne(optional = false)
    @JoinColumn(name = "sale_id")
    private Sale sale;

    @Column(name = "return_id", nullable = false, length = 64)
    private String returnId;

    @Column(name = "store_id", nullable = false, length = 32)
    private String storeId;

    @Column(name = "returned_value", nullable = false, precision = 19, scale = 4)
    private BigDecimal returnedValue;

    @Column(name = "points_reversed", nullable = false)
    private long pointsReversed;

    /** The request first recorded under this id and the answer it was given. */
    @Embedded
    private RecordedAnswer answer;

    @Column(name = "recorded_at", nullable = false)
    private Instant recordedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "sale_return_line", joinColumns = @JoinColumn(name = "sale_return_id"))
    @OrderColumn(name = "line_no")
    private List<ReturnedLine> lines = new ArrayList<>();

    protected SaleReturn() {
    }

    public SaleReturn(Sale sale, String returnId, String storeId, List<ReturnedLine> lines, BigDecimal returnedValue,
                      long pointsReversed, String requestHash, Instant recordedAt) {
        this.sale = sale;
        this.returnId = returnId;
        this.storeId = storeId;
        this.lines.addAll(lines);
        this.returnedValue = returnedValue;
        this.pointsReversed = pointsReversed;
        this.answer = new RecordedAnswer(requestHash);
        this.recordedAt = recordedAt;
    }

    public void answer(String responseJson) {
        answer.answer(responseJson);
    }

    /**
     * The answer for a request that reuses this return's id.
     *
     * @throws DomainException {@code return_conflict} (409) when the request differs from the one first recorded
     */
    public String replay(String otherRequestHash) {
        return answer.replay(otherRequestHash).orElseThrow(() -> DomainException.conflict("return_conflict",
                "Return " + returnId + " of transaction " + sale.publicId() + " was already recorded with different"
                        + " lines"));
    }

    public Long id() {
        return id;
    }

    public String returnId() {
        return returnId;
    }

    public String storeId() {
        return storeId;
    }

    public BigDecimal returnedValue() {
        return returnedValue;
    }

    public long pointsReversed() {
        return pointsReversed;
    }

    public Instant recordedAt() {
        return recordedAt;
    }

    public List<ReturnedLine> lines() {
        return List.copyOf(lines);
    }
}
