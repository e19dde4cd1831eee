package org.loyaltyengine.pos.engine;

import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.stream.JsonParsingException;

/**
 * Calls the engine's POS contract within a time budget: the till never waits longer. Connection errors,
 * timeouts and 5xx answers are retried with backoff while the budget lasts; a 4xx is never retried (its {@code
 * message} is for the cashier), and is a verdict on the call only when {@link Reply#aboutTheCall} says so. Only the
 * engine's own answers count: JSON of the shape the call returns, or the contract's error shape; a redirect, or a
 * captive portal's page answered 200, is no answer (the engine is unreachable from where the till stands).
 */
public final class EngineClient {

    /**
     * What the engine answered: a status, its JSON body, and the time in which what the till sent may have been lost
     * by a restore of the engine ({@value #RESTORE_GAP} header, {@code <from>/<to>}; null: none).
     */
    public record Reply(int status, JsonObject json, String restoreGap, URI called) {

        /** An answer to a call whose address is not known. */
        public Reply(int status, JsonObject json, String restoreGap) {
            this(status, json, restoreGap, null);
        }

        /**
         * Whether the engine has no such call at the address called ({@code 404 not_found}): the till's
         * {@code engine.url} is not the engine's root, and no call the till makes will be taken.
         */
        public boolean noSuchCall() {
            return status == 404 && "not_found".equals(error());
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The contract's {@code message} for people, or a generic line. */
        public String message() {
            return json != null && json.containsKey("message") ? json.getString("message")
                    : "The engine answered " + status;
        }

        public String error() {
            return json != null && json.containsKey("error") ? json.getString("error") : "http_" + status;
        }

        /**
         * Whether the engine refused the till itself, its key (401: {@code unauthenticated}; 403: {@code forbidden},
         * {@code store_mismatch}): a key the engine no longer knows (restored from a backup older than the key, or
         * the key rotated) or another store's. No verdict on the call: sent again once the key is set right, it may
         * well be taken.
         */
        public boolean refusesTheKey() {
            return status == 401 || status == 403;
        }

        /**
         * Whether the refusal is a verdict on the call itself (its card, its body, its points): false for a call the
         * engine took, for one refused the till's key ({@link #refusesTheKey}), and for one refused for how it was
         * asked, not what it asks: no such call at the address ({@code 404 not_found}), a method, a type or an
         * address the engine does not take (405, 406, 414, 415), no time for it (408), too many calls (429).
         */
        public boolean aboutTheCall() {
            return !ok() && !refusesTheKey() && !NOT_ABOUT_THE_CALL.contains(status)
                    && !noSuchCall();
        }
    }

    /** Refusals of how a call was asked, not of what it asks ({@link Reply#aboutTheCall}). */
    private static final Set<Integer> NOT_ABOUT_THE_CALL = Set.of(405, 406, 408, 414, 415, 429);

    /** The engine could not be reached (or answered 5xx, or something else answered) within the budget. */
    public static final class Unavailable extends Exception {
        private final boolean failedByEngine;
        private final boolean mayHaveReached;

        public Unavailable(String reason) {
            this(reason, false, false);
        }

        public Unavailable(String reason, boolean failedByEngine) {
            this(reason, failedByEngine, false);
        }

        public Unavailable(String reason, boolean failedByEngine, boolean mayHaveReached) {
            super(reason);
            this.failedByEngine = failedByEngine;
            this.mayHaveReached = mayHaveReached;
        }

        /**
         * Whether the engine may have received the request and acted on it though no answer came back: an attempt
         * timed out once connected, its connection broke after it was sent, or a gateway gave up waiting (502, 504).
         * False when every attempt was refused a connection, answered by something that is not the engine (a captive
         * portal, a redirect) or refused by the engine itself (its 500 and 503 write nothing).
         */
        public boolean mayHaveReached() {
            return mayHaveReached;
        }

        /**
         * Whether the last attempt reached the engine and the engine failed on it (a 500 in the contract's error
         * shape, {@code internal_error}): the request itself may be what it cannot handle, while a timeout, a refused
         * connection, a proxy's 502 or the engine's 503 (its database away) say nothing of the request.
         */
        public boolean failedByEngine() {
            return failedByEngine;
        }
    }

    /** The least time, in milliseconds, worth another attempt once one was made. */
    private static final long LAST_ATTEMPT_AT_LEAST = 100;

