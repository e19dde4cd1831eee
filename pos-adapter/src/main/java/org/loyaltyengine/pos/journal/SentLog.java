package org.loyaltyengine.pos.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

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

    /** The calls recorded by the engine from {@code since} on, in the order it answered them. */
    public synchronized List<Sent> since(Instant since) throws IOException {
        return JsonLines.read(file).stream().map(SentLog::sent).filter(sent -> !sent.sentAt().isBefore(since))
                .toList();
    }

    /**
     * Drops the calls answered before {@code before}. The lines are in the order of their answers, so when the first
     * is not older (nearly always: the till starts many times a day) nothing more is read.
     */
    public synchronized int forgetBefore(Instant before) throws IOException {
        JsonObject first = JsonLines.first(file);
        if (first == null || !sent(first).sentAt().isBefore(before)) {
            return 0;
        }
        List<JsonObject> lines = JsonLines.read(file);
        List<JsonObject> kept = lines.stream().filter(line -> !sent(line).sentAt().isBefore(before)).toList();
        if (kept.size() < lines.size()) {
            JsonLines.replace(file, kept);
        }
        return lines.size() - kept.size();
    }

    private static Sent sent(JsonObject line) {
        return new Sent(line.getString("path"), line.getJsonObject("body"), Instant.parse(line.getString("sentAt")),
                line.getString("transactionId", null));
    }
}
