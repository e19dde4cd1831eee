package org.loyaltyengine.engine.domain.knowledge;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/** The scores of a table's members, in the table's order (by member); each read makes its {@link RfmScoring.Score}. */
public final class ScoreTable extends AbstractList<RfmScoring.Score> implements RandomAccess {

    private final PurchaseTable members;
    private final LocalDate asOf;
    private final byte[] r;
    private final byte[] f;
    private final byte[] m;
    private final String[] segment;

    ScoreTable(PurchaseTable members, LocalDate asOf, byte[] r, byte[] f, byte[] m, String[] segment) {
        this.members = members;
        this.asOf = asOf;
        this.r = r;
        this.f = f;
        this.m = m;
        this.segment = segment;
    }

    @Override
    public RfmScoring.Score get(int index) {
        Objects.checkIndex(index, segment.length);
        RfmScoring.Purchases p = members.get(index);
        BigDecimal basket = p.yearCount() == 0 ? BigDecimal.ZERO
                : p.yearSpend().divide(BigDecimal.valueOf(p.yearCount()), 2, RoundingMode.HALF_UP);
        Integer recency = RfmScoring.recencyDays(p, asOf);
        return new RfmScoring.Score(p.memberId(), recency, p.yearCount(), p.yearSpend(), r[index], f[index], m[index],
                segment[index], basket, RfmScoring.attritionRisk(p, recency, asOf), p.favouriteCategory(),
                p.allTimeCount());
    }

    @Override
    public int size() {
        return segment.length;
    }

    public long memberId(int index) {
        return members.memberId(index);
    }

    /** The member's segment, without making their score. */
    public String segment(int index) {
        return segment[index];
    }
}
