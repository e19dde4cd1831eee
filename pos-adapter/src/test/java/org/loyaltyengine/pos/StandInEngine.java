package org.loyaltyengine.pos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * An HTTP server on an ephemeral port answering a till as the engine would, its answers written by hand (a raw socket
 * server: the JDK's own server writes a {@code Date} header of its own, and the till reads the engine's clock from
 * it). Its clock may be set off the real one ({@link #clockAhead}); an answer may be held back after the call was
 * handled, as an answer lost on the way is ({@link Answer#after}).
 */
final class StandInEngine implements AutoCloseable {

    /** The card the tests' tills scan. */
    static final String CARD = "2900000000018";

    /** What the tests' tills sell: two coffees at 4.50. */
    static final jakarta.json.JsonArray BASKET = jakarta.json.Json.createArrayBuilder().add(jakarta.json.Json
            .createObjectBuilder().add("sku", "COF-250").add("category", "coffee").add("quantity", 2)
            .add("unitPrice", "4.50")).build();

    /** A sale of the basket on the card, as the tests' tills queue it, under the receipt id. */
    static JsonObject sale(String receipt) {
        return jakarta.json.Json.createObjectBuilder().add("cardNumber", CARD).add("storeId", "S001")
                .add("terminalId", "T1").add("receiptId", receipt).add("occurredAt", "2026-12-05T10:00:00Z")
                .add("currency", "EUR").add("lines", BASKET).add("redeemPoints", 0)
                .add("offerIds", jakarta.json.Json.createArrayBuilder()).build();
    }

    /**
     * A call the till made: its method, its path below {@code /api/v1/}, its headers (names in lower case), its body,
     * and this engine's time when it came.
     */
    record Call(String method, String path, Map<String, String> headers, JsonObject body, Instant enginesNow) {
    }

    /** What to answer: a status, a JSON body, headers of its own; sent {@code after} that long. */
    record Answer(int status, JsonObject body, Map<String, String> headers, Duration after) {

        static Answer of(int status, JsonObject body) {
            return new Answer(status, body, Map.of(), Duration.ZERO);
        }

        static Answer refusal(int status, String error, String message) {
            return of(status, Json.createObjectBuilder().add("error", error).add("message", message)
                    .add("field", jakarta.json.JsonValue.NULL).build());
        }

        Answer withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Answer(status, body, more, after);
        }

        Answer after(Duration delay) {
            return new Answer(status, body, headers, delay);
        }
    }

    /** How the stand-in answers a call. */
    interface Behaviour {
        Answer answer(Call call) throws Exception;
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    /** How far this engine's clock is ahead of the real one (negative: behind). */
    volatile Duration clockAhead = Duration.ZERO;

    StandInEngine(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "stand-in engine");
        accepting.setDaemon(true);
        accepting.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** This engine's time now. */
    Instant now() {
        return Instant.now().plus(clockAhead);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread answering = new Thread(() -> serve(socket), "stand-in engine call");
                answering.setDaemon(true);
                answering.start();
            } catch (IOException e) {
                // closed at the end of the test
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String[] head = readHead(in).split("\r\n");
            String[] request = head[0].split(" ");
            Map<String, String> headers = new HashMap<>();
            for (int i = 1; i < head.length; i++) {
                int colon = head[i].indexOf(':');
                if (colon > 0) {
                    headers.put(head[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            head[i].substring(colon + 1).strip());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String text = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            JsonObject body = text.isBlank() ? null : Json.createReader(new StringReader(text)).readObject();
            Answer answer = behaviour.answer(new Call(request[0], request[1].replaceFirst("^/api/v1/", ""), headers,
                    body, now()));
            if (!answer.after().isZero()) {
                Thread.sleep(answer.after().toMillis());
            }
            write(socket.getOutputStream(), answer);
        } catch (Exception e) {
            // the till gave up waiting, or the test ended
        }
    }

    private void write(OutputStream out, Answer answer) throws IOException {
        byte[] bytes = (answer.body() == null ? "" : answer.body().toString()).getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 " + answer.status() + " Stand-in\r\n")
                .append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        OffsetDateTime.ofInstant(now(), ZoneOffset.UTC))).append("\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(bytes.length).append("\r\n")
                .append("Connection: close\r\n");
        answer.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.write(next);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /**
     * The engine's point-of-sale ledger, as far as a till sees it: a sale is credited once per receipt (201), the
     * same receipt and body again is a replay (200), another body for it {@code 409 receipt_conflict}; a sale more
     * than 5 minutes in this engine's future is refused {@code 422 occurred_in_future} and nothing is written.
     */
    static final class Ledger {
        private final Map<String, JsonObject> sales = new LinkedHashMap<>();
        private final java.util.List<String> redemptions = new java.util.ArrayList<>();
        private final AtomicInteger transactions = new AtomicInteger();

        synchronized Answer sale(Call call) {
            JsonObject sale = call.body();
            String receipt = sale.getString("receiptId");
            JsonObject recorded = sales.get(receipt);
            if (recorded != null) {
                return recorded.equals(sale) ? Answer.of(200, credit(receipt)) : Answer.refusal(409,
                        "receipt_conflict", "Receipt " + receipt + " was recorded with another content");
            }
            if (OffsetDateTime.parse(sale.getString("occurredAt")).toInstant()
                    .isAfter(call.enginesNow().plus(Duration.ofMinutes(5)))) {
                return Answer.refusal(422, "occurred_in_future", "The sale is stamped "
                        + sale.getString("occurredAt") + ", more than 5 minutes after the engine's now");
            }
            sales.put(receipt, sale);
            return Answer.of(201, credit(receipt));
        }

        /** A redemption of points, recorded once per receipt (201), the same again a replay (200). */
        synchronized Answer redemption(Call call) {
            String receipt = call.body().getString("receiptId");
            boolean again = redemptions.contains(receipt);
            if (!again) {
                redemptions.add(receipt);
            }
            return Answer.of(again ? 200 : 201, Json.createObjectBuilder().add("pointsRedeemed",
                    call.body().getInt("points", 250)).add("availablePoints", 1000).build());
        }

        /** The receipts of the redemptions recorded, each once, in their order. */
        synchronized java.util.List<String> redeemed() {
            return java.util.List.copyOf(redemptions);
        }

        /** Loses what was recorded of a receipt, as a restore of the engine to a moment before it does. */
        synchronized void lose(String receipt) {
            sales.remove(receipt);
        }

        /** The sale recorded under a receipt, as the till sent it; null when none is. */
        synchronized JsonObject recorded(String receipt) {
            return sales.get(receipt);
        }

        /** The receipts credited, each once, in their order. */
        synchronized java.util.List<String> credited() {
            return java.util.List.copyOf(sales.keySet());
        }

        private JsonObject credit(String receipt) {
            return Json.createObjectBuilder().add("transactionId", "t-" + receipt).add("pointsEarned", 9)
                    .add("pointsRedeemed", 0).add("redemptionValue", "0.00")
                    .add("availablePoints", 1240 + 9L * sales.size()).add("pendingPoints", 0).add("tier", "SILVER")
                    .add("appliedRules", Json.createArrayBuilder()).add("offersUsed", Json.createArrayBuilder())
                    .build();
        }

        synchronized JsonObject card(String number) {
            return Json.createObjectBuilder().add("cardNumber", number).add("status", "ACTIVE")
                    .add("memberId", "m-1").add("displayName", "Claire D.").add("tier", "SILVER")
                    .add("availablePoints", 1240 + 9L * sales.size()).add("pendingPoints", 0)
                    .add("offers", Json.createArrayBuilder()).build();
        }
    }
}
