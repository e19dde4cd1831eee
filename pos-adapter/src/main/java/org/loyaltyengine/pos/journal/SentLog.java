package org.loyaltyengine.pos.journal;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;

/**
 * What the till sent the engine and the engine recorded (sales, returns, redemptions), kept for a while so that it
 * can be sent again should the engine be restored to a moment before it: a restore from a backup and the copy of
 * its log loses what was recorded after the copy (a minute at most, or the day since the backup when no copy is
 * left). Sent again as they were, the engine answers those it has with a replay (200, nothing credited twice) and
 * records the others. A JSON line each, forced to disk once the engine answered, at the time it answered by its own
 * clock (the till's corrected by how far it is off): the engine tells what a restore lost in its time, and a till
 * whose clock is off would otherwise look for it at another. Lines older than the till keeps them are dropped when
 * the till starts.
 * <p>
 * A till asks it at every sale when the receipt was first rung up. The log holds days to weeks of sales, so what was
 * read of it is kept ({@link SentIndex}): a question reads only the lines appended since the last one (by this till or
 * a {@code queue} command beside it), and the lines of the calls it asks for; the file is read whole again only once
 * it was rewritten (the pruning at a till's start, once a day at most) or replaced.
 */
public final class SentLog {

    /**
     * A call the engine recorded: the path it was posted to (relative to {@code /api/v1/}), its body, when the
     * engine answered by the engine's clock (as the till knew it, {@link #between(Instant, Instant, Duration)}), and
     * the id the engine gave what it recorded ({@code transactionId}: a sale's transaction id, a redemption's id;
     * null for the others).
     */
    public record Sent(String path, JsonObject body, Instant sentAt, String transactionId) {
    }

    /**
     * The key marking a line whose {@code sentAt} is the engine's time, as all are now. The lines written before
     * hold the till's own time, which is off the engine's by as much as the till's clock was.
     */
    private static final String CLOCK = "clock";

    private final Path file;
    /** What was read of the file, kept up with it. */
    private final SentIndex index;

    public SentLog(Path file) {
        this.file = file;
        this.index = new SentIndex(file);
    }

    public Path file() {
        return file;
    }

    /** The log beside a till's journal: {@code pos-journal.jsonl} keeps {@code pos-journal-sent.jsonl}. */
    public static SentLog besideJournal(Path journal) {
        String name = journal.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return new SentLog(journal.resolveSibling(stem + "-sent.jsonl"));
    }

    /**
     * Records a call the engine recorded, answered at {@code answeredAt} by the engine's clock (the till's corrected
     * by how far it is off, {@code TillClock}): the times a restore of the engine tells are the engine's. Forced to
     * disk.
     */
    public synchronized void record(String path, JsonObject body, String transactionId, Instant answeredAt)
            throws IOException {
        JsonLines.append(file, json(new Sent(path, body, answeredAt, transactionId)));
    }

    /** {@link #record(String, JsonObject, String, Instant)} now, this machine's clock taken for the engine's. */
    public synchronized void record(String path, JsonObject body, String transactionId) throws IOException {
        record(path, body, transactionId, Instant.now());
    }

    /** A call as a line of the log holds it. */
    public static JsonObject json(Sent call) {
        JsonObjectBuilder line = Json.createObjectBuilder().add("path", call.path())
                .add("sentAt", call.sentAt().toString()).add(CLOCK, "engine").add("body", call.body());
        if (call.transactionId() != null) {
            line.add("transactionId", call.transactionId());
        }
        return line.build();
    }

    /** How a call is named to people: its path and its receipt id (a return's id for a return). */
    public static String label(String path, JsonObject body) {
        return (path + " " + body.getString("receiptId", body.getString("returnId", ""))).strip();
    }

    /**
     * The time ({@code occurredAt}) of the sale of receipt {@code receiptId} of store {@code storeId} the engine
     * recorded first, as sent; null when it recorded none this log still holds. Asked at every sale: answered from
     * what was read of the log before, and only the lines appended since are read.
     */
    public synchronized String occurredAt(String storeId, String receiptId) throws IOException {
        return index.occurredAt(storeId, receiptId);
    }

    /**
     * Reads the log now, as far as it was written, so that the first sale of a till's session does not wait for a
     * log that grew long: the first question reads it whole, the next ones what was appended since.
     */
    public synchronized void readAhead() throws IOException {
        index.update();
    }

    /** How many lines of the file this log read since it was made: what answering its questions cost. */
    synchronized long linesRead() {
        return index.linesRead();
    }

