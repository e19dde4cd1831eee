package org.loyaltyengine.pos.journal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * What a till asks its {@link SentLog} at every sale, kept in memory so that a sale costs the same however long the
 * log grew: where each call's line is, when the engine answered it, and the lines naming each receipt ({@link
 * CallLine}), so that the lines of a receipt, or of a time, are read without the rest. Built by reading the file once;
 * after that only what was appended since is read (by this till, or by a {@code queue} command beside it), up to the
 * last whole line: a line still being written is read once it is whole, and one a crash cut short is skipped once a
 * line follows it. The file is read whole again once it is not the file read before: rewritten by the pruning at a
 * till's start (in this process or another), removed, or replaced by hand; told by its identity ({@code fileKey},
 * where the system has one) and by the bytes before where the reading stopped, which a rewrite moves.
 * <p>
 * Not thread-safe: {@link SentLog} calls it under its monitor.
 */
final class SentIndex {

    /** How many bytes before where the reading stopped tell that the file is still the one read. */
    private static final int TAIL = 64;

    /** How much of the file is read at once. */
    private static final int CHUNK = 1 << 16;

    private final Path file;

    /** The identity of the file read; null: none read, or a system without one. */
    private Object fileKey;
    /** Where the last whole line read ends: what follows is read at the next question. */
    private long end;
    /** The bytes before {@link #end}, {@link #TAIL} at most. */
    private byte[] tail = new byte[0];
    /**
     * The lines holding a call, or that may ({@link CallLine}), in the file's order: where each begins, its length,
     * and when the engine answered the call.
     */
    private long[] starts = new long[1024];
    private int[] lengths = new int[1024];
    private long[] answered = new long[1024];
    private int calls;
    /** The calls (their place in the file's order) whose lines name each receipt. */
    private final Map<String, int[]> receipts = new HashMap<>();
    /** Whether the calls are in the order of their answers, as a till writes them; a clock set back breaks it. */
    private boolean ordered = true;
    /** The call after the last whole line, when the file does not end its last line (one written by hand). */
    private JsonObject unended;
    /** How many lines were read from the file (to take them in, or for a question): what the questions cost. */
    private long linesRead;

    SentIndex(Path file) {
        this.file = file;
    }

    /**
     * The time ({@code occurredAt}) of the sale of receipt {@code receiptId} of store {@code storeId} the log holds
     * first, as sent; null: none. Only the lines naming the receipt are read.
     */
    String occurredAt(String storeId, String receiptId) throws IOException {
        try (FileChannel channel = openRead()) {
            if (channel == null) {
                return null;
            }
            for (int call : receipts.getOrDefault(receiptId, new int[0])) {
                String found = occurredAt(JsonLines.parse(readLine(channel, call)), storeId, receiptId);
                if (found != null) {
                    return found;
                }
            }
            return occurredAt(unended, storeId, receiptId);
        }
    }

    /**
     * The lines, in the file's order, of at least every call the engine answered from {@code from} to {@code to}
     * (a few more at times, the caller tells them apart); only those lines are read.
     */
    List<JsonObject> linesBetween(Instant from, Instant to) throws IOException {
        List<JsonObject> lines = new ArrayList<>();
        try (FileChannel channel = openRead()) {
            if (channel == null) {
                return lines;
            }
            long first = nanos(from);
            long last = nanos(to);
            int begin = ordered ? firstAtOrAfter(first) : 0;
            int stop = ordered ? firstAfter(last) : calls;
            for (int i = begin; i < stop; i++) {
                if (answered[i] >= first && answered[i] <= last) {
                    JsonObject line = JsonLines.parse(readLine(channel, i));
                    if (line != null) {
                        lines.add(line);
                    }
                }
            }
            if (unended != null) {
                lines.add(unended);
            }
            return lines;
        }
    }

    /** Reads what was appended to the file since the last question (the whole file, when it is not the one read). */
    void update() throws IOException {
        try (FileChannel ignored = openRead()) {
            // Read on opening.
        }
    }

    /** How many lines were read from the file since this index was made. */
    long linesRead() {
        return linesRead;
    }

