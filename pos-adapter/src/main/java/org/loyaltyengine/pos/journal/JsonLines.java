package org.loyaltyengine.pos.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.stream.JsonParsingException;

/**
 * A file of JSON lines that only grows, each line forced to disk ({@code fsync}) before the write returns. A line a
 * crash cut short is skipped on reading (it was never acknowledged), and the next write starts on a line of its own.
 */
final class JsonLines {

    private JsonLines() {
    }

    /** Appends the record as one line and forces it to disk. */
    static void append(Path file, JsonObject record) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] line = (record.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            long end = channel.size();
            // A previous crash may have left a line without its end: start on a line of our own.
            if (end > 0 && lastByte(channel) != '\n') {
                end += channel.write(ByteBuffer.wrap(new byte[] {'\n'}), end);
            }
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                end += channel.write(buffer, end);
            }
            channel.force(true);
        }
    }

    /** The records of the file in their order (none if it does not exist), without the lines cut short. */
    static List<JsonObject> read(Path file) throws IOException {
        List<JsonObject> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            JsonObject record = parse(line);
            if (record != null) {
                records.add(record);
            }
        }
        return records;
    }

    /** The line's record; null for a blank line or the tail of a write a crash cut short (never acknowledged). */
    private static JsonObject parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try (JsonReader reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        } catch (JsonParsingException | IllegalStateException e) {
            return null;
        }
    }

    /** The first whole record of the file; null when there is none. */
    static JsonObject first(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonObject record = parse(line);
                if (record != null) {
                    return record;
                }
            }
        }
        return null;
    }

    /**
     * Replaces the file by the records given, whole or not at all: written beside it, forced to disk, renamed over
     * it.
     */
    static void replace(Path file, List<JsonObject> records) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        StringBuilder text = new StringBuilder();
        records.forEach(record -> text.append(record).append('\n'));
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte lastByte(FileChannel channel) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, channel.size() - 1);
        return last.get(0);
    }
}
