package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The engine as a new user runs it: the launcher script that {@code mvn -Prun} calls, a real Payara Micro and
 * embedded Derby in a data folder. Points survive a stop and a start; a second engine on the same folder is
 * refused with a clear message; a run of the scheduled jobs left unfinished by another engine that held the folder
 * (on another host) is marked abandoned by the one engine that can open it. The engine's JVM stops when it runs out
 * of memory.
 */
@Tag(LaunchedEngine.OWN_ENGINE)
class RunCommandIT {

    private static final String[] TILL = {"X-Api-Key", "demo-pos-S001"};
    private static final String CLAIRE = "2900000000018";
    /** The engine that held the data folder on another host before. */
    private static final String GONE = "till-server-before-the-move";

    private final Path dataDir = Path.of(System.getProperty("loyalty.it.data.dir") + "-run-command");
    private LaunchedEngine engine;

    @AfterEach
    void stop() throws InterruptedException {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void pointsSurviveARestartAndASecondEngineOnTheSameDataIsRefused() throws Exception {
        int port = LaunchedEngine.freePort();
        Path firstLog = dataDir.resolveSibling(dataDir.getFileName() + "-first.out");
        engine = start(port, firstLog);
        String banner = engine.awaitReady();
        assertThat(banner).contains("Loyalty engine ready: http://localhost:" + port)
                .contains("claire@demo.local / claire-demo").contains("X-Api-Key: demo-pos-S001");
        // An engine that runs out of memory stops, for whatever supervises it to start it again.
        long pid = Long.parseLong(Files.readString(dataDir.resolve("engine.pid")).strip());
        assertThat(ProcessHandle.of(pid).flatMap(java -> java.info().arguments()).map(java.util.List::of))
                .as("the engine's JVM options").hasValueSatisfying(options -> assertThat(options)
                        .contains("-XX:+ExitOnOutOfMemoryError"));

        Http http = new Http(new URL("http://127.0.0.1:" + port + "/"));
        long before = balance(http);
        String sale = """
                {"cardNumber":"2900000000018","storeId":"S001","terminalId":"T1","receiptId":"R-restart",
                 "occurredAt":"2026-11-23T10:15:00+01:00","currency":"EUR",
                 "lines":[{"sku":"COF-250","category":"coffee","quantity":2,"unitPrice":"4.50"}]}""";
        assertThat(http.post("api/v1/pos/transactions", sale, TILL).status()).isEqualTo(201);
        assertThat(balance(http)).isEqualTo(before + 22);

        Path secondLog = dataDir.resolveSibling(dataDir.getFileName() + "-second.out");
        Process second = start(LaunchedEngine.freePort(), secondLog).process();
        assertThat(second.waitFor(60, TimeUnit.SECONDS)).as("a second engine stops at once").isTrue();
        assertThat(second.exitValue()).isEqualTo(3);
        assertThat(Files.readString(secondLog)).contains("is in use by another running engine");
        assertThat(balance(http)).as("the first engine still serves").isEqualTo(before + 22);

        assertThat(engine.stop()).as("the engine stops on SIGTERM").isTrue();
        assertThat(dataDir.resolve("database/db.lck")).as("embedded Derby was shut down cleanly").doesNotExist();

        // Meanwhile the data folder "moves" from another host, whose engine was killed in the middle of a run, and
        // in the middle of the backup (every 6 hours here) whose time was an hour ago.
        leaveARunUnfinished("expiry", GONE, Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS),
                Instant.now().minus(Duration.ofHours(1)));
        leaveARunUnfinished("backup", GONE, BACKUP_AT, BACKUP_AT.plusSeconds(20));
        // Its customer knowledge ran today an hour before the time it has now (the schedule was changed since).
        writeRun("knowledge", GONE, KNOWLEDGE_AT.minus(Duration.ofDays(1)), "DONE");
        writeRun("knowledge", GONE, KNOWLEDGE_AT.minus(Duration.ofHours(1)), "DONE");

        Path thirdLog = dataDir.resolveSibling(dataDir.getFileName() + "-third.out");
        engine = start(port, thirdLog);
        engine.awaitReady();
        assertThat(balance(http)).as("points kept across the restart").isEqualTo(before + 22);
        assertThat(http.post("api/v1/pos/transactions", sale, TILL).status())
                .as("the receipt recorded before the restart is a replay").isEqualTo(200);
        assertThat(balance(http)).isEqualTo(before + 22);

        // Only one engine can open embedded Derby: the other host's run can never end, and the next run says so.
        String[] manager = http.bearer("manager@demo.local", "manager-demo");
        JsonObject left = null;
        for (int i = 0; i < 60 && (left == null || left.getString("outcome").equals("RUNNING")); i++) {
            Thread.sleep(500);
            left = http.get("api/v1/admin/jobs?job=expiry&limit=500&since=" + Instant.now().minus(Duration.ofHours(2)),
                    manager).array().getValuesAs(JsonObject.class).stream()
                    .filter(run -> run.getString("instance").equals(GONE)).findFirst().orElse(null);
        }
        assertThat(left).as("the other host's run, listed").isNotNull();
        assertThat(left.getString("outcome")).isEqualTo("ABANDONED");
        assertThat(left.getString("detail")).contains(GONE + " is not the engine that holds this embedded database");

        // The backup it was taking is not left to the next one, 5 hours away: this engine takes it late.
        JsonObject backup = null;
        for (int i = 0; i < 120 && (backup == null || !backup.getString("outcome").equals("DONE")); i++) {
            Thread.sleep(500);
            backup = http.get("api/v1/admin/jobs?job=backup&limit=10", manager).array()
                    .getValuesAs(JsonObject.class).stream().findFirst().orElse(null);
        }
        assertThat(backup).as("the backup's run").isNotNull();
        assertThat(backup.getString("outcome")).as(backup.toString()).isEqualTo("DONE");
        assertThat(backup.getString("period")).isEqualTo(BACKUP_AT.toString());
        assertThat(backup.getString("instance")).isNotEqualTo(GONE);
        assertThat(backup.getString("detail")).startsWith("Run late, at ")
                .contains("(the run " + GONE + " began at " + BACKUP_AT.plusSeconds(20) + " was abandoned)")
                .contains(dataDir.resolve("backups").toString());
        assertThat(http.get("api/v1/admin/jobs?job=knowledge&limit=10", manager).array())
                .as("the knowledge that ran at its earlier time is not run again late").hasSize(2);
        assertThat(http.get("api/v1/admin/jobs?job=backup&limit=10", manager).array())
                .as("one run of the period, and none on the first start of this engine, whose database had never"
                        + " been backed up by the schedule").hasSize(1);
        try (var backups = Files.list(dataDir.resolve("backups"))) {
            assertThat(backups.filter(Files::isDirectory).map(folder -> folder.getFileName().toString())
                    .filter(name -> name.matches("\\d{8}T\\d{6}Z"))).as("the backup taken").hasSize(1);
        }
    }