    /** The header by which the engine tells the time in which a restore may have lost what the till sent. */
    public static final String RESTORE_GAP = "Loyalty-Restore-Gap";

    private final URI base;
    private final String apiKey;
    private final Duration budget;
    private final HttpClient http;
    /** The engine's clock less the till's, as the last answer's {@code Date} header told it; null: not known yet. */
    private volatile Duration clockOffset;

    public EngineClient(URI base, String apiKey, Duration budget) {
        this.base = URI.create(base.toString().endsWith("/") ? base.toString() : base + "/");
        this.apiKey = apiKey;
        this.budget = budget;
        // HTTP/1.1, not the client's default of HTTP/2: over plain HTTP that is an upgrade (h2c, which Payara
        // accepts) on the first request, and then every request shares that one connection. On HTTP/2 a request
        // that times out is given up but its connection kept; on HTTP/1.1 the connection is closed and the next
        // request opens a new one. Seen once in the reliability suite, after the engine was killed and restarted:
        // every sale of the adapter's till and every replay of its journal timed out (26 sales still queued after
        // seven replays) while the engine was idle and served the other tills, which speak HTTP/1.1.
        this.http = HttpClient.newBuilder().connectTimeout(budget).version(HttpClient.Version.HTTP_1_1).build();
    }

    public Duration budget() {
        return budget;
    }

    /** Takes {@code offset} (kept from an earlier run) as the engine's clock offset until an answer measures it. */
    public void assumeClockOffset(Duration offset) {
        if (clockOffset == null) {
            clockOffset = offset;
        }
    }

    /**
     * How far the engine's clock is ahead of the till's (negative: behind), as measured at the last answer of the
     * engine from its {@code Date} header (to the second); null before any answer.
     */
    public Duration clockOffset() {
        return clockOffset;
    }

    public Reply get(String path) throws Unavailable {
        return send("GET", path, null, budget);
    }

    /** A GET within {@code within}: what is left of a cashier's budget. */
    public Reply get(String path, Duration within) throws Unavailable {
        return send("GET", path, null, within);
    }

    public Reply post(String path, JsonObject body) throws Unavailable {
        return send("POST", path, body, budget);
    }

    /** A POST with its own budget: replays of the journal may take longer than a cashier would wait. */
    public Reply post(String path, JsonObject body, Duration within) throws Unavailable {
        return send("POST", path, body, within, Map.of());
    }

    /** A POST with its own budget and headers of its own. */
    public Reply post(String path, JsonObject body, Duration within, Map<String, String> headers)
            throws Unavailable {
        return send("POST", path, body, within, headers);
    }

    private Reply send(String method, String path, JsonObject body, Duration within) throws Unavailable {
        return send(method, path, body, within, Map.of());
    }

