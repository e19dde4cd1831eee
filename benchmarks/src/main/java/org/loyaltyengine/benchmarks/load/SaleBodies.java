package org.loyaltyengine.benchmarks.load;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/** Random sales as tills send them ({@code POST /pos/transactions}), for the load driver and the reliability suite. */
public final class SaleBodies {

    static final String[] CATEGORIES = {"grocery", "fresh", "bakery", "dairy", "drinks", "coffee", "wine"};

    /** A sale's JSON body, and the SKU of its first line (what a return of it names). */
    public record Sale(String json, String firstSku) {
    }

    private SaleBodies() {
    }

    /** A sale of 1 to {@code maxLines} random lines, rung up a moment ago. */
    public static Sale sale(SplittableRandom random, String card, String store, String terminal, String receipt,
                            int maxLines, long redeemPoints) {
        StringBuilder body = new StringBuilder("{\"cardNumber\":\"").append(card).append("\",\"storeId\":\"")
                .append(store).append("\",\"terminalId\":\"").append(terminal).append("\",\"receiptId\":\"")
                .append(receipt).append("\",\"occurredAt\":\"")
                .append(OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(1).withNano(0))
                .append("\",\"currency\":\"EUR\",\"lines\":[");
        int lines = 1 + random.nextInt(maxLines);
        String firstSku = null;
        for (int l = 0; l < lines; l++) {
            String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
            String sku = "SKU-" + category + "-" + l;
            firstSku = firstSku == null ? sku : firstSku;
            body.append(l == 0 ? "" : ",").append(line(random, sku, category));
        }
        body.append("],\"redeemPoints\":").append(redeemPoints).append(",\"offerIds\":[]}");
        return new Sale(body.toString(), firstSku);
    }

    /** Line {@code l} of a random basket, as the contract's JSON. */
    static String line(SplittableRandom random, int l) {
        String category = CATEGORIES[random.nextInt(CATEGORIES.length)];
        return line(random, "SKU-" + category + "-" + l, category);
    }

    private static String line(SplittableRandom random, String sku, String category) {
        return "{\"sku\":\"" + sku + "\",\"category\":\"" + category + "\",\"quantity\":" + (1 + random.nextInt(3))
                + ",\"unitPrice\":\"" + (1 + random.nextInt(20)) + "." + (10 + random.nextInt(90)) + "\"}";
    }
}
