package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.infrastructure.config.Folders;
import org.loyaltyengine.pos.Till;
import org.loyaltyengine.pos.TillConfig;

/**
 * An engine on embedded Derby, its transaction log on another disk ({@code LOYALTY_DB_LOG_DIR}) and its backups on
 * a third ({@code LOYALTY_BACKUP_DIR}), loses its data disk in the middle of the day: the engine is killed, the data
 * folder is gone, the signing key with it. {@code restore-engine.sh} brings the newest backup forward by the log, and
 * the engine starts with every sale acknowledged before the crash, the customers' and staff's sign-ins still valid.
 * Then the data disk and the log's disk are lost at once: the same command brings the backup forward by the copy of
 * the log the engine ships to the backup's folder, to the moment of its newest copy, and a till of the POS adapter
 * sends again what the engine recorded after that: the engine records what it lost, once.
 * Meanwhile a second store's engine, given the same backup folder by mistake, is refused a backup there.
 */
@Tag(LaunchedEngine.OWN_ENGINE)
class RestoreIT {

    private static final String[] TILL = {"X-Api-Key", "demo-pos-S001"};
    private static final String CLAIRE = "2900000000018";

    private final Path root = Path.of(System.getProperty("loyalty.it.data.dir") + "-restore");
    private final Path dataDir = root.resolve("data-disk");
    private final Path logDir = root.resolve("log-disk");
    private final Path backupDir = root.resolve("backup-disk");
    private final Map<String, String> settings = Map.of("LOYALTY_DB_LOG_DIR", logDir.toString(),
            "LOYALTY_BACKUP_DIR", backupDir.toString(), "LOYALTY_BACKUP_SHIP_LOG_EVERY", "PT2S");
    private LaunchedEngine engine;
    private LaunchedEngine otherStore;

    @AfterEach
    void stop() throws InterruptedException {
        for (LaunchedEngine launched : new LaunchedEngine[] {engine, otherStore}) {
            if (launched != null) {
                launched.close();
            }
        }
    }

    @Test
    void aLostDataDiskIsRestoredFromTheNewestBackupAndItsLogWithEverySaleAcknowledged() throws Exception {
        Folders.delete(root);
        Files.createDirectories(root);
        int port = LaunchedEngine.freePort();
        int otherPort = LaunchedEngine.freePort();
        engine = LaunchedEngine.start(dataDir, port, root.resolve("first.out"), settings);
        // A second store's engine, given the same backup folder by mistake (and keeping only its newest backup).
        otherStore = LaunchedEngine.start(root.resolve("other-store"), otherPort, root.resolve("other-store.out"),
                Map.of("LOYALTY_BACKUP_DIR", backupDir.toString(), "LOYALTY_BACKUP_KEEP", "1",
                        "LOYALTY_BACKUP_SHIP_LOG_EVERY", "PT2S"));
        assertThat(engine.awaitReady()).contains("Derby's transaction log: " + logDir.resolve("log")
                + " (a new database)");
        assertThat(dataDir.resolve("database/log")).as("the log is not on the data disk").doesNotExist();

        Http http = new Http(new URL("http://127.0.0.1:" + port + "/"));
        Map<String, String> acknowledged = new LinkedHashMap<>();
        sell(http, "R-before-backup", acknowledged);
        long atBackup = balance(http);
        String[] admin = http.bearer("admin@demo.local", "admin-demo");
        String[] claire = http.bearer("claire@demo.local", "claire-demo");
        Http.Reply backup = http.post("api/v1/admin/backups", "", admin);
        assertThat(backup.status()).as(backup.body()).isEqualTo(201);
        String name = backup.json().getString("name");
        assertThat(backupDir.resolve(name + "/database")).isDirectory();
        anotherStoresEngineIsRefusedTheBackupFolder(otherPort, name);
        otherStore.close();
        for (int i = 1; i <= 12; i++) {
            sell(http, "R-after-backup-" + i, acknowledged);
        }
        long beforeCrash = balance(http);
        assertThat(beforeCrash).isGreaterThan(atBackup);

        // The machine loses power, and its data disk with it.
        engine.kill();
        Folders.delete(dataDir);

        Run restored = restore(name);
        assertThat(restored.exit()).as(restored.output()).isZero();
        assertThat(restored.output()).contains("replaying the transaction log written since")
                .contains("The token signing key was missing: put back from the backup");

        engine = LaunchedEngine.start(dataDir, port, root.resolve("second.out"), settings);
        engine.awaitReady();
        assertThat(balance(http)).as("every sale acknowledged before the crash, the 12 after the backup too")
                .isEqualTo(beforeCrash);
        acknowledged.forEach((receipt, body) -> assertThat(http.post("api/v1/pos/transactions", body, TILL).status())
                .as("receipt %s is recorded: its replay is answered 200", receipt).isEqualTo(200));
        assertThat(balance(http)).isEqualTo(beforeCrash);
        Http.Reply me = http.get("api/v1/me", claire);
        assertThat(me.status()).as("the customer is still signed in").isEqualTo(200);
        assertThat(me.json().getJsonNumber("availablePoints").longValue()).isEqualTo(beforeCrash);
        assertThat(http.get("api/v1/admin/backups", admin).status()).as("so is the administrator").isEqualTo(200);

        // Later the data disk and the log's disk go at once: what is left is the backup, with the copy of the log
        // the engine ships to its folder (every 2 s here, every minute by default).
        sell(http, "R-after-restore", acknowledged);
        awaitLogCopyBegunAfterNow(backupDir.resolve(name));
        long copied = balance(http);
        // The engine dies before its next copy: what a till of the POS adapter records now is the part of the last
        // minute that the log's disk takes with it.
        Path copies = holdLogCopies(backupDir.resolve(name));
        Till till = new Till(new TillConfig(URI.create("http://127.0.0.1:" + port), TILL[1], "S001", "T7", "EUR",
                Duration.ofSeconds(10), root.resolve("till/pos-journal.jsonl")));
        Instant lastMinute = Instant.now();
        JsonArray coffee = Json.createArrayBuilder().add(Json.createObjectBuilder().add("sku", "COF-250")
                .add("category", "coffee").add("quantity", 2).add("unitPrice", "4.50")).build();
        Till.Outcome sold = done(till.sale(CLAIRE, "R-last-minute-1", coffee, 0));
        done(till.sale(CLAIRE, "R-last-minute-2", coffee, 100));
        done(till.returnGoods(sold.answer().getString("transactionId"), "RET-last-minute", Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("sku", "COF-250").add("quantity", 1)).build()));
        done(till.redeem(CLAIRE, "R-last-minute-3", "r-coffee", null));
        long beforeSecondCrash = balance(http);
        assertThat(beforeSecondCrash).isNotEqualTo(copied);
        engine.kill();
        Folders.delete(dataDir);
        Folders.delete(logDir);
        Folders.delete(backupDir.resolve(name).resolve("log-since"));
        Files.move(copies, backupDir.resolve(name).resolve("log-since"));
        Run fromCopy = restore(name);
        assertThat(fromCopy.exit()).as(fromCopy.output()).isZero();
        assertThat(fromCopy.output()).contains("replaying the copy of the log shipped to the backup folder");

