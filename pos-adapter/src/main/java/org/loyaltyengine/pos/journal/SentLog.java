package org.loyaltyengine.pos.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * What the till sent the engine and the engine recorded (sales, returns, redemptions), kept for a while so that it
 * can be sent again should the engine be restored to a moment before it: a restore from a backup and the copy of
 * its log loses what was recorded after the copy (a minute at most, or the day since the backup when no copy is
 * left). Sent again as they were, the engine answers those it has with a replay (200, nothing credited twice) and
 * records the others. A JSON line each, forced to disk once the engine answered; lines older than the till keeps
 * them are dropped when the till starts.
 */
public final class SentLog {

    /**
     * A call the engine recorded: the path it was posted to (relative to {@code /api/v1/}), its body, when the
     * engine answered, and the transaction it recorded (a sale's; null for the others).
     */
    public record Sent(String path, JsonObject body, Instant sentAt, String transactionId) {
    }

    private final Path file;

    public SentLog(Path file) {
        this.file = file;
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

    /** Records a call the engine recorded, forced to disk. */
    public synchronized void record(String path, JsonObject body, String transactionId) throws IOException {
        JsonObjectBuilder line = Json.createObjectBuilder().add("path", path).add("sentAt", Instant.now().toString())
                .add("body", body);
        if (transactionId != null) {
            line.add("transactionId", transactionId);
        }
        JsonLines.append(file, line.build());
    }

    /** How a call is named to people: its path and its receipt id (a return's id for a return). */
    public static String label(String path, JsonObject body) {
        return path + " " + body.getString("receiptId", body.getString("returnId", ""));
    }

    /** The calls recorded by the engine from {@code since} on, in the order it answered them. */
    public synchronized List<Sent> since(Instant since) throws IOException {
        return between(since, Instant.MAX);
    }

    /** The calls recorded by the engine from {@code from} to {@code to}, in the order it answered them. */
    public synchronized List<Sent> between(Instant from, Instant to) throws IOException {
        return all().stream().filter(sent -> !sent.sentAt().isBefore(from) && !sent.sentAt().isAfter(to)).toList();
    }

    /** The restore gap the calls were last sent again for (the engine's {@code <from>/<to>}); null: none yet. */
    public synchronized String resentForGap() throws IOException {
        Path gap = gapFile();
        return Files.exists(gap) ? Files.readString(gap, StandardCharsets.UTF_8).strip() : null;
    }

    /** Notes that the calls were sent again for the restore gap given, so that they are not sent again for it. */
    public synchronized void resentFor(String gap) throws IOException {
        JsonLines.writeWhole(gapFile(), gap + "\n");
    }

    private Path gapFile() {
        return file.resolveSibling(file.getFileName() + ".resent-for-gap");
    }

    /**
     * Drops the calls answered before {@code before}, once the oldest is a day older than that: the file is rewritten
     * once a day at most, however often the till starts. The lines are in the order of their answers, so the first
     * tells.
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

    private List<Sent> all() throws IOException {
        return JsonLines.read(file).stream().map(SentLog::sent).filter(Objects::nonNull).toList();
    }

    /** The call a line holds; null for a line that is not one (written by hand, say). */
    private static Sent sent(JsonObject line) {
        try {
            return new Sent(line.getString("path"), line.getJsonObject("body"),
                    Instant.parse(line.getString("sentAt")), line.getString("transactionId", null));
        } catch (RuntimeException e) {
            return null;
        }
    }
}
