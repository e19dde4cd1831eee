package org.loyaltyengine.benchmarks.load;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One till's kept-alive HTTP/1.1 connection to the engine, in a few plain blocking socket calls: the load driver
 * plays dozens of tills on the same two cores as the server, and {@code java.net.http.HttpClient} spent more CPU
 * per call than the engine's bare insert itself, which capped every figure it measured. A call that fails closes
 * the connection; the next call opens a new one (as a till's HTTP stack does).
 */
final class TillConnection implements Closeable {

    /** What the engine answered. */
    record Answer(int status, String body) {
    }

    private final String host;
    private final int port;
    private final String fixedHeaders;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    TillConnection(URI base, String apiKey) {
        this.host = base.getHost();
        this.port = base.getPort() < 0 ? 80 : base.getPort();
        this.fixedHeaders = "Host: " + host + ":" + port + "\r\nX-Api-Key: " + apiKey + "\r\nAccept: application/json"
                + "\r\n";
    }

    Answer get(String path) throws IOException {
        return call("GET " + path + " HTTP/1.1\r\n" + fixedHeaders + "\r\n", null);
    }

    Answer post(String path, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return call("POST " + path + " HTTP/1.1\r\n" + fixedHeaders + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n", body);
    }

    private Answer call(String head, byte[] body) throws IOException {
        if (socket == null) {
            open();
        }
        try {
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read();
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private void open() throws IOException {
        Socket opened = new Socket();
        opened.setTcpNoDelay(true);
        opened.setSoTimeout(30_000);
        opened.connect(new InetSocketAddress(host, port), 5_000);
        socket = opened;
        in = new BufferedInputStream(opened.getInputStream(), 16 * 1024);
        out = new BufferedOutputStream(opened.getOutputStream(), 16 * 1024);
    }

    private Answer read() throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IOException("Not an HTTP answer: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closes = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> closes = value.equalsIgnoreCase("close");
                default -> { }
            }
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        if (chunked) {
            for (int size = Integer.parseInt(chunkSize(line()), 16); size > 0;
                 size = Integer.parseInt(chunkSize(line()), 16)) {
                content.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // trailers
            }
        } else if (length >= 0) {
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length < length) {
                throw new EOFException("The answer ended after " + bytes.length + " of " + length + " bytes");
            }
            content.write(bytes);
        } else {
            content.write(in.readAllBytes());
            closes = true;
        }
        if (closes) {
            close();
        }
        return new Answer(status, content.toString(StandardCharsets.UTF_8));
    }

    private static String chunkSize(String line) {
        int extension = line.indexOf(';');
        return (extension < 0 ? line : line.substring(0, extension)).strip();
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("The engine closed the connection");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        socket = null;
    }
}