    /** The time of the last backup of the 6-hourly schedule the engines have here: an hour ago. */
    private static final Instant BACKUP_AT = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MINUTES);

    /** The last start of the 6-hourly knowledge the engines have here: two hours ago. */
    private static final Instant KNOWLEDGE_AT = BACKUP_AT.minus(Duration.ofHours(1));

    /** Writes a run of the job that ended, as an engine leaves it. */
    private void writeRun(String job, String instance, Instant period, String outcome) throws SQLException {
        insertRun(job, instance, period, period, period.plusSeconds(60), outcome);
    }

    /** Writes a run {@code RUNNING} of the job, as an engine killed in the middle of it leaves it. */
    private void leaveARunUnfinished(String job, String instance, Instant period, Instant started)
            throws SQLException {
        insertRun(job, instance, period, started, null, "RUNNING");
    }

    private void insertRun(String job, String instance, Instant period, Instant started, Instant finished,
                           String outcome) throws SQLException {
        String database = "jdbc:derby:" + dataDir.resolve("database");
        try (Connection derby = DriverManager.getConnection(database);
             PreparedStatement insert = derby.prepareStatement("INSERT INTO job_run (job, period_start, instance,"
                     + " started_at, finished_at, outcome) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, job);
            insert.setTimestamp(2, utc(period));
            insert.setString(3, instance);
            insert.setTimestamp(4, utc(started));
            insert.setTimestamp(5, finished == null ? null : utc(finished));
            insert.setString(6, outcome);
            insert.executeUpdate();
        }
        shutDown(database);
    }

    private static Timestamp utc(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    private static void shutDown(String database) {
        try {
            DriverManager.getConnection(database + ";shutdown=true").close();
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as("Derby's answer to a clean shut-down").isEqualTo("08006");
        }
    }

    private LaunchedEngine start(int port, Path output) throws IOException {
        // The backup every 6 hours, the last one an hour ago; missed runs looked for every 2 s.
        long sixHours = Duration.ofHours(6).toMillis();
        long backupAt = Duration.between(Instant.EPOCH, BACKUP_AT).toMillis() % sixHours;
        long knowledgeAt = Duration.between(Instant.EPOCH, KNOWLEDGE_AT).toMillis() % sixHours;
        return LaunchedEngine.start(dataDir, port, output, Map.of("LOYALTY_JOBS_EXPIRY_EVERY", "PT2S",
                "LOYALTY_JOBS_EXPIRY_AT", "PT0S", "LOYALTY_JOBS_BACKUP_EVERY", "PT6H",
                "LOYALTY_JOBS_BACKUP_AT", Duration.ofMillis(backupAt).toString(), "LOYALTY_JOBS_KNOWLEDGE_EVERY", "PT6H",
                "LOYALTY_JOBS_KNOWLEDGE_AT", Duration.ofMillis(knowledgeAt).toString(), "LOYALTY_JOBS_LATE_RUNS_EVERY",
                "PT2S"));
    }

    private static long balance(Http http) {
        return http.get("api/v1/pos/cards/" + CLAIRE, TILL).json().getJsonNumber("availablePoints").longValue();
    }
}
