package org.loyaltyengine.benchmarks.reliability;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * The suite's view of the engine instances: plain HTTP calls on {@code /api/v1}, the way a till, the customer site
 * or the back office calls them, with a load balancer's fail-over for the calls that a till retries.
 */
final class Http {

    /** An answer: status, raw body, and the body as a JSON object when it is one. */
    record Reply(int status, String body, JsonObject json) {

        boolean ok() {
            return status / 100 == 2;
        }

        String string(String name) {
            return json == null || !json.containsKey(name) || json.isNull(name) ? null : json.getString(name);
        }

        long number(String name) {
            return json.getJsonNumber(name).longValue();
        }
    }

    /** No answer at all: the instance is down or did not answer in time. */
    static final class NoAnswer extends Exception {
        NoAnswer(String message) {
            super(message);
        }
    }

    final List<String> targets;
    /** How many times {@link #persist} was answered 502, 503 or 504 and sent the request again. */
    final AtomicInteger unavailableAnswers = new AtomicInteger();
    /** How many times {@link #persist} had no answer, or one not in the engine's error shape, and sent again. */
    final AtomicInteger otherResends = new AtomicInteger();
    private final AtomicInteger next = new AtomicInteger();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).executor(Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "http");
                thread.setDaemon(true);
                return thread;
            })).build();

    Http(List<String> targets) {
        this.targets = targets;
    }

    /** The instances in turn, as a round-robin load balancer gives them. */
    String anyTarget() {
        return targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
    }

    Reply call(String target, String method, String path, String body, String... headers) throws NoAnswer {
        return send(request(target, method, path, body, headers));
    }

    HttpRequest request(String target, String method, String path, String body, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(target + "/api/v1/" + path))
                .timeout(Duration.ofSeconds(30));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        if (body != null) {
            builder.header("Content-Type", "application/json");
        }
        return builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    Reply send(HttpRequest request) throws NoAnswer {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), parse(response.body()));
        } catch (IOException e) {
            throw new NoAnswer(request.uri().getAuthority() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NoAnswer("interrupted");
        }
    }

    /**
     * What a till does with a write: it sends the same request again, to the next instance when one does not
     * answer, while the engine is unreachable or busy (502, 503, 504), or the answer is not the engine's (a refusal
     * without the contract's error shape: the server is still starting the application), for up to {@code patience}. Returns the first answer from the engine, or null when none came in
     * time.
     */
    Reply persist(String method, String path, String body, Duration patience, String... headers) {
        long end = System.nanoTime() + patience.toNanos();
        int attempt = 0;
        while (true) {
            String target = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
            try {
                Reply reply = call(target, method, path, body, headers);
                boolean unavailable = reply.status() == 502 || reply.status() == 503 || reply.status() == 504;
                if (!unavailable && (reply.status() < 400
                        || org.loyaltyengine.pos.engine.EngineClient.fromEngine(reply.body()))) {
                    return reply;
                }
                (unavailable ? unavailableAnswers : otherResends).incrementAndGet();
                // Unavailable, or a refusal not in the engine's error shape (a server still starting the
                // application): not an answer to the request.
            } catch (NoAnswer e) {
                // the next instance, or this one again after a pause
                otherResends.incrementAndGet();
            }
            if (System.nanoTime() > end) {
                return null;
            }
            sleep(Math.min(2_000, 100L << Math.min(attempt++, 4)));
        }
    }

    static JsonObject parse(String body) {
        if (body == null || body.isBlank() || body.charAt(0) != '{') {
            return null;
        }
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            return value.getValueType() == JsonValue.ValueType.OBJECT ? value.asJsonObject() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