    private Reply send(String method, String path, JsonObject body, Duration within, Map<String, String> headers)
            throws Unavailable {
        long deadline = System.nanoTime() + within.toNanos();
        long backoff = 50;
        String last = "no attempt";
        boolean failedByEngine = false;
        boolean mayHaveReached = false;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            // An attempt begun with a few milliseconds left would time out for want of time, and say nothing of
            // what the engine makes of the request: the last real answer stands.
            if (left <= 0 || left < LAST_ATTEMPT_AT_LEAST && !"no attempt".equals(last)) {
                throw new Unavailable("The engine did not answer within " + within.toMillis() + " ms (" + last + ")",
                        failedByEngine, mayHaveReached);
            }
            URI called = base.resolve("api/v1/" + path);
            HttpRequest.Builder request = HttpRequest.newBuilder(called)
                    .timeout(Duration.ofMillis(left))
                    .header("X-Api-Key", apiKey)
                    .header("Accept", "application/json");
            headers.forEach(request::header);
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
            }
            long sentAt = System.currentTimeMillis();
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                String notEngine = notTheEngine(path, response);
                if (notEngine == null) {
                    measureClock(response, sentAt);
                    return new Reply(status, parse(response.body()),
                            response.headers().firstValue(RESTORE_GAP).orElse(null), called);
                }
                // A 5xx, a redirect, or an answer that is not the engine's (a captive portal's page, a proxy's, a
                // server still starting the engine): not an answer to the request.
                last = notEngine;
                failedByEngine = status == 500 && fromEngine(response.body());
                mayHaveReached |= status == 502 || status == 504;
            } catch (HttpConnectTimeoutException e) {
                last = "timed out connecting";
                failedByEngine = false;
            } catch (HttpTimeoutException e) {
                last = "timed out";
                failedByEngine = false;
                mayHaveReached = true;
            } catch (ConnectException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                failedByEngine = false;
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                failedByEngine = false;
                mayHaveReached = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("Interrupted", false, true);
            }
            long pause = Math.min(backoff, Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
            if (pause <= 0) {
                continue;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("Interrupted", false, mayHaveReached);
            }
            backoff *= 2;
        }
    }

    /**
     * Why an answer is not the engine's answer to the request; null when it is. The engine answers in JSON
     * ({@code application/json}): a success carries what the call returns ({@link #expected}), a refusal the
     * contract's error shape. A redirect, or a 200 page of a captive portal or of a server answering anything, is not
     * the engine: taking it for one would mark a queued sale delivered though nothing was credited.
     */
    private static String notTheEngine(String path, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status >= 500) {
            return "the engine answered " + status;
        }
        if (status >= 300 && status < 400) {
            return "the address answered " + status + " (a redirect" + response.headers().firstValue("Location")
                    .map(to -> " to " + to).orElse("") + "), not the engine";
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            return "the address answered " + status + " " + (type.isEmpty() ? "without a type" : type)
                    + ", not the engine";
        }
        if (status >= 400) {
            return fromEngine(response.body()) ? null : "the address answered " + status + ": not the engine";
        }
        JsonObject json = parse(response.body());
        for (String key : expected(path)) {
            if (json == null || !json.containsKey(key)) {
                return "the address answered " + status + " without " + key + ": not the engine";
            }
        }
        return null;
    }

    /** What the engine's success answer to a call holds at least (API.md), by the call's path. */
    static List<String> expected(String path) {
        if (path.startsWith("pos/cards/") && path.endsWith("/rewards")) {
            return List.of("availablePoints", "rewards");
        }
        if (path.startsWith("pos/cards/")) {
            return List.of("cardNumber", "availablePoints", "pendingPoints");
        }
        if (path.equals("pos/transactions")) {
            return List.of("transactionId", "pointsEarned", "availablePoints");
        }
        if (path.startsWith("pos/transactions/") && path.endsWith("/returns")) {
            return List.of("pointsReversed", "availablePoints");
        }
        if (path.equals("pos/redemptions")) {
            return List.of("pointsRedeemed", "availablePoints");
        }
        if (path.startsWith("pos/redemptions/") && path.endsWith("/cancel")) {
            return List.of("redemptionId", "pointsReturned", "availablePoints");
        }
        return List.of();
    }

    /**
     * Takes the engine's clock from the answer's {@code Date} header (to the second), against the till's half-way
     * through the call.
     */
    private void measureClock(HttpResponse<String> response, long sentAt) {
        Optional<String> date = response.headers().firstValue("Date");
        if (date.isEmpty()) {
            return;
        }
        try {
            long engine = ZonedDateTime.parse(date.get(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
                    .toEpochMilli();
            long till = (sentAt + System.currentTimeMillis()) / 2;
            // The header drops the milliseconds: the engine's second is on average half over.
            clockOffset = Duration.ofMillis(engine + 500 - till);
        } catch (DateTimeParseException e) {
            // A Date header this till cannot read: the offset stays as it was.
        }
    }

    /**
     * A refusal from the engine itself carries the contract's {@code {"error","message"}}; anything else (a proxy's
     * page, a server still deploying the engine) is not an answer to the request.
     */
    public static boolean fromEngine(String body) {
        if (body == null || body.isBlank()) {
            return false;
        }
        try {
            JsonStructure structure = Json.createReader(new StringReader(body)).read();
            return structure instanceof JsonObject object && object.containsKey("error")
                    && object.containsKey("message");
        } catch (JsonParsingException e) {
            return false;
        }
    }

    private static JsonObject parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonStructure structure = Json.createReader(new StringReader(body)).read();
            return structure instanceof JsonObject object ? object
                    : Json.createObjectBuilder().add("items", structure).build();
        } catch (JsonParsingException e) {
            return Json.createObjectBuilder().add("message", body.strip()).build();
        }
    }
}
