package org.loyaltyengine.web;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;

/** A small HTTP client for the black-box tests: JSON in, status and parsed JSON out. */
final class Http {

    /** A response: its status, its raw body, and the body parsed as a JSON object when it is one. */
    record Reply(int status, String body) {
        JsonObject json() {
            JsonStructure structure = Json.createReader(new StringReader(body)).read();
            return structure.asJsonObject();
        }

        JsonArray array() {
            return Json.createReader(new StringReader(body)).readArray();
        }
    }

    // HTTP/1.1, as browsers, curl and the POS adapter speak it to a plain http:// address. Java's default would
    // upgrade to h2c, which no real client of the engine does, and whose pooled connection the server may close
    // between two requests (the next one then fails with EOF instead of being sent again on a new connection).
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;

    Http(URL base) {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        this.base = URI.create(root);
    }

    Reply get(String path, String... headers) {
        return send(HttpRequest.newBuilder(resolve(path)).GET(), headers);
    }

    Reply post(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    Reply put(String path, String json, String... headers) {
        return send(HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    /**
     * A DELETE; one with a body goes over HTTP/2 (h2c), as only a client that can send it does: Payara's HTTP/1.1
     * listener refuses a DELETE with a body before the application sees it (hence POST /me/close). Java's client
     * upgrades a connection to h2c on a request without a body only: a GET first, whose connection the DELETE takes.
     */
    Reply delete(String path, String json, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path));
        if (json.isEmpty()) {
            return send(client, request.DELETE(), headers);
        }
        HttpClient h2 = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_2).build();
        send(h2, HttpRequest.newBuilder(resolve("/health")).GET());
        return send(h2, request.header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(json)), headers);
    }

    /** The whole response of a GET, headers included. */
    HttpResponse<String> raw(String path) {
        try {
            return client.send(HttpRequest.newBuilder(resolve(path)).GET().timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A body of any content type, sent as it is. */
    Reply post(String path, String contentType, byte[] body, String... headers) {
        return send(HttpRequest.newBuilder(resolve(path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)), headers);
    }

    /** The raw bytes of a GET (an image), with the status and content type. */
    Binary getBytes(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Binary(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response.headers().firstValue("Cache-Control").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A binary response. */
    record Binary(int status, String contentType, byte[] body, String cacheControl) {
    }

    /** Logs in and returns the header pair that carries the token. */
    String[] bearer(String email, String password) {
        Reply reply = post("api/v1/auth/login",
                "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
        if (reply.status() != 200) {
            throw new IllegalStateException("Login of " + email + " failed: " + reply);
        }
        return new String[] {"Authorization", "Bearer " + reply.json().getString("token")};
    }

    /** A path relative to the application, or absolute on the server when it starts with "/" (/health). */
    private URI resolve(String path) {
        return base.resolve(path);
    }

    private Reply send(HttpRequest.Builder request, String... headers) {
        return send(client, request, headers);
    }

    private static Reply send(HttpClient client, HttpRequest.Builder request, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
