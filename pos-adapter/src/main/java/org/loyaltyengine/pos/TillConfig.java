package org.loyaltyengine.pos;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the engine is and who the till is, from a properties file ({@code --config FILE} or
 * {@code LOYALTY_POS_CONFIG}) and the environment, the environment winning:
 *
 * <pre>
 * engine.url   LOYALTY_POS_ENGINE_URL   http://localhost:8080
 * api.key      LOYALTY_POS_API_KEY      (required for calls to the engine)
 * store        LOYALTY_POS_STORE        (required for sales and redemptions)
 * terminal     LOYALTY_POS_TERMINAL     T1
 * currency     LOYALTY_POS_CURRENCY     EUR
 * budget.ms    LOYALTY_POS_BUDGET_MS    800   the longest the till waits for the engine
 * journal      LOYALTY_POS_JOURNAL      ./pos-journal.jsonl
 * sent.keep.hours LOYALTY_POS_SENT_KEEP_HOURS 72 how long what the engine recorded is kept to be sent again
 * restore.retry.seconds LOYALTY_POS_RESTORE_RETRY_SECONDS 60 how long a call set aside waits to be tried again,
 *              twice that after each try, 10 minutes at most: after a restore of the engine, a call sent again and
 *              refused for now (points another till's lost sale earned); a queued sale the engine failed on
 * </pre>
 */
public record TillConfig(URI engineUrl, String apiKey, String store, String terminal, String currency,
                         Duration budget, Path journal, Duration keepSent, Duration restoreRetry) {

    /** How long the till keeps what the engine recorded by default: a weekend's restore from Friday's backup. */
    public static final Duration KEEP_SENT = Duration.ofHours(72);

    /**
     * How long a call set aside waits to be tried again, by default: one sent again after a restore and refused for
     * now, or a queued sale the engine failed on.
     */
    public static final Duration RESTORE_RETRY = Duration.ofSeconds(60);

    /** A till keeping what the engine recorded for {@link #KEEP_SENT}. */
    public TillConfig(URI engineUrl, String apiKey, String store, String terminal, String currency, Duration budget,
                      Path journal) {
        this(engineUrl, apiKey, store, terminal, currency, budget, journal, KEEP_SENT, RESTORE_RETRY);
    }

    public static TillConfig load(Path file, Map<String, String> environment) throws IOException {
        Properties properties = new Properties();
        Path configured = file != null ? file
                : environment.containsKey("LOYALTY_POS_CONFIG") ? Path.of(environment.get("LOYALTY_POS_CONFIG")) : null;
        if (configured != null) {
            try (Reader reader = Files.newBufferedReader(configured)) {
                properties.load(reader);
            }
        }
        return new TillConfig(
                URI.create(value(properties, environment, "engine.url", "http://localhost:8080")),
                value(properties, environment, "api.key", null),
                value(properties, environment, "store", null),
                value(properties, environment, "terminal", "T1"),
                value(properties, environment, "currency", "EUR"),
                Duration.ofMillis(Long.parseLong(value(properties, environment, "budget.ms", "800"))),
                Path.of(value(properties, environment, "journal", "pos-journal.jsonl")),
                Duration.ofHours(whole(value(properties, environment, "sent.keep.hours",
                        Long.toString(KEEP_SENT.toHours())), "sent.keep.hours", 1, 100_000, "hours")),
                Duration.ofSeconds(whole(value(properties, environment, "restore.retry.seconds",
                        Long.toString(RESTORE_RETRY.toSeconds())), "restore.retry.seconds", 1, 86_400, "seconds")));
    }

    /** A whole number of {@code unit} from {@code min} to {@code max}, for the setting {@code key}. */
    private static long whole(String text, String key, long min, long max, String unit) {
        try {
            long number = Long.parseLong(text);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(key + " (LOYALTY_POS_" + key.toUpperCase(Locale.ROOT).replace('.', '_')
                + ") is a whole number of " + unit + " from " + min + " to " + max + ", not " + text);
    }

    private static String value(Properties properties, Map<String, String> environment, String key, String fallback) {
        String variable = "LOYALTY_POS_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace("ENGINE_URL",
                "ENGINE_URL");
        if (key.equals("budget.ms")) {
            variable = "LOYALTY_POS_BUDGET_MS";
        }
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment.strip();
        }
        String fromFile = properties.getProperty(key);
        return fromFile != null && !fromFile.isBlank() ? fromFile.strip() : fallback;
    }
}
