package org.loyaltyengine.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The till-side program as a till runs it ({@code java -jar loyalty-pos.jar}) against the real engine started by
 * its launcher: a card read from an image, a sale, a return, a redemption; then the engine stops, ten sales are
 * queued in the journal, the engine comes back, the ten are credited once each, and replaying them twice more
 * changes nothing.
 */
class PosAdapterIT {

    private static final String CLAIRE = "2900000000018";
    private static final String[] TILL = {"X-Api-Key", "demo-pos-S001"};

    private final Path dataDir = Path.of(System.getProperty("loyalty.it.data.dir") + "-pos-adapter");
    private final Path work = dataDir.resolveSibling(dataDir.getFileName() + "-till");
    private LaunchedEngine engine;
    private int port;

    @AfterEach
    void stop() throws InterruptedException {
        stopEngine();
    }

    @Test
    void theTillSellsReturnsAndRedeemsAndKeepsSellingWhileTheEngineIsDown() throws Exception {
        Files.createDirectories(work);
        port = LaunchedEngine.freePort();
        startEngine("first");
        Http http = new Http(new URL("http://127.0.0.1:" + port + "/"));
        Path basket = write("basket.json", """
                [{"sku":"COF-250","category":"coffee","quantity":2,"unitPrice":"4.50"}]""");
        Path returned = write("returned.json", "[{\"sku\":\"COF-250\",\"quantity\":1}]");

        Run image = pos("card-image", CLAIRE, "--format", "qr", "--out", work.resolve("claire.png").toString());
        assertThat(image.exit()).as(image.output()).isZero();
        Run decode = pos("decode", work.resolve("claire.png").toString());
        assertThat(decode.output()).contains("QR_CODE\t" + CLAIRE);

        Run lookup = pos("lookup", work.resolve("claire.png").toString());
        assertThat(lookup.exit()).as(lookup.output()).isZero();
        assertThat(lookup.output()).contains("Claire D.").contains("SILVER");
        Run product = pos("lookup", "]E04006381333931");
        assertThat(product.exit()).isEqualTo(1);
        assertThat(product.output()).contains("product barcode");

        long before = balance(http);
        Run sale = pos("sale", "--card", work.resolve("claire.png").toString(), "--receipt", receipt(), "--lines",
                basket.toString());
        assertThat(sale.exit()).as(sale.output()).isZero();
        assertThat(sale.output()).startsWith("DONE").contains("22 points earned");
        String transactionId = answer(sale).getString("transactionId");
        assertThat(balance(http)).isEqualTo(before + 22);

        Run giveBack = pos("return", "--transaction", transactionId, "--return-id", "RET-" + UUID.randomUUID(),
                "--lines", returned.toString());
        assertThat(giveBack.exit()).as(giveBack.output()).isZero();
        assertThat(giveBack.output()).contains("11 points taken back");

        Run redeem = pos("redeem", "--card", CLAIRE, "--receipt", receipt(), "--reward", "r-coffee");
        assertThat(redeem.exit()).as(redeem.output()).isZero();
        assertThat(redeem.output()).contains("250 points spent");
        long online = balance(http);
        assertThat(online).isEqualTo(before + 22 - 11 - 250);

        stopEngine();
        for (int i = 0; i < 10; i++) {
            Run queued = pos("sale", "--card", CLAIRE, "--receipt", "OFF-" + i + "-" + UUID.randomUUID(), "--lines",
                    basket.toString());
            assertThat(queued.exit()).as(queued.output()).isZero();
            assertThat(queued.output()).startsWith("QUEUED").contains("will be credited");
        }
        Run offlineRedeem = pos("redeem", "--card", CLAIRE, "--receipt", receipt(), "--points", "100");
        assertThat(offlineRedeem.exit()).isEqualTo(3);
        assertThat(offlineRedeem.output()).contains("points cannot be spent");
        Run offlineSpend = pos("sale", "--card", CLAIRE, "--receipt", receipt(), "--lines", basket.toString(),
                "--redeem", "100");
        assertThat(offlineSpend.exit()).as("a sale paying with points is not queued").isEqualTo(1);
        Run status = pos("queue", "status");
        assertThat(status.output()).contains("10 sale(s) waiting");

        startEngine("second");
        assertThat(balance(http)).as("nothing was credited while the engine was down").isEqualTo(online);
        Run replay = pos("queue", "replay");
        assertThat(replay.exit()).as(replay.output()).isZero();
        assertThat(replay.output()).contains("10 delivered, 0 refused, 0 still waiting");
        assertThat(balance(http)).as("ten sales, credited once each").isEqualTo(online + 10 * 22);

        for (int again = 0; again < 2; again++) {
            Run audit = pos("queue", "replay", "--again");
            assertThat(audit.exit()).as(audit.output()).isZero();
            assertThat(audit.output()).contains("already credited").doesNotContain(": 201");
        }
        assertThat(balance(http)).as("replayed twice more, nothing changed").isEqualTo(online + 10 * 22);
        assertThat(pos("queue", "status").output()).contains("0 sale(s) waiting");

        // What the till sent in the last hour, sent again (as after a restore of the engine): all of it is there.
        Run resend = pos("queue", "resend", "--hours", "1");
        assertThat(resend.exit()).as(resend.output()).isZero();
        assertThat(resend.output()).as("a sale, its return, the reward and the ten sales queued while offline")
                .contains("0 recorded again (the engine had lost them), 13 already recorded, 0 refused, 0 not sent");
        assertThat(balance(http)).as("nothing credited twice").isEqualTo(online + 10 * 22);
        Run noWindow = pos("queue", "resend");
        assertThat(noWindow.exit()).as(noWindow.output()).isEqualTo(2);
        assertThat(noWindow.output()).contains("--since TIME");
    }

    private record Run(int exit, String output) {
    }

    private Run pos(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", System.getProperty("loyalty.pos.jar")));
        command.addAll(List.of(args));
        Path output = work.resolve("pos-" + UUID.randomUUID() + ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .directory(work.toFile());
        Map<String, String> env = builder.environment();
        env.put("LOYALTY_POS_ENGINE_URL", "http://127.0.0.1:" + port);
        env.put("LOYALTY_POS_API_KEY", "demo-pos-S001");
        env.put("LOYALTY_POS_STORE", "S001");
        env.put("LOYALTY_POS_TERMINAL", "T9");
        env.put("LOYALTY_POS_JOURNAL", work.resolve("journal.jsonl").toString());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the adapter answers").isTrue();
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static JsonObject answer(Run run) {
        String json = run.output().lines().filter(line -> line.startsWith("{")).findFirst().orElseThrow();
        return Json.createReader(new java.io.StringReader(json)).readObject();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(work.resolve(name), content);
    }

    private void startEngine(String name) throws IOException, InterruptedException {
        engine = LaunchedEngine.start(dataDir, port, dataDir.resolveSibling(dataDir.getFileName() + "-" + name
                + ".out"), Map.of());
        engine.awaitReady();
    }

    private void stopEngine() throws InterruptedException {
        if (engine != null) {
            engine.close();
        }
    }

    private static long balance(Http http) {
        return http.get("api/v1/pos/cards/" + CLAIRE, TILL).json().getJsonNumber("availablePoints").longValue();
    }

    private static String receipt() {
        return "R-" + UUID.randomUUID();
    }
}
