package org.loyaltyengine.pos.journal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.stream.JsonParsingException;

/**
 * A file of JSON lines that only grows, each line forced to disk ({@code fsync}) before the write returns. A line a
 * crash cut short is skipped on reading (it was never acknowledged), even one cut in the middle of a character, and
 * the next write starts on a line of its own. Writers hold a lock on a file beside it ({@code .lock}), so that two
 * processes of the same till (its session and a {@code queue} command) never write over each other's lines.
 */
final class JsonLines {

    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /**
     * Made once: {@code Json.createReader} looks the JSON provider up anew at each call, which cost more than parsing
     * a line of a sale.
     */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private JsonLines() {
    }

    /** Appends the record as one line and forces it to disk. */
    static void append(Path file, JsonObject record) throws IOException {
        append(file, () -> record);
    }

    /** What makes a record, under the writers' lock. */
    interface Making {
        JsonObject record() throws IOException;
    }

    /**
     * Appends the record {@code making} makes under the writers' lock (from what the file holds then: no other
     * writer can change it meanwhile), as one line, and forces it to disk.
     */
    static void append(Path file, Making making) throws IOException {
        try (Locked ignored = lock(file);
             FileChannel channel = open(file)) {
            boolean made = channel.size() == 0;
            byte[] line = (making.record().toString() + "\n").getBytes(StandardCharsets.UTF_8);
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
            if (made) {
                // The file's name is in its folder: until the folder is forced too, a crash may lose the file whole.
                forceFolder(file);
            }
        }
    }

