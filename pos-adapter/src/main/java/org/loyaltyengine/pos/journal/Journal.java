package org.loyaltyengine.pos.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The till's durable queue of sales recorded while the engine could not be reached: an append-only file of JSON
 * lines, each forced to disk ({@code fsync}) before the cashier is told the points will be credited. A sale is
 * one line with its request body, exactly as it will be sent (same receipt id, same content, so the engine's
 * idempotency makes any number of replays safe); what became of it is another line. A line cut short by a crash
 * is ignored on reading: it was never acknowledged.
 */
public final class Journal {

    /** Where a queued sale stands. */
    public enum State {
        /** Waiting for the engine. */
        QUEUED,
        /** The engine has it (201 or a 200 replay). */
        DELIVERED,
        /** The engine refused it (4xx): kept for a person to look at, never sent again by itself. */
        REFUSED,
        /**
         * The engine failed on it (500) time after time: kept for a person to look at and not sent again by itself,
         * so that the sales queued after it are not held behind it.
         */
        SET_ASIDE
    }

    /**
     * A queued sale and where it stands; {@code failuresByEngine}: how many of its latest attempts in a row reached
     * the engine and failed there (500), not for want of an engine.
     */
    public record Entry(long seq, String receiptKey, JsonObject body, Instant queuedAt, State state, String note,
                        int attempts, int failuresByEngine) {
    }

    private final Path file;

    public Journal(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** Appends a sale and forces it to disk; returns its sequence number. */
    public synchronized long append(String receiptKey, JsonObject body) throws IOException {
        long seq = entries().stream().mapToLong(Entry::seq).max().orElse(0) + 1;
        write(Json.createObjectBuilder().add("seq", seq).add("receipt", receiptKey).add("queuedAt",
                Instant.now().toString()).add("body", body).build());
        return seq;
    }

    /** Records what became of a sale (delivered, refused, or one more failed attempt). */
    public synchronized void mark(long seq, State state, String note) throws IOException {
        mark(seq, state, note, false);
    }

    /** {@link #mark(long, State, String)}, saying whether the engine failed on the sale ({@code failedByEngine}). */
    public synchronized void mark(long seq, State state, String note, boolean failedByEngine) throws IOException {
        // Set aside is written as refused, marked: an adapter of before that state reads it as refused, which is
        // what it is to it (kept for a person, never sent again by itself), instead of failing on every read.
        JsonObjectBuilder record = Json.createObjectBuilder().add("seq", seq)
                .add("state", state == State.SET_ASIDE ? State.REFUSED.name() : state.name())
                .add("note", note == null ? "" : note).add("at", Instant.now().toString());
        if (state == State.SET_ASIDE) {
            record.add("setAside", true);
        }
        if (failedByEngine) {
            record.add("failedByEngine", true);
        }
        write(record.build());
    }

    /** Every sale the journal holds, in the order they were queued, with their latest state. */
    public synchronized List<Entry> entries() throws IOException {
        Map<Long, Entry> entries = new LinkedHashMap<>();
        for (JsonObject record : JsonLines.read(file)) {
            long seq = record.getJsonNumber("seq").longValue();
            if (record.containsKey("body")) {
                entries.put(seq, new Entry(seq, record.getString("receipt"), record.getJsonObject("body"),
                        Instant.parse(record.getString("queuedAt")), State.QUEUED, "", 0, 0));
            } else if (entries.containsKey(seq)) {
                Entry entry = entries.get(seq);
                State state = state(record);
                entries.put(seq, new Entry(seq, entry.receiptKey(), entry.body(), entry.queuedAt(), state,
                        record.getString("note", ""), entry.attempts() + 1,
                        record.getBoolean("failedByEngine", false) ? entry.failuresByEngine() + 1 : 0));
            }
        }
        return new ArrayList<>(entries.values());
    }

    /** A mark's state; one this version does not know (written by a later one) is kept for a person, as refused. */
    private static State state(JsonObject mark) {
        if (mark.getBoolean("setAside", false)) {
            return State.SET_ASIDE;
        }
        try {
            return State.valueOf(mark.getString("state"));
        } catch (IllegalArgumentException e) {
            return State.REFUSED;
        }
    }

    /** The sales still waiting for the engine, oldest first. */
    public List<Entry> waiting() throws IOException {
        return entries().stream().filter(entry -> entry.state() == State.QUEUED).toList();
    }

    private void write(JsonObject record) throws IOException {
        JsonLines.append(file, record);
    }
}