    /** The calls recorded by the engine from {@code since} on, in the order it answered them. */
    public synchronized List<Sent> since(Instant since) throws IOException {
        return between(since, Instant.MAX);
    }

    /** {@link #between(Instant, Instant, Duration)} of a till whose clock is the engine's. */
    public synchronized List<Sent> between(Instant from, Instant to) throws IOException {
        return between(from, to, Duration.ZERO);
    }

    /**
     * The calls recorded by the engine from {@code from} to {@code to} by its clock, in the order it answered them.
     * A line written before the log kept the engine's time is taken at its time plus {@code enginesAhead} (how far
     * the engine's clock is ahead of the till's now: most likely what it was then). Only the lines of that time are
     * read, and those appended since the last question.
     */
    public synchronized List<Sent> between(Instant from, Instant to, Duration enginesAhead) throws IOException {
        Duration either = enginesAhead.abs();
        return index.linesBetween(shifted(from, either.negated()), shifted(to, either)).stream()
                .map(line -> sent(line, enginesAhead)).filter(Objects::nonNull)
                .filter(sent -> !sent.sentAt().isBefore(from) && !sent.sentAt().isAfter(to)).toList();
    }

    /** {@code time} moved by {@code by}, held at the ends of the time line. */
    private static Instant shifted(Instant time, Duration by) {
        try {
            return time.plus(by);
        } catch (DateTimeException | ArithmeticException e) {
            return by.isNegative() ? Instant.MIN : Instant.MAX;
        }
    }

    /**
     * Where the till's catch-up with the engine's latest restore stands, as it was last kept (a JSON object with the
     * restore gap as {@code gap}); null: none yet. The first versions kept the gap alone once every call of it was
     * sent again, or the gap and the time of the last call handled: read as {@code done}, or as {@code upTo}.
     */
    public synchronized JsonObject catchUp() throws IOException {
        Path gap = gapFile();
        if (!Files.exists(gap)) {
            return null;
        }
        String text = Files.readString(gap, StandardCharsets.UTF_8).strip();
        if (text.startsWith("{")) {
            try (JsonReader reader = Json.createReader(new StringReader(text))) {
                return reader.readObject();
            } catch (RuntimeException e) {
                return null;
            }
        }
        String[] parts = text.split(" ", 2);
        return parts.length == 1 ? Json.createObjectBuilder().add("gap", parts[0]).add("done", true).build()
                : Json.createObjectBuilder().add("gap", parts[0]).add("upTo", parts[1]).build();
    }

    /** Keeps where the catch-up stands ({@link #catchUp()}), whole or not at all. */
    public synchronized void catchUp(JsonObject state) throws IOException {
        JsonLines.writeWhole(gapFile(), state + "\n");
    }

    /**
     * The catch-up's lock, if no other call of the till holds it, in this process or another ({@code queue}
     * commands run beside the till's session); null: one does, and this call does not wait for it.
     */
    public AutoCloseable catchingUp() throws IOException {
        return JsonLines.tryLock(gapFile());
    }

    private Path gapFile() {
        return file.resolveSibling(file.getFileName() + ".resent-for-gap");
    }

    /**
     * Drops the calls answered before {@code before} (the engine's time), once the oldest is a day older than that:
     * the file is rewritten once a day at most, however often the till starts. The lines are in the order of their
     * answers, so the first tells.
     *
     * @return the number of calls dropped
     */
    public synchronized int forgetBefore(Instant before) throws IOException {
        JsonObject first = JsonLines.first(file, line -> sent(line) != null);
        Sent oldest = first == null ? null : sent(first);
        if (oldest == null || !oldest.sentAt().isBefore(before.minus(Duration.ofDays(1)))) {
            return 0;
        }
        return JsonLines.retain(file, line -> {
            Sent call = sent(line);
            return call == null || !call.sentAt().isBefore(before);
        });
    }

    /** The call a line holds ({@link #json}), at the time it holds; null for a line that is not one (by hand). */
    public static Sent sent(JsonObject line) {
        return sent(line, Duration.ZERO);
    }

    /**
     * The call a line holds, at the engine's time: a line of before the log kept it is taken at its time plus
     * {@code enginesAhead}. Null for a line that is not a call.
     */
    private static Sent sent(JsonObject line, Duration enginesAhead) {
        try {
            Instant at = Instant.parse(line.getString("sentAt"));
            return new Sent(line.getString("path"), line.getJsonObject("body"),
                    line.containsKey(CLOCK) ? at : at.plus(enginesAhead), line.getString("transactionId", null));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