    /**
     * Forces the folder of {@code file} to disk ({@code fsync} of the directory): a file made or renamed into it
     * is there after a crash. A system that cannot open a folder as a file (Windows) makes its renames durable by
     * itself.
     */
    static void forceFolder(Path file) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            if (!System.getProperty("os.name", "").startsWith("Windows")) {
                throw e;
            }
        }
    }

    /** The records of the file in their order (none if it does not exist), without the lines cut short. */
    static List<JsonObject> read(Path file) throws IOException {
        List<JsonObject> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        // Decoded leniently: a character cut by a crash spoils its own line only.
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
            JsonObject record = parse(line);
            if (record != null) {
                records.add(record);
            }
        }
        return records;
    }

    /** The first record of the file that passes; null when none does. Only as much is read as that takes. */
    static JsonObject first(Path file, Predicate<JsonObject> passing) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonObject record = parse(line);
                if (record != null && passing.test(record)) {
                    return record;
                }
            }
        }
        return null;
    }

    /**
     * Keeps only the records that pass, whole or not at all: written beside the file, forced to disk and renamed
     * over it, under the writers' lock, so that no line appended meanwhile is lost.
     *
     * @return the number of records dropped
     */
    static int retain(Path file, Predicate<JsonObject> kept) throws IOException {
        int[] dropped = {0};
        rewrite(file, records -> {
            List<JsonObject> keeping = records.stream().filter(kept).toList();
            dropped[0] = records.size() - keeping.size();
            return keeping;
        });
        return dropped[0];
    }

    /**
     * Replaces the records by what {@code rewriting} makes of them, whole or not at all, under the writers' lock
     * (as {@link #retain}); the file is left as it is when they come back the same.
     */
    static void rewrite(Path file, UnaryOperator<List<JsonObject>> rewriting) throws IOException {
        try (Locked ignored = lock(file)) {
            List<JsonObject> records = read(file);
            List<JsonObject> rewritten = rewriting.apply(records);
            if (rewritten.equals(records)) {
                return;
            }
            StringBuilder text = new StringBuilder();
            rewritten.forEach(record -> text.append(record).append('\n'));
            writeWhole(file, text.toString());
        }
    }

    /**
     * Writes a file whole or not at all: under one name beside it, forced to disk, renamed over it. Writers of the
     * same file take turns (its lock, or a monitor). The file keeps its owner and permissions whoever rewrites it:
     * one that cannot be given them (another user's file) is left as it was, and this fails, so that a command run
     * by another user never leaves the till's session a file it cannot write.
     */
    static void writeWhole(Path file, String text) throws IOException {
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try (FileChannel channel = FileChannel.open(next, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            keepOwner(file, next);
            ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // The rename is in the folder: forced too, or a crash may bring the file back as it was before.
            forceFolder(file);
        } finally {
            Files.deleteIfExists(next);
        }
    }

    /**
     * Gives {@code next} the owner, group and permissions of {@code file}, when there is one; else the owner and group
     * of its folder, when this process may ({@link #likeFolder}).
     */
    private static void keepOwner(Path file, Path next) throws IOException {
        if (!Files.exists(file)) {
            likeFolder(next);
            return;
        }
        UserPrincipal owner = Files.getOwner(file);
        if (!owner.equals(Files.getOwner(next))) {
            try {
                Files.setOwner(next, owner);
            } catch (IOException | UnsupportedOperationException e) {
                throw new IOException(file + " belongs to " + owner.getName() + ": left as it is (run this as that"
                        + " user)", e);
            }
        }
        PosixFileAttributeView view = Files.getFileAttributeView(next, PosixFileAttributeView.class);
        if (view != null) {
            PosixFileAttributes kept = Files.readAttributes(file, PosixFileAttributes.class);
            if (!kept.group().equals(view.readAttributes().group())) {
                try {
                    view.setGroup(kept.group());
                } catch (IOException e) {
                    throw new IOException(file + " is of group " + kept.group().getName() + ": left as it is (run"
                            + " this as its owner or a member of the group)", e);
                }
            }
            view.setPermissions(kept.permissions());
        }
    }

    /** Opens the file to append to it ({@link #open(Path, OpenOption...)}). */
    private static FileChannel open(Path file) throws IOException {
        return open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Opens the file, making it if need be with the owner and group of its folder ({@link #likeFolder}).
     */
    private static FileChannel open(Path file, OpenOption... options) throws IOException {
        boolean made = !Files.exists(file);
        Set<OpenOption> creating = new HashSet<>(List.of(options));
        creating.add(StandardOpenOption.CREATE);
        FileChannel channel = FileChannel.open(file, creating);
        if (made) {
            likeFolder(file);
        }
        return channel;
    }

    /**
     * Gives a file just made the owner and group of its folder, when this process may (root may; a till's user
     * may give a group it belongs to): a command run by root for the till then leaves no file the till's session
     * cannot write. What this process may not give is left as the system made it.
     */
    private static void likeFolder(Path made) {
        try {
            Path folder = made.toAbsolutePath().getParent();
            PosixFileAttributes of = Files.readAttributes(folder, PosixFileAttributes.class);
            PosixFileAttributeView view = Files.getFileAttributeView(made, PosixFileAttributeView.class);
            if (view == null) {
                return;
            }
            PosixFileAttributes now = view.readAttributes();
            if (!of.owner().equals(now.owner())) {
                view.setOwner(of.owner());
            }
            if (!of.group().equals(now.group())) {
                view.setGroup(of.group());
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not ours to give, or not a POSIX file system: as the system made it.
        }
    }

    /** The line's record; null for a blank line or the tail of a write a crash cut short (never acknowledged). */
    static JsonObject parse(String line) {
        if (line.isBlank()) {
            return null;
        }
        try (JsonReader reader = READERS.createReader(new StringReader(line))) {
            return reader.readObject();
        } catch (JsonParsingException | IllegalStateException e) {
            return null;
        }
    }

    /**
     * Takes the writers' lock of the file: the lock of its {@code .lock} file against other processes, within this
     * one a monitor of its own (a second lock of the same file in one process would be refused, not waited for).
     */
    private static Locked lock(Path file) throws IOException {
        return lock(file, true);
    }

    /**
     * The writers' lock of the file if no one holds it, in this process or another; null: someone does. For work
     * that is skipped rather than waited for.
     */
    static AutoCloseable tryLock(Path file) throws IOException {
        return lock(file, false);
    }

    /**
     * Checks that the file can be written: its folder made if need be, its lock file opened, a file made in the folder
     * (and removed), the file itself opened for writing when it is there.
     *
     * @throws IOException what stops it (a folder the till may not write in, a disk full, a read-only disk)
     */
    static void checkWritable(Path file) throws IOException {
        Locked locked = lock(file, false);
        if (locked != null) {
            locked.close();
        }
        Path folder = file.toAbsolutePath().normalize().getParent();
        Files.delete(Files.createTempFile(folder, "." + file.getFileName(), ".check"));
        if (Files.exists(file)) {
            FileChannel.open(file, StandardOpenOption.WRITE).close();
        }
    }

    private static Locked lock(Path file, boolean wait) throws IOException {
        Path folder = Files.createDirectories(file.toAbsolutePath().normalize().getParent()).toRealPath();
        Path lockFile = folder.resolve(file.getFileName() + ".lock");
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, path -> new ReentrantLock());
        if (!wait && inProcess.isHeldByCurrentThread()) {
            return null;
        }
        if (wait) {
            inProcess.lock();
        } else if (!inProcess.tryLock()) {
            return null;
        }
        FileChannel channel = null;
        try {
            channel = open(lockFile, StandardOpenOption.WRITE);
            FileLock lock = wait ? channel.lock() : channel.tryLock();
            if (lock == null) {
                channel.close();
                inProcess.unlock();
                return null;
            }
            return new Locked(inProcess, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            inProcess.unlock();
            throw e;
        }
    }

    /** The writers' lock of a file, held until closed. */
    private record Locked(ReentrantLock inProcess, FileChannel channel, FileLock lock) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            try {
                channel.close();
            } finally {
                inProcess.unlock();
            }
        }
    }

    private static byte lastByte(FileChannel channel) throws IOException {
        ByteBuffer last = ByteBuffer.allocate(1);
        channel.read(last, channel.size() - 1);
        return last.get(0);
    }
}
