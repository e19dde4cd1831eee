package org.loyaltyengine.engine.domain.knowledge;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Many members' purchases, one array per figure, ordered by member: what {@link RfmScoring.Purchases} records
 * hold, in a tenth of the memory. The store fills it member by member as the database sums their sales
 * ({@link #indexOf}), then drops the members it should not score ({@link #retain}).
 */
public final class PurchaseTable {

    private static final int NONE = Integer.MIN_VALUE;

    private long[] memberIds;
    private int[] first;
    private int[] last;
    private long[] allTimeCount;
    private long[] yearCount;
    private BigDecimal[] yearSpend;
    private String[] favourite;
    private int[] joined;
    private int size;

    /** A table of these members (in increasing order), none of whom has bought yet. */
    public PurchaseTable(long[] memberIds) {
        for (int i = 1; i < memberIds.length; i++) {
            if (memberIds[i] <= memberIds[i - 1]) {
                throw new IllegalArgumentException("Members are given in increasing order, once each");
            }
        }
        this.memberIds = memberIds;
        size = memberIds.length;
        first = new int[size];
        last = new int[size];
        Arrays.fill(first, NONE);
        Arrays.fill(last, NONE);
        allTimeCount = new long[size];
        yearCount = new long[size];
        yearSpend = new BigDecimal[size];
        Arrays.fill(yearSpend, BigDecimal.ZERO);
        favourite = new String[size];
        joined = new int[size];
        Arrays.fill(joined, NONE);
    }

    public static PurchaseTable of(List<RfmScoring.Purchases> members) {
        List<RfmScoring.Purchases> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparingLong(RfmScoring.Purchases::memberId));
        PurchaseTable table = new PurchaseTable(sorted.stream().mapToLong(RfmScoring.Purchases::memberId).toArray());
        for (int i = 0; i < sorted.size(); i++) {
            RfmScoring.Purchases p = sorted.get(i);
            table.addPurchases(i, p.firstPurchase(), p.lastPurchase(), p.allTimeCount(), p.yearCount(),
                    p.yearSpend());
            table.favourite(i, p.favouriteCategory());
            if (p.joinedOn() != null) {
                table.joined(i, (int) p.joinedOn().toEpochDay());
            }
        }
        return table;
    }

    public int size() {
        return size;
    }

    /** The member's position in the table, or a negative number when the table does not hold them. */
    public int indexOf(long memberId) {
        return Arrays.binarySearch(memberIds, 0, size, memberId);
    }

    public long memberId(int index) {
        return memberIds[index];
    }

    /**
     * Adds purchases to the member's: those of an account merged into the member come apart from the member's
     * own. The first and last days are the earliest and latest of all.
     */
    public void addPurchases(int index, LocalDate firstPurchase, LocalDate lastPurchase, long allTime, long year,
                             BigDecimal spend) {
        if (firstPurchase != null) {
            int day = (int) firstPurchase.toEpochDay();
            first[index] = first[index] == NONE ? day : Math.min(first[index], day);
        }
        if (lastPurchase != null) {
            last[index] = Math.max(last[index], (int) lastPurchase.toEpochDay());
        }
        allTimeCount[index] += allTime;
        yearCount[index] += year;
        yearSpend[index] = yearSpend[index].add(spend);
    }

    public void favourite(int index, String category) {
        favourite[index] = category;
    }

    /** The (epoch) day the member joined the programme. */
    public void joined(int index, int epochDay) {
        joined[index] = epochDay;
    }

    long yearCount(int index) {
        return yearCount[index];
    }

    /** The day of the member's last purchase, as an epoch day. */
    int lastDay(int index) {
        return last[index];
    }

    BigDecimal yearSpend(int index) {
        return yearSpend[index];
    }

    public boolean bought(int index) {
        return last[index] != NONE;
    }

    /** Keeps the members for whom {@code keep} holds, in their order; the table is made no smaller in memory. */
    public void retain(IntPredicate keep) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (keep.test(i)) {
                memberIds[kept] = memberIds[i];
                first[kept] = first[i];
                last[kept] = last[i];
                allTimeCount[kept] = allTimeCount[i];
                yearCount[kept] = yearCount[i];
                yearSpend[kept] = yearSpend[i];
                favourite[kept] = favourite[i];
                joined[kept] = joined[i];
                kept++;
            }
        }
        Arrays.fill(yearSpend, kept, size, null);
        Arrays.fill(favourite, kept, size, null);
        size = kept;
    }

    public RfmScoring.Purchases get(int index) {
        return new RfmScoring.Purchases(memberIds[index], day(first[index]), day(last[index]), allTimeCount[index],
                yearCount[index], yearSpend[index], favourite[index], day(joined[index]));
    }

    private static LocalDate day(int epochDay) {
        return epochDay == NONE ? null : LocalDate.ofEpochDay(epochDay);
    }
}