        engine = LaunchedEngine.start(dataDir, port, root.resolve("third.out"), settings);
        engine.awaitReady();
        assertThat(balance(http)).as("every sale up to the newest copy of the log").isEqualTo(copied);
        // What was lost may hold a log-out or a changed password: every session signed in before ends, and each
        // person signs in again.
        assertThat(fromCopy.output()).contains("Every session signed in before the restore is ended");
        assertThat(http.get("api/v1/me", claire).status()).as("the customer's token of before the restore")
                .isEqualTo(401);
        assertThat(http.get("api/v1/admin/backups", admin).status()).as("the administrator's").isEqualTo(401);
        assertThat(http.get("api/v1/me", http.bearer("claire@demo.local", "claire-demo")).status())
                .as("signed in again").isEqualTo(200);
        acknowledged.forEach((receipt, body) -> assertThat(http.post("api/v1/pos/transactions", body, TILL).status())
                .as("receipt %s is recorded", receipt).isEqualTo(200));

        // The engine tells the till at its next call that it was restored: the till sends again what the engine
        // recorded for it since the newest entry restored, and the engine records what it lost.
        assertThat(fromCopy.output()).contains("The tills are told at their next call");
        // Each call gives the catch-up 2 s at most; what is left goes at the next calls.
        int recordedAgain = 0;
        Till.Outcome scanned;
        do {
            scanned = done(till.lookup(CLAIRE));
            Matcher caughtUp = Pattern.compile("the engine was restored: (\\d+) earlier call").matcher(
                    scanned.message());
            recordedAgain += caughtUp.find() ? Integer.parseInt(caughtUp.group(1)) : 0;
        } while (scanned.message().contains("to send at the next calls"));
        assertThat(recordedAgain).as(scanned.message()).isEqualTo(4);
        assertThat(scanned.message()).contains(beforeSecondCrash + " points");
        assertThat(balance(http)).as("the two sales, the return and the reward, each once").isEqualTo(
                beforeSecondCrash);
        assertThat(done(till.lookup(CLAIRE)).message()).as("once").doesNotContain("restored");
        // The sale recorded again keeps its transaction id: its printed receipt, at another till, still finds it.
        Http.Reply otherTill = http.post("api/v1/pos/transactions/" + sold.answer().getString("transactionId")
                + "/returns", "{\"returnId\":\"RET-at-another-till\",\"lines\":[{\"sku\":\"COF-250\","
                + "\"quantity\":1}]}", TILL);
        assertThat(otherTill.status()).as(otherTill.body()).isEqualTo(201);
        beforeSecondCrash = balance(http);
        Till.ResendReport again = till.resend(lastMinute.minusSeconds(60));
        assertThat(again.alreadyThere()).as(String.join("\n", again.notes())).isEqualTo(4);
        assertThat(again.recordedAgain()).isZero();
        assertThat(balance(http)).as("sent twice, nothing doubled").isEqualTo(beforeSecondCrash);
        assertThat(http.post("api/v1/pos/transactions", sale("R-after-second-crash"), TILL).status())
                .as("the tills sell on").isEqualTo(201);

