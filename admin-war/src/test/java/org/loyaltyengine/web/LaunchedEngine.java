package org.loyaltyengine.web;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An engine started as a user starts it: the launcher script ({@code run-engine.sh}) on a data folder of its own,
 * a real Payara Micro, embedded Derby. Its output goes to a file the test reads.
 */
final class LaunchedEngine {

    /**
     * The tag of the test classes that start engines of their own through the launcher: failsafe runs them after the
     * classes Arquillian serves, once the Payara Micro that serves those is stopped ({@link OneEngineForTheRun}).
     */
    static final String OWN_ENGINE = "own-engine";

    private final Process process;
    private final Path output;

    private LaunchedEngine(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts the launcher with the data folder, port and further settings given (environment variables). */
    static LaunchedEngine start(Path dataDir, int port, Path output, Map<String, String> settings)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder("bash", System.getProperty("loyalty.run.script"))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        Map<String, String> env = builder.environment();
        env.put("LOYALTY_DATA_DIR", dataDir.toString());
        env.put("LOYALTY_PORT", Integer.toString(port));
        env.put("PAYARA_MICRO_JAR", System.getProperty("payara.microJar"));
        env.put("LOYALTY_WAR", System.getProperty("loyalty.war"));
        // The quick compiler only: an engine here serves a few calls, and on two cores the optimising compiler's work
        // while it starts costs more than it gives back (the five classes: 467 s in place of 570 s). The engine
        // Arquillian serves keeps both, as its five minutes of tests gain from them (4:40, against 5:09 without).
        env.put("LOYALTY_JAVA_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1");
        env.putAll(settings);
        return new LaunchedEngine(builder.start(), output);
    }

    /** Waits for the launcher's banner (at most 4 minutes) and answers everything it printed. */
    String awaitReady() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (text.contains("Stop with Ctrl-C")) {
                return text;
            }
            if (!process.isAlive()) {
                throw new AssertionError("The engine exited with " + process.exitValue() + ":\n" + tail(text));
            }
            Thread.sleep(500);
        }
        throw new AssertionError("The engine was not ready in 4 minutes:\n" + tail(Files.readString(output)));
    }

    Process process() {
        return process;
    }

    /** Stops it as Ctrl-C does; true once it has stopped. */
    boolean stop() throws InterruptedException {
        process.destroy();
        return process.waitFor(60, TimeUnit.SECONDS);
    }

    /**
     * Kills it, the engine's Java process with {@code kill -9}, as a crash or a power cut leaves it; returns once
     * every process of it is gone (the last to go releases the data folder's lock).
     */
    void kill() throws InterruptedException {
        List<ProcessHandle> processes = process.descendants().toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
        for (ProcessHandle each : processes) {
            try {
                each.onExit().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new AssertionError("Process " + each.pid() + " of the engine did not end: " + e, e);
            }
        }
    }

    /** Never leaves an engine behind for the next tests: stopped, or else killed. */
    void close() throws InterruptedException {
        if (process.isAlive() && !stop()) {
            kill();
        }
    }

    static String tail(String text) {
        return text.length() < 4000 ? text : text.substring(text.length() - 4000);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
