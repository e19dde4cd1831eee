package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.loyaltyengine.pos.journal.Journal;

/**
 * Between the till and the engine, something else answers: a captive portal's login page (200, text/html, to every
 * request), a redirect to it, or a server answering JSON that is not the engine's. None of it is the engine: the
 * queued sales stay queued (never marked delivered nor refused), a new sale is queued, a lookup is "offline".
 */
class NotTheEngineTest {

    private static final String CARD = "2900000000018";
    private static final JsonArray BASKET = Json.createArrayBuilder().add(Json.createObjectBuilder()
            .add("sku", "COF-250").add("category", "coffee").add("quantity", 2).add("unitPrice", "4.50")).build();

    @TempDir
    Path folder;

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void aCaptivePortalAnswering200ToEverythingIsOffline() throws Exception {
        answerEverything(200, "text/html; charset=utf-8", "<html><body>Welcome! Log in to the shop's Wi-Fi</body></html>",
                null);
        assertOffline();
    }

    @Test
    void aRedirectIsOfflineNotARefusal() throws Exception {
        answerEverything(302, "text/html", "<a href=\"http://portal.example/login\">moved</a>",
                "http://portal.example/login");
        assertOffline();
    }

    @Test
    void jsonThatIsNotTheEnginesAnswerIsOffline() throws Exception {
        answerEverything(200, "application/json", "{\"status\":\"ok\"}", null);
        assertOffline();
    }

    private void assertOffline() throws Exception {
        Till till = till();
        JsonObject queued = Json.createObjectBuilder().add("cardNumber", CARD).add("storeId", "S001")
                .add("terminalId", "T1").add("receiptId", "R-1").add("occurredAt", "2026-12-05T10:00:00Z")
                .add("currency", "EUR").add("lines", BASKET).add("redeemPoints", 0)
                .add("offerIds", Json.createArrayBuilder()).build();
        till.journal().append("S001/R-1", queued);

        Till.ReplayReport replay = till.replay(false);
        assertThat(replay.delivered()).as(replay.notes().toString()).isZero();
        assertThat(replay.refused()).isZero();
        assertThat(replay.stillWaiting()).isEqualTo(1);
        assertThat(till.journal().entries().get(0).state()).isEqualTo(Journal.State.QUEUED);
        assertThat(replay.notes().toString()).contains("not the engine");

        Till.Outcome sale = till.sale(CARD, "R-2", BASKET, 0);
        assertThat(sale.status()).as(sale.message()).isEqualTo(Till.Status.QUEUED);
        assertThat(till.journal().waiting()).extracting(Journal.Entry::receiptKey)
                .containsExactly("S001/R-1", "S001/R-2");

        Till.Outcome lookup = till.lookup(CARD);
        assertThat(lookup.status()).as(lookup.message()).isEqualTo(Till.Status.UNAVAILABLE);

        Till.Outcome spend = till.redeem(CARD, "R-3", null, 100L);
        assertThat(spend.status()).as("nothing reached the engine: not spent").isEqualTo(Till.Status.UNAVAILABLE);
    }

    private void answerEverything(int status, String type, String body, String location) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", type);
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
            }
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    private Till till() {
        // A replay tries its call again until its budget is spent (10 s by default, here 1 s): what answers is never
        // the engine, however often it is asked.
        return new Till(new TillConfig(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "key",
                "S001", "T1", "EUR", Duration.ofMillis(300), folder.resolve("pos-journal.jsonl"))
                .withReplayBudget(Duration.ofSeconds(1)));
    }
}
