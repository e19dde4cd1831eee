package org.loyaltyengine.engine.application;

import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * How long recorded sales take on the server and how much of it the rules take, measured inside each sale since
 * the engine started: the rules' share of a sale's time.
 */
@ApplicationScoped
public class SaleTimings {

    private final LongAdder sales = new LongAdder();
    private final LongAdder saleNanos = new LongAdder();
    private final LongAdder ruleNanos = new LongAdder();

    void record(long saleTook, long rulesTook) {
        sales.increment();
        saleNanos.add(saleTook);
        ruleNanos.add(rulesTook);
    }

    public Snapshot snapshot() {
        long count = sales.sum();
        long sale = saleNanos.sum();
        long rules = ruleNanos.sum();
        return new Snapshot(count, count == 0 ? 0 : sale / count / 1_000.0, count == 0 ? 0 : rules / count / 1_000.0,
                sale == 0 ? 0 : (double) rules / sale);
    }

    /**
     * @param sales           sales recorded (replays excluded)
     * @param saleMicros      average server time of recording a sale, rules included, in microseconds
     * @param rulesMicros     average time the rule engine took to decide a sale's points, in microseconds
     * @param rulesShare      the rules' share of the sale's time, 0 to 1
     */
    public record Snapshot(long sales, double saleMicros, double rulesMicros, double rulesShare) {
    }
}
