package org.loyaltyengine.rules.fact;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Objects;

/**
 * A purchase being decided: where and when it happened (in the store's own time zone, so that "double points
 * on Tuesdays" means the store's Tuesday) and what was bought.
 *
 * @param programme the programme's code
 * @param storeId   the store the purchase was made in
 * @param channel   where it was made: {@code "store"} for a till, {@code "web"} for a claim
 * @param localTime the time of the purchase in the store's zone
 * @param currency  ISO 4217 code of every amount of the purchase
 * @param lines     what was bought
 * @param total     the sum of the lines' amounts
 */
public record Purchase(String programme, String storeId, String channel, LocalDateTime localTime, String currency,
                       List<PurchaseLine> lines, BigDecimal total) {

    public Purchase {
        Objects.requireNonNull(programme, "programme");
        Objects.requireNonNull(localTime, "localTime");
        lines = List.copyOf(lines);
        Objects.requireNonNull(total, "total");
    }

    public static Purchase of(String programme, String storeId, String channel, LocalDateTime localTime,
                              String currency, List<PurchaseLine> lines) {
        BigDecimal total = lines.stream().map(PurchaseLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        return new Purchase(programme, storeId, channel, localTime, currency, lines, total);
    }

    /** The amount spent on lines of the given category; zero when there are none. */
    public BigDecimal spentIn(String category) {
        return lines.stream()
                .filter(line -> line.category().equals(category))
                .map(PurchaseLine::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The amount of the basket without the lines of the given categories (gift cards, tobacco...). */
    public BigDecimal totalExcluding(java.util.Collection<String> categories) {
        return lines.stream()
                .filter(line -> !categories.contains(line.category()))
                .map(PurchaseLine::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /**
     * The amount of the basket without the lines of the categories listed, comma-separated
     * ({@code totalExcluding("gift-card,tobacco")}): easy to write in a rule.
     */
    public BigDecimal totalExcluding(String categories) {
        return totalExcluding(java.util.Arrays.stream(categories.split(",")).map(String::strip).toList());
    }

    /** The amount spent on one SKU. */
    public BigDecimal spentOnSku(String sku) {
        return lines.stream()
                .filter(line -> line.sku().equals(sku))
                .map(PurchaseLine::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** How many units of one SKU the basket holds. */
    public int quantityOf(String sku) {
        return lines.stream().filter(line -> line.sku().equals(sku)).mapToInt(PurchaseLine::quantity).sum();
    }

    /** The day of the purchase in the store's time zone. */
    public java.time.LocalDate date() {
        return localTime.toLocalDate();
    }

    /** Whether the purchase falls on or between two days given as ISO dates ("2026-12-01"). */
    public boolean between(String from, String to) {
        java.time.LocalDate day = date();
        return !day.isBefore(java.time.LocalDate.parse(from)) && !day.isAfter(java.time.LocalDate.parse(to));
    }

    public DayOfWeek dayOfWeek() {
        return localTime.getDayOfWeek();
    }
}
