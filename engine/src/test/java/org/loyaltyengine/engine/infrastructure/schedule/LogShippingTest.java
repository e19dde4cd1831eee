package org.loyaltyengine.engine.infrastructure.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.loyaltyengine.engine.application.BackupsOnDisk;
import org.loyaltyengine.engine.infrastructure.persistence.DerbyLog;

/**
 * What the engine's log tells an operator about the copies of the transaction log into the newest backup (every
 * minute, {@link LogShipping}), on a real embedded Derby database: which backup it copies into, once and again
 * when that changes; once, not every minute, when the log no longer goes on from the newest backup (nothing can be
 * copied until the next backup); once when copies fail and once when they work again.
 */
class LogShippingTest {

    private static final Logger LOGGER = Logger.getLogger(LogShipping.class.getName());

    @TempDir
    Path folder;

    private BackupsOnDisk engine;

    private final LogShipping shipping = new LogShipping();

    private final List<LogRecord> said = new CopyOnWriteArrayList<>();

    private final Handler listener = new Handler() {
        @Override
        public void publish(LogRecord record) {
            said.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void anEngineCopyingItsLog() throws Exception {
        engine = new BackupsOnDisk(folder.resolve("data"));
        shipping.backups = engine.backups();
        shipping.every = "PT1M";
        LOGGER.addHandler(listener);
    }

    @AfterEach
    void shutDown() {
        LOGGER.removeHandler(listener);
        engine.shutDown();
    }

    @Test
    void theOperatorIsToldOnceWhereTheLogGoesAndOnceWhenItCannotGoAnywhere() throws Exception {
        engine.record(10);
        shipping.ship();
        assertThat(said).as("nothing to copy into before the first backup, and nothing to say").isEmpty();

        String first = engine.backups().take("admin@demo.local").name();
        for (int minute = 0; minute < 3; minute++) {
            engine.record(5);
            shipping.ship();
        }
        Path firstCopy = folder.resolve("data/backups").resolve(first).resolve(DerbyLog.SHIPPED).resolve("log");
        assertThat(names(firstCopy)).contains("log.ctrl").anyMatch(name -> name.matches("log\\d+\\.dat"));
        assertThat(messages()).containsExactly("INFO The transaction log is copied into backup " + first
                + " from now on");

        engine.dropTheLogSinceTheBackups();
        List<String> copied = names(firstCopy);
        for (int minute = 0; minute < 3; minute++) {
            engine.record(5);
            shipping.ship();
        }
        assertThat(messages()).hasSize(2).last().asString()
                .startsWith("WARNING The transaction log does not go on from the newest backup");
        assertThat(names(firstCopy)).as("a log that does not go on from it is not copied").isEqualTo(copied);

        String second = engine.backups().take("admin@demo.local").name();
        engine.record(5);
        shipping.ship();
        assertThat(messages()).hasSize(3).last().isEqualTo("INFO The transaction log is copied into backup "
                + second + " from now on");
        assertThat(folder.resolve("data/backups").resolve(second).resolve(DerbyLog.SHIPPED).resolve("log"))
                .isDirectory();
    }

    @Test
    void copiesThatFailAreReportedOnceAndTheirReturnOnce() throws Exception {
        String backup = engine.backups().take("admin@demo.local").name();
        shipping.ship();
        said.clear();
        Path copies = folder.resolve("data/backups").resolve(backup).resolve(DerbyLog.SHIPPED);
        Path setAside = copies.resolveSibling("elsewhere");
        Files.move(copies, setAside);
        Files.writeString(copies, "a file where the copies' folder was: every copy fails");

        for (int minute = 0; minute < 3; minute++) {
            engine.record(5);
            shipping.ship();
        }
        assertThat(messages()).hasSize(1).first().asString()
                .startsWith("WARNING Could not copy the transaction log to the newest backup's folder");

        Files.delete(copies);
        Files.move(setAside, copies);
        for (int minute = 0; minute < 2; minute++) {
            engine.record(5);
            shipping.ship();
        }
        assertThat(messages()).hasSize(2).last()
                .isEqualTo("INFO The transaction log is copied to the newest backup's folder again");
    }

    private List<String> messages() {
        return said.stream().map(record -> record.getLevel() + " " + record.getMessage()).toList();
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
