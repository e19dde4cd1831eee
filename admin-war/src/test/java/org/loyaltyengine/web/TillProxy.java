package org.loyaltyengine.web;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP proxy between a till and the engine, as a slow shop network is: every request reaches the engine at
 * once; the answers of the first {@link #delayAnswers} POSTs are held back {@link #delay} (the engine recorded the
 * call, the till hears nothing in its budget), every answer {@link #everyAnswer} more. (The JDK's server writes the answer's {@code Date}
 * itself: the till's clock is tried against the engine's in the adapter's own tests, with an engine that says the
 * time it is told to.)
 */
final class TillProxy implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "date", "host", "upgrade");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI engine;
    final AtomicInteger delayAnswers = new AtomicInteger();
    volatile Duration delay = Duration.ZERO;
    volatile Duration everyAnswer = Duration.ZERO;
    final AtomicInteger posts = new AtomicInteger();

    TillProxy(int enginePort) throws IOException {
        this.engine = URI.create("http://127.0.0.1:" + enginePort);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(threads);
        server.createContext("/", this::forward);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            HttpRequest.Builder request = HttpRequest.newBuilder(engine.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase()) && !name.equalsIgnoreCase("expect")) {
                    values.forEach(value -> request.header(name, value));
                }
            });
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            boolean held = exchange.getRequestMethod().equals("POST") && posts.incrementAndGet() > 0
                    && delayAnswers.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
            Thread.sleep((held ? delay : Duration.ZERO).plus(everyAnswer).toMillis());
            response.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase())) {
                    exchange.getResponseHeaders().put(name, List.copyOf(values));
                }
            });
            exchange.sendResponseHeaders(response.statusCode(), response.body().length == 0 ? -1
                    : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The till gave up waiting and closed the connection: what the engine did stands.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
