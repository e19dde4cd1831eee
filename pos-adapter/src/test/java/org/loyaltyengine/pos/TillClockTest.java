package org.loyaltyengine.pos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import jakarta.json.Json;
import jakarta.json.JsonArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A till whose clock runs an hour fast, told so by the {@code Date} header of an HTTP server answering a card lookup
 * as the engine does (a raw socket server: the JDK's own server writes its own Date): the cashier is warned, and a
 * sale queued afterwards offline, by another run of the till, is stamped with the engine's time, which the engine
 * would accept, not an hour in its future, which it refuses for good.
 */
class TillClockTest {

    private static final String CARD = "2900000000018";
    private static final JsonArray BASKET = Json.createArrayBuilder().add(Json.createObjectBuilder()
            .add("sku", "COF-250").add("category", "coffee").add("quantity", 2).add("unitPrice", "4.50")).build();

    @TempDir
    Path folder;

    @Test
    void aTillAnHourFastIsWarnedAndStampsItsSalesWithTheEnginesTime() throws Exception {
        Path journal = folder.resolve("pos-journal.jsonl");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String card = Json.createObjectBuilder().add("cardNumber", CARD).add("status", "ACTIVE")
                    .add("displayName", "Claire D.").add("tier", "SILVER").add("availablePoints", 1240)
                    .add("pendingPoints", 0).add("offers", Json.createArrayBuilder()).build().toString();
            Thread answering = new Thread(() -> answer(server, card, Duration.ofHours(-1)));
            answering.setDaemon(true);
            answering.start();
            Till till = new Till(new TillConfig(URI.create("http://127.0.0.1:" + server.getLocalPort()), "key",
                    "S001", "T1", "EUR", Duration.ofMillis(800), journal));
            Till.Outcome lookup = till.lookup(CARD);
            assertThat(lookup.status()).as(lookup.message()).isEqualTo(Till.Status.DONE);
            assertThat(lookup.message()).contains("the till's clock is 60 minutes fast");
        }

        Till offline = new Till(new TillConfig(URI.create("http://127.0.0.1:9"), "key", "S001", "T1", "EUR",
                Duration.ofMillis(300), journal));
        Till.Outcome sale = offline.sale(CARD, "R-1", BASKET, 0);
        assertThat(sale.status()).as(sale.message()).isEqualTo(Till.Status.QUEUED);
        assertThat(sale.message()).contains("60 minutes fast");
        Instant stamped = OffsetDateTime.parse(offline.journal().entries().get(0).body().getString("occurredAt"))
                .toInstant();
        assertThat(Duration.between(stamped, Instant.now().minus(Duration.ofHours(1))).abs())
                .isLessThan(Duration.ofSeconds(10));
    }

    /** Answers every request with the card, its Date header {@code shift} off the real time. */
    private static void answer(ServerSocket server, String card, Duration shift) {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                readHead(socket.getInputStream());
                byte[] body = card.getBytes(StandardCharsets.UTF_8);
                String head = "HTTP/1.1 200 OK\r\nDate: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ZonedDateTime.now(ZoneOffset.UTC).plus(shift)) + "\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
                OutputStream out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // closed at the end of the test
            }
        }
    }

    private static void readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                return;
            }
            head.write(next);
        }
    }
}