        long rungAgain = balance(http);
        assertThat(rungAgain).isGreaterThan(beforeSecondCrash);
        Run whileRunning = restore(name);
        assertThat(whileRunning.exit()).as("never under a running engine").isEqualTo(3);
        assertThat(whileRunning.output()).contains("the engine is running on");
        assertThat(balance(http)).isEqualTo(rungAgain);
    }

    /**
     * The other store's engine is refused a backup into this engine's backup folder: it would delete this one's
     * backups as older than its own newest. Nothing in the folder is written or deleted, and the other engine does
     * not copy its log into this one's backup.
     */
    private void anotherStoresEngineIsRefusedTheBackupFolder(int otherPort, String backup) throws Exception {
        otherStore.awaitReady();
        List<String> before = folderNames(backupDir);
        assertThat(before).contains("backups.owner");
        Http other = new Http(new URL("http://127.0.0.1:" + otherPort + "/"));
        Http.Reply refused = other.post("api/v1/admin/backups", "", other.bearer("admin@demo.local", "admin-demo"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        assertThat(refused.json().getString("error")).isEqualTo("backup_folder_taken");
        assertThat(refused.json().getString("message")).contains(dataDir.toRealPath().toString())
                .contains("LOYALTY_BACKUP_DIR");
        assertThat(folderNames(backupDir)).as("nothing written, nothing deleted").isEqualTo(before);
        awaitLogCopyBegunAfterNow(backupDir.resolve(backup));
        String copies = "The transaction log is copied into backup " + backup;
        assertThat(Files.readString(root.resolve("first.out"), StandardCharsets.UTF_8)).contains(copies);
        assertThat(Files.readString(root.resolve("other-store.out"), StandardCharsets.UTF_8))
                .as("the other engine copies every 2 s too, but not into this one's backup").doesNotContain(copies);
    }

    /**
     * Stops the engine's copies of its log into the backup's folder, as if the engine had died right after the last
     * one: the copies are moved aside (and put back by the test), a file in their place makes the next fail.
     */
    private Path holdLogCopies(Path backup) throws IOException {
        Path held = root.resolve("log-since-held");
        Files.move(backup.resolve("log-since"), held);
        Files.writeString(backup.resolve("log-since"), "not a folder: the next copy fails");
        return held;
    }

    private static Till.Outcome done(Till.Outcome outcome) {
        assertThat(outcome.status()).as(outcome.message()).isEqualTo(Till.Status.DONE);
        return outcome;
    }

    /**
     * Waits (30 s at most) for a copy of the log into the backup's folder begun after now: the copies take turns,
     * and each writes the control file last, so the copy that ends after one that ended after now began after now.
     */
    private static void awaitLogCopyBegunAfterNow(Path backup) throws IOException, InterruptedException {
        Path control = backup.resolve("log-since/log/log.ctrl");
        long ended = copyEndedAfter(control, System.currentTimeMillis());
        copyEndedAfter(control, ended);
    }

    private static long copyEndedAfter(Path control, long millis) throws IOException, InterruptedException {
        for (int i = 0; i < 150; i++) {
            if (Files.exists(control) && Files.getLastModifiedTime(control).toMillis() > millis) {
                return Files.getLastModifiedTime(control).toMillis();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("No copy of the log into " + control.getParent() + " in 15 s");
    }

    private static List<String> folderNames(Path folder) throws IOException {
        try (Stream<Path> names = Files.list(folder)) {
            return names.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    private static void sell(Http http, String receipt, Map<String, String> acknowledged) {
        String body = sale(receipt);
        Http.Reply reply = http.post("api/v1/pos/transactions", body, TILL);
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        acknowledged.put(receipt, body);
    }

    private static String sale(String receipt) {
        return """
                {"cardNumber":"%s","storeId":"S001","terminalId":"T1","receiptId":"%s",
                 "occurredAt":"%s","currency":"EUR",
                 "lines":[{"sku":"COF-250","category":"coffee","quantity":2,"unitPrice":"4.50"}]}"""
                .formatted(CLAIRE, receipt, Instant.now().minusSeconds(60));
    }

    private static long balance(Http http) {
        JsonObject card = http.get("api/v1/pos/cards/" + CLAIRE, TILL).json();
        return card.getJsonNumber("availablePoints").longValue();
    }

    private record Run(int exit, String output) {
    }

    /** {@code restore-engine.sh <name>}, as the operator runs it, with the engine's settings. */
    private Run restore(String backup) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("loyalty.run.script")).resolveSibling("restore-engine.sh");
        Path output = root.resolve("restore-" + System.nanoTime() + ".out");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), backup)
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("LOYALTY_DATA_DIR", dataDir.toString());
        builder.environment().put("LOYALTY_WAR", System.getProperty("loyalty.war"));
        builder.environment().putAll(settings);
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("the restore ends").isTrue();
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }
}
