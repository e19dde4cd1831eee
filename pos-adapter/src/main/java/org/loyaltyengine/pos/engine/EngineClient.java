package org.loyaltyengine.pos.engine;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.stream.JsonParsingException;

/**
 * Calls the engine's POS contract within a time budget: the till never waits longer. Connection errors,
 * timeouts and 5xx answers are retried with backoff while the budget lasts; a 4xx is final and never retried
 * (its {@code message} is for the cashier).
 */
public final class EngineClient {

    /**
     * What the engine answered: a status, its JSON body, and the time in which what the till sent may have been lost
     * by a restore of the engine ({@value #RESTORE_GAP} header, {@code <from>/<to>}; null: none).
     */
    public record Reply(int status, JsonObject json, String restoreGap) {
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
    }

    /** The engine could not be reached (or answered 5xx) within the budget. */
    public static final class Unavailable extends Exception {
        private final boolean failedByEngine;

        public Unavailable(String reason) {
            this(reason, false);
        }

        public Unavailable(String reason, boolean failedByEngine) {
            super(reason);
            this.failedByEngine = failedByEngine;
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

    public Reply get(String path) throws Unavailable {
        return send("GET", path, null, budget);
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
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            // An attempt begun with a few milliseconds left would time out for want of time, and say nothing of
            // what the engine makes of the request: the last real answer stands.
            if (left <= 0 || left < LAST_ATTEMPT_AT_LEAST && !"no attempt".equals(last)) {
                throw new Unavailable("The engine did not answer within " + within.toMillis() + " ms (" + last + ")",
                        failedByEngine);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("api/v1/" + path))
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
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 400 || response.statusCode() < 500 && fromEngine(response.body())) {
                    return new Reply(response.statusCode(), parse(response.body()),
                            response.headers().firstValue(RESTORE_GAP).orElse(null));
                }
                // A 5xx, or a refusal that is not in the engine's error shape: a proxy's page, or a server that is
                // still starting the engine; not an answer to the request.
                last = response.statusCode() < 500 ? "the address answered " + response.statusCode()
                        + " but not as the engine" : "the engine answered " + response.statusCode();
                failedByEngine = response.statusCode() == 500 && fromEngine(response.body());
            } catch (HttpTimeoutException e) {
                last = "timed out";
                failedByEngine = false;
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                failedByEngine = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("Interrupted");
            }
            long pause = Math.min(backoff, Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
            if (pause <= 0) {
                continue;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("Interrupted");
            }
            backoff *= 2;
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
