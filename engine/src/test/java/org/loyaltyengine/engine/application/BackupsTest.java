package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.loyaltyengine.engine.application.Backups.BackupView;
import org.loyaltyengine.engine.application.Backups.LogCopy;
import org.loyaltyengine.engine.domain.DomainException;

/**
 * A backup asked for while the transaction log is being copied into the newest backup's folder (every minute), on
 * a real embedded Derby database: it waits for the copy, and when the copy hangs (a share that stopped answering) it
 * fails with a message saying so, takes nothing, and leaves the next backup free to be taken.
 */
class BackupsTest {

    @TempDir
    Path folder;

    private BackupsOnDisk engine;

    private final CountDownLatch release = new CountDownLatch(1);

    private final ExecutorService copier = Executors.newSingleThreadExecutor(
            task -> new Thread(task, BackupsOnDisk.STALLING));

    private final ExecutorService administrator = Executors.newSingleThreadExecutor();

    @BeforeEach
    void anEngineWithABackupAndSalesSince() throws Exception {
        engine = new BackupsOnDisk(folder.resolve("data"));
        engine.record(10);
        engine.backups().take("admin@demo.local");
        engine.record(10);
    }

    @AfterEach
    void shutDown() throws Exception {
        release.countDown();
        copier.shutdown();
        administrator.shutdown();
        assertThat(copier.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        assertThat(administrator.awaitTermination(1, TimeUnit.MINUTES)).isTrue();
        engine.shutDown();
    }

    @Test
    void aBackupAskedForDuringALogCopyIsTakenOnceTheCopyIsDone() throws Exception {
        String first = engine.backups().list().get(0).name();
        engine.stallCopies(release);
        Future<LogCopy> copy = copier.submit(() -> engine.backups().shipLog());
        engine.awaitStalledCopy();

        Future<BackupView> backup = administrator.submit(() -> engine.backups().take("admin@demo.local"));
        Thread.sleep(2_000);
        assertThat(backup).as("the backup waits while the copy stands still").isNotDone();
        assertThat(engine.backups().list()).hasSize(1);
        try (Stream<Path> begun = Files.list(folder.resolve("data").resolve("backups"))) {
            assertThat(begun.map(path -> path.getFileName().toString())).as("not even begun").noneMatch(
                    name -> name.endsWith(".partial"));
        }

        release.countDown();
        assertThat(copy.get(1, TimeUnit.MINUTES)).satisfies(copied -> {
            assertThat(copied.backup()).as("the copy went on into the backup it began with").isEqualTo(first);
            assertThat(copied.files()).isPositive();
        });
        BackupView taken = backup.get(1, TimeUnit.MINUTES);
        assertThat(engine.backups().list()).extracting(BackupView::name).containsExactly(taken.name(), first);
    }

    @Test
    void aBackupWhoseLogCopyHangsFailsSayingSoTakesNothingAndTheNextIsTaken() throws Exception {
        engine.waitForLogCopiesAtMost(Duration.ofSeconds(1));
        engine.stallCopies(release);
        Future<LogCopy> copy = copier.submit(() -> engine.backups().shipLog());
        engine.awaitStalledCopy();

        assertThatThrownBy(() -> engine.backups().take("admin@demo.local"))
                .isInstanceOfSatisfying(DomainException.class, refused -> assertThat(refused.code())
                        .isEqualTo("backup_folder_not_answering"))
                .hasMessageContaining("has not ended in 1 s")
                .hasMessageContaining("No backup was taken");
        assertThat(engine.backups().list()).hasSize(1);
        try (Stream<Path> left = Files.list(folder.resolve("data").resolve("backups"))) {
            assertThat(left.map(path -> path.getFileName().toString())).as("nothing begun").noneMatch(
                    name -> name.endsWith(".partial"));
        }

        release.countDown();
        assertThat(copy.get(1, TimeUnit.MINUTES).files()).isPositive();
        engine.backups().take("admin@demo.local");
        assertThat(engine.backups().list()).as("the failed backup held no lock").hasSize(2);
    }
}
