package org.loyaltyengine.engine.infrastructure.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The folder an engine keeps its state in: the embedded Derby database, the token signing key and its lock
 * file. Configured by {@code loyalty.data.dir} (environment {@code LOYALTY_DATA_DIR}), default {@code ./data}.
 *
 * <p>The engine holds an exclusive lock on {@code engine.lock} for as long as it runs. The launcher
 * ({@code admin-war/src/main/sh/run-engine.sh}) takes its own lock before Payara starts, so a second engine
 * started with it stops at once with a clear message; this lock covers engines started otherwise. Either way
 * embedded Derby refuses a second JVM on its files, so the database is never shared.
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class DataFolder {

    private static final Logger LOG = Logger.getLogger(DataFolder.class.getName());

    @Inject
    @ConfigProperty(name = "loyalty.data.dir", defaultValue = "data")
    String configuredPath;

    private Path root;
    private FileChannel lockChannel;
    private FileLock lock;

    @PostConstruct
    void acquire() {
        root = Path.of(configuredPath).toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
            lockChannel = FileChannel.open(root.resolve("engine.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            lock = tryLock(lockChannel);
            if (lock == null) {
                String owner = Files.readString(root.resolve("engine.pid"), StandardCharsets.UTF_8).strip();
                refuse("The data folder " + root + " is in use by another running engine (process " + owner
                        + "). Stop that engine, or start this one with LOYALTY_DATA_DIR set to another folder.");
            }
            Files.writeString(root.resolve("engine.pid"), Long.toString(ProcessHandle.current().pid()),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot use the data folder " + root, e);
        }
        LOG.info(() -> "Data folder: " + root);
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void refuse(String message) {
        LOG.severe(message);
        throw new IllegalStateException(message);
    }

    @PreDestroy
    void release() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Could not release the data folder lock", e);
        }
    }

    public Path root() {
        return root;
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }
}
