package org.loyaltyengine.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * An HTTP hop between tills and a real engine that can be made to fail, as a load balancer or a broken release
 * does: {@link #down} answers every call 502 with a page of its own (no engine behind it), a call whose body
 * holds one of {@link #failing} is answered 500 in the contract's error shape, as the engine answers what it fails
 * on, and one holding one of {@link #refusing} is refused (422). Everything else goes to the engine and back as it
 * was, with the engine's headers for the tills.
 */
final class FaultyProxy implements AutoCloseable {

    private static final List<String> TO_ENGINE = List.of("X-Api-Key", "Content-Type", "Accept",
            "Loyalty-Original-Transaction", "Loyalty-Original-Redemption", "Authorization");
    private static final List<String> FROM_ENGINE = List.of("Content-Type", "Loyalty-Restore-Gap");

    /** Calls whose body holds one of these are failed as the engine fails (500 {@code internal_error}). */
    final Set<String> failing = new CopyOnWriteArraySet<>();
    /** Calls whose body holds one of these are refused in the contract's shape (422 {@code request_refused}). */
    final Set<String> refusing = new CopyOnWriteArraySet<>();
    /** Every call is answered 502 by the proxy itself. */
    volatile boolean down;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final URI engine;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    FaultyProxy(URI engine) throws IOException {
        this.engine = engine;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String text = new String(body, StandardCharsets.UTF_8);
            if (down) {
                answer(exchange, 502, "text/html", "<html><body>502 Bad Gateway</body></html>");
                return;
            }
            if (failing.stream().anyMatch(text::contains)) {
                answer(exchange, 500, "application/json", "{\"error\":\"internal_error\",\"message\":\"The engine"
                        + " failed on this request\",\"field\":null}");
                return;
            }
            if (refusing.stream().anyMatch(text::contains)) {
                answer(exchange, 422, "application/json", "{\"error\":\"request_refused\",\"message\":\"Refused"
                        + " for the test\",\"field\":null}");
                return;
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(engine.resolve(exchange.getRequestURI().toString()))
                    .timeout(Duration.ofSeconds(30))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (String name : TO_ENGINE) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    request.header(name, value);
                }
            }
            HttpResponse<byte[]> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer(exchange, 502, "text/html", "<html><body>interrupted</body></html>");
                return;
            } catch (IOException e) {
                answer(exchange, 502, "text/html", "<html><body>" + e + "</body></html>");
                return;
            }
            for (String name : FROM_ENGINE) {
                response.headers().firstValue(name).ifPresent(value -> exchange.getResponseHeaders().add(name,
                        value));
            }
            byte[] answer = response.body();
            exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static void answer(HttpExchange exchange, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