    /**
     * The file, open for reading, with what was appended to it since the last question read (all of it, when it is
     * not the file read before); null, and nothing kept, when there is no file.
     */
    private FileChannel openRead() throws IOException {
        FileChannel channel;
        Object key;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            forget(null);
            return null;
        }
        try {
            long size = channel.size();
            if (!Objects.equals(key, fileKey) || size < end || !sameTail(channel)) {
                forget(key);
            }
            unended = null;
            if (size > end) {
                read(channel, size);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Forgets what was read: the file is read whole at the next question. */
    private void forget(Object key) {
        fileKey = key;
        end = 0;
        tail = new byte[0];
        receipts.clear();
        calls = 0;
        ordered = true;
        unended = null;
    }

    /** Whether the bytes before {@link #end} are still those read there. */
    private boolean sameTail(FileChannel channel) throws IOException {
        return tail.length == 0 || Arrays.equals(tail, bytes(channel, end - tail.length, tail.length));
    }

    /** Reads the lines from {@link #end} to {@code size}; a last line without its end is read again next time. */
    private void read(FileChannel channel, long size) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long lineStart = end;
        long at = end;
        while (at < size) {
            chunk.clear().limit((int) Math.min(CHUNK, size - at));
            int read = channel.read(chunk, at);
            if (read <= 0) {
                break;
            }
            byte[] bytes = chunk.array();
            // The ends of lines looked for in the bytes as Latin-1 characters, one each: String's search is far
            // quicker than a loop over the bytes, and a byte 10 is an end of line in UTF-8, never part of a character.
            String ends = new String(bytes, 0, read, StandardCharsets.ISO_8859_1);
            int from = 0;
            for (int i = ends.indexOf('\n'); i >= 0; i = ends.indexOf('\n', from)) {
                if (line.size() == 0) {
                    add(lineStart, new String(bytes, from, i - from, StandardCharsets.UTF_8), i - from);
                } else {
                    line.write(bytes, from, i - from);
                    add(lineStart, line.toString(StandardCharsets.UTF_8), line.size());
                    line.reset();
                }
                from = i + 1;
                lineStart = at + from;
            }
            line.write(bytes, from, read - from);
            at += read;
        }
        end = lineStart;
        tail = bytes(channel, Math.max(0, end - TAIL), (int) Math.min(TAIL, end));
        unended = line.size() == 0 ? null : JsonLines.parse(line.toString(StandardCharsets.UTF_8));
    }

    /**
     * Takes in a whole line of {@code length} bytes beginning at {@code start} (decoded leniently, as every line: a
     * character cut by a crash spoils its own line only): a call, or a line that is not one (skipped).
     */
    private void add(long start, String text, int length) {
        linesRead++;
        CallLine line = CallLine.of(text);
        if (line == null) {
            return;
        }
        if (calls == starts.length) {
            starts = Arrays.copyOf(starts, calls * 2);
            lengths = Arrays.copyOf(lengths, calls * 2);
            answered = Arrays.copyOf(answered, calls * 2);
        }
        starts[calls] = start;
        lengths[calls] = length;
        answered[calls] = nanos(line.answered());
        ordered &= calls == 0 || answered[calls] >= answered[calls - 1];
        for (String receipt : line.receipts()) {
            int[] naming = receipts.get(receipt);
            if (naming == null) {
                receipts.put(receipt, new int[] {calls});
            } else if (naming[naming.length - 1] != calls) {
                int[] more = Arrays.copyOf(naming, naming.length + 1);
                more[naming.length] = calls;
                receipts.put(receipt, more);
            }
        }
        calls++;
    }

    /** The time of the sale of {@code receiptId} of {@code storeId} a line holds, as sent; null: it holds none. */
    private static String occurredAt(JsonObject line, String storeId, String receiptId) {
        SentLog.Sent call = line == null ? null : SentLog.sent(line);
        if (call == null || !call.path().equals(Journal.SALES)
                || !receiptId.equals(call.body().getString("receiptId", null))
                || !storeId.equals(call.body().getString("storeId", null))) {
            return null;
        }
        return call.body().get("occurredAt") instanceof JsonString time ? time.getString() : null;
    }

    private String readLine(FileChannel channel, int call) throws IOException {
        linesRead++;
        return new String(bytes(channel, starts[call], lengths[call]), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.position() == length ? buffer.array() : Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** The first call answered at {@code time} or after, of calls in order. */
    private int firstAtOrAfter(long time) {
        int low = 0;
        int high = calls;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (answered[middle] < time) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** The first call answered after {@code time}, of calls in order. */
    private int firstAfter(long time) {
        int low = 0;
        int high = calls;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (answered[middle] <= time) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /**
     * A time as nanoseconds since 1970, held at the ends of a {@code long} beyond them (years before 1678 or after
     * 2261): never out of order, so the calls between two times are among those between their nanoseconds.
     */
    private static long nanos(Instant time) {
        try {
            return Math.addExact(Math.multiplyExact(time.getEpochSecond(), 1_000_000_000L), time.getNano());
        } catch (ArithmeticException e) {
            return time.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
