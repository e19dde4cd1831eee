package org.loyaltyengine.engine.infrastructure.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A file that names the data folder a folder outside it belongs to: Derby's transaction log kept on a disk of its
 * own ({@code log.owner}), a folder of backups ({@code backups.owner}). Two engines given the same folder by mistake
 * would otherwise replay each other's sales or delete each other's backups; with the file, the second is refused
 * before it changes anything. The data folder is named by its canonical path, so that a link to it is the same
 * folder.
 */
public final class OwnerFile {

    private OwnerFile() {
    }

    /** The data folder the file names, if there is one. */
    public static Optional<Path> read(Path file) {
        try {
            return Files.isRegularFile(file)
                    ? Optional.of(Path.of(Files.readString(file, StandardCharsets.UTF_8).strip()))
                    : Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The other data folder the file names, if it names one other than {@code dataFolder}. */
    public static Optional<Path> other(Path file, Path dataFolder) {
        return read(file).filter(owner -> !owner.equals(canonical(dataFolder)));
    }

    /**
     * Writes the file (forced to the disk) when it is missing, or names another folder once the operator allowed it.
     */
    public static void write(Path file, Path dataFolder) {
        Path owner = canonical(dataFolder);
        try {
            if (!read(file).map(owner::equals).orElse(false)) {
                // Written whole or not at all: an empty file would read as another engine's.
                Folders.writeString(file, owner + "\n");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The absolute path with every symbolic link of its existing part resolved. */
    public static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute));
        } catch (IOException e) {
            return absolute;
        }
    }
}
