package org.loyaltyengine.pos.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The till's durable queue of sales recorded while the engine could not be reached: an append-only file of JSON
 * lines, each forced to disk ({@code fsync}) before the cashier is told the points will be credited. A sale is
 * one line with its request body, exactly as it will be sent (same receipt id, same content, so the engine's
 * idempotency makes any number of replays safe); what became of it is another line, which may give the body it is
 * sent as from then on ({@link #markSentAs}). A line cut short by a crash is ignored on reading: it was never
 * acknowledged.
 * <p>
 * The till asks the journal at every sale whether sales are waiting: what it read is kept and read again only when
 * the file changed (its size, its time of change, or the file itself), so that a till online costs no reading of a
 * journal however long it grew. Sales delivered long ago leave the file ({@link #forgetDelivered}).
 */
public final class Journal {

    /** Where a queued sale stands. */
    public enum State {
        /** Waiting for the engine. */
        QUEUED,
        /** The engine has it (201 or a 200 replay). */
        DELIVERED,
        /**
         * The engine refused it (a 4xx about the sale, not about the till's key): kept for a person to look at, never
         * sent again by itself.
         */
        REFUSED,
        /**
         * The engine failed on it (500) time after time: kept for a person to look at and not sent again by itself,
         * so that the sales queued after it are not held behind it.
         */
        SET_ASIDE
    }

    /**
     * A queued sale and where it stands; {@code failuresByEngine}: how many of its latest attempts in a row reached
     * the engine and failed there (500), not for want of an engine; {@code markedAt}: when what became of it was
     * last written (when it was queued, before any); {@code setAsideAt}: when it was set aside, null unless it is;
     * {@code triesAgain}: how many times it was tried again since, whatever came of it.
     */
    public record Entry(long seq, String receiptKey, JsonObject body, Instant queuedAt, State state, String note,
                        int attempts, int failuresByEngine, Instant markedAt, Instant setAsideAt, int triesAgain,
                        String path) {

        /** Whether it is a sale ({@code pos/transactions}), not a redemption. */
        public boolean sale() {
            return SALES.equals(path);
        }
    }

    /** Where a sale is posted; an entry without a path is one. */
    public static final String SALES = "pos/transactions";

    /**
     * The entries as read from the file in a given state of it (null: none known), those waiting and those set
     * aside among them, and the highest sequence number it holds: what a sale asks, worked out once per read.
     */
    private record Read(Object fileKey, long size, FileTime modified, List<Entry> entries, List<Entry> waiting,
                        List<Entry> setAside, long lastSeq) {

        static Read of(BasicFileAttributes file, Collection<Entry> entries, long lastSeq) {
            return new Read(file == null ? null : file.fileKey(), file == null ? -1 : file.size(),
                    file == null ? FileTime.fromMillis(0) : file.lastModifiedTime(), List.copyOf(entries),
                    entries.stream().filter(entry -> entry.state() == State.QUEUED).toList(),
                    entries.stream().filter(entry -> entry.state() == State.SET_ASIDE).toList(), lastSeq);
        }

        boolean of(BasicFileAttributes file) {
            return Objects.equals(fileKey, file.fileKey()) && size == file.size()
                    && modified.equals(file.lastModifiedTime());
        }
    }

    private final Path file;
    private Read read;

    public Journal(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * Checks that the journal can be written, before a sale needs it: its folder, its lock file, the file itself.
     *
     * @throws IOException what stops it
     */
    public void checkWritable() throws IOException {
        JsonLines.checkWritable(file);
    }

    /**
     * What stops the till writing {@code file} as people say it: the file the error names (the lock file beside the
     * journal, say), and why ("permission denied": Java names only the file; "No space left on device").
     */
    public static String cannotWrite(Path file, IOException e) {
        if (e instanceof java.nio.file.FileSystemException failed) {
            String reason = failed.getReason() != null ? failed.getReason()
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileAlreadyExistsException ? "a file is in the way"
                    : e instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : e.getClass().getSimpleName();
            return (failed.getFile() != null ? failed.getFile() : file.toString()) + ": " + reason;
        }
        return file + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
    }

    /**
     * Appends a sale and forces it to disk; returns its sequence number, taken under the writers' lock: a sale
     * queued at once by another process of the till is numbered apart.
     */
    public synchronized long append(String receiptKey, JsonObject body) throws IOException {
        return append(receiptKey, body, SALES);
    }

    /**
     * Appends a call to post to {@code path} ({@link #SALES}, or {@code pos/redemptions} for a redemption whose
     * outcome is not known) as {@link #append(String, JsonObject)} does.
     */
    public synchronized long append(String receiptKey, JsonObject body, String path) throws IOException {
        long[] seq = {0};
        JsonLines.append(file, () -> {
            seq[0] = current().lastSeq() + 1;
            JsonObjectBuilder line = Json.createObjectBuilder().add("seq", seq[0]).add("receipt", receiptKey)
                    .add("queuedAt", Instant.now().toString()).add("body", body);
            if (!SALES.equals(path)) {
                line.add("path", path);
            }
            return line.build();
        });
        return seq[0];
    }

    /** Records what became of a sale (delivered, refused, or one more failed attempt). */
    public synchronized void mark(long seq, State state, String note) throws IOException {
        mark(seq, state, note, false);
    }

    /** {@link #mark(long, State, String)}, saying whether the engine failed on the sale ({@code failedByEngine}). */
    public synchronized void mark(long seq, State state, String note, boolean failedByEngine) throws IOException {
        mark(seq, state, note, failedByEngine, false);
    }

    /**
     * Records that a sale is to be sent as {@code sentAs} from now on, not as it was queued (its time corrected
     * after the engine refused it in its future, or its offers left out after the engine refused one of them), and
     * stands in {@code state}: written before it is sent so, so that should the engine record it and its answer be
     * lost, or the till stop before it is sent, it is sent again so, never as queued. A sale set aside stays set
     * aside meanwhile, this mark a try of it ({@link #markTriedAgain}).
     */
    public synchronized void markSentAs(long seq, State state, String note, JsonObject sentAs) throws IOException {
        mark(seq, state, note, false, state == State.SET_ASIDE, sentAs);
    }

    /**
     * Records that a sale set aside was tried again and is still set aside: the engine failed on it again
     * ({@code failedByEngine}), or did not answer.
     */
    public synchronized void markTriedAgain(long seq, String note, boolean failedByEngine) throws IOException {
        mark(seq, State.SET_ASIDE, note, failedByEngine, true);
    }

    private void mark(long seq, State state, String note, boolean failedByEngine, boolean triedAgain)
            throws IOException {
        mark(seq, state, note, failedByEngine, triedAgain, null);
    }

    private void mark(long seq, State state, String note, boolean failedByEngine, boolean triedAgain,
                      JsonObject sentAs) throws IOException {
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
        if (triedAgain) {
            record.add("triedAgain", true);
        }
        if (sentAs != null) {
            record.add("sentAs", sentAs);
        }
        write(record.build());
    }

    /** Every sale the journal holds, in the order they were queued, with their latest state (unmodifiable). */
    public synchronized List<Entry> entries() throws IOException {
        return current().entries();
    }

    /** The sales set aside, oldest first (unmodifiable). */
    public synchronized List<Entry> setAside() throws IOException {
        return current().setAside();
    }

    /**
     * Drops the sales the engine has had since before {@code before} (delivered, and not sent again since), once
     * the oldest of them is a day older than that: the file is rewritten once a day at most, however often the till
     * starts, and a journal that held the sales of a long outage does not stay that long for good. What the engine
     * recorded is still in the till's {@link SentLog} for as long as it keeps it. Sales waiting, refused or set aside
     * stay, for a person to see, and the numbering goes on where it was.
     *
     * @return the number of sales dropped
     */
    public synchronized int forgetDelivered(Instant before) throws IOException {
        Instant onceADay = before.minus(Duration.ofDays(1));
        if (current().entries().stream().noneMatch(entry -> delivered(entry, onceADay))) {
            return 0;
        }
        int[] dropped = {0};
        JsonLines.rewrite(file, records -> {
            // Decided on what the file holds under the writers' lock: nothing written meanwhile is lost.
            Read whole = read(records, null);
            Set<Long> dropping = new HashSet<>();
            whole.entries().stream().filter(entry -> delivered(entry, before)).forEach(e -> dropping.add(e.seq()));
            List<JsonObject> kept = new ArrayList<>();
            for (JsonObject record : records) {
                if (!record.containsKey("seq") || !dropping.contains(seq(record)) && !record.containsKey("forgotten")) {
                    kept.add(record);
                }
            }
            if (whole.entries().stream().noneMatch(e -> e.seq() == whole.lastSeq() && !dropping.contains(e.seq()))) {
                // The highest number stays taken: a sale queued next is not numbered as one dropped.
                kept.add(Json.createObjectBuilder().add("seq", whole.lastSeq()).add("forgotten", true).build());
            }
            dropped[0] = dropping.size();
            return kept;
        });
        read = null;
        return dropped[0];
    }

    private static boolean delivered(Entry entry, Instant before) {
        return entry.state() == State.DELIVERED && entry.markedAt().isBefore(before);
    }

    /** What the file holds now: what was read last, unless the file changed since. */
    private Read current() throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            read = null;
            return Read.of(null, List.of(), 0);
        }
        if (read == null || !read.of(attributes)) {
            // Its state is taken before it is read: a line written meanwhile makes it read again next time.
            read = read(JsonLines.read(file), attributes);
        }
        return read;
    }

    private static Read read(List<JsonObject> records, BasicFileAttributes attributes) {
        Map<Long, Entry> entries = new LinkedHashMap<>();
        long lastSeq = 0;
        for (JsonObject record : records) {
            if (!record.containsKey("seq")) {
                continue;
            }
            long seq = seq(record);
            lastSeq = Math.max(lastSeq, seq);
            if (record.containsKey("body")) {
                Instant queuedAt = Instant.parse(record.getString("queuedAt"));
                entries.put(seq, new Entry(seq, record.getString("receipt"), record.getJsonObject("body"), queuedAt,
                        State.QUEUED, "", 0, 0, queuedAt, null, 0, record.getString("path", SALES)));
            } else if (entries.containsKey(seq)) {
                Entry entry = entries.get(seq);
                State state = state(record);
                Instant at = at(record, entry.markedAt());
                JsonObject body = record.containsKey("sentAs") ? record.getJsonObject("sentAs") : entry.body();
                entries.put(seq, new Entry(seq, entry.receiptKey(), body, entry.queuedAt(), state,
                        record.getString("note", ""), entry.attempts() + 1,
                        record.getBoolean("failedByEngine", false) ? entry.failuresByEngine() + 1 : 0, at,
                        state != State.SET_ASIDE ? null : entry.setAsideAt() != null ? entry.setAsideAt() : at,
                        state == State.SET_ASIDE && record.getBoolean("triedAgain", false) ? entry.triesAgain() + 1
                                : 0, entry.path()));
            }
        }
        return Read.of(attributes, entries.values(), lastSeq);
    }

    private static long seq(JsonObject record) {
        return record.getJsonNumber("seq").longValue();
    }

    /** When a mark was written; a mark without a readable time keeps the time before it. */
    private static Instant at(JsonObject mark, Instant before) {
        try {
            return Instant.parse(mark.getString("at"));
        } catch (RuntimeException e) {
            return before;
        }
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

    /** The sales still waiting for the engine, oldest first (unmodifiable). */
    public synchronized List<Entry> waiting() throws IOException {
        return current().waiting();
    }

    private void write(JsonObject record) throws IOException {
        JsonLines.append(file, record);
    }
}
