package org.loyaltyengine.pos;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import org.loyaltyengine.pos.scan.CardReader;

/**
 * Where the engine is, who the till is, and how long it waits, from a properties file ({@code --config FILE} or
 * {@code LOYALTY_POS_CONFIG}) and the environment, the environment winning:
 *
 * <pre>
 * engine.url   LOYALTY_POS_ENGINE_URL   http://localhost:8080   the engine's root (http or https, a host); a
 *              trailing /api/v1 is left out
 * api.key      LOYALTY_POS_API_KEY      (required for calls to the engine)
 * store        LOYALTY_POS_STORE        (required for sales and redemptions)
 * terminal     LOYALTY_POS_TERMINAL     T1
 * currency     LOYALTY_POS_CURRENCY     EUR
 * budget.ms    LOYALTY_POS_BUDGET_MS    800   the longest a cashier's call waits for the engine (100 to 60000)
 * replay.budget.ms LOYALTY_POS_REPLAY_BUDGET_MS 10000 the longest each call of queue replay and queue resend waits
 *              for the engine (100 to 600000)
 * catch.up.ms  LOYALTY_POS_CATCH_UP_MS  2000  the longest sending again what a restore of the engine lost may take
 *              of a cashier's call, never past budget.ms (100 to 60000)
 * settle.ms    LOYALTY_POS_SETTLE_MS    4 × budget.ms   how long a call spending points that got no answer is sent
 *              again before the cashier is told it is not known whether they were spent (100 to 600000)
 * journal      LOYALTY_POS_JOURNAL      ./pos-journal.jsonl
 * sent.keep.hours LOYALTY_POS_SENT_KEEP_HOURS 72 how long what the engine recorded is kept to be sent again
 * restore.retry.seconds LOYALTY_POS_RESTORE_RETRY_SECONDS 60 how long a call set aside waits to be tried again,
 *              twice that after each try, 10 minutes at most: after a restore of the engine, a call sent again and
 *              refused for now (points another till's lost sale earned); a queued sale the engine failed on
 * card.image.megapixels LOYALTY_POS_CARD_IMAGE_MEGAPIXELS 200 the largest picture of a card read; a larger one is
 *              refused from its header (1 to 10000)
 * card.read.ms LOYALTY_POS_CARD_READ_MS 1500 the longest a picture of a card is read for, once loaded; then the
 *              cashier is asked to take it again (100 to 60000)
 * line.max.amount LOYALTY_POS_LINE_MAX_AMOUNT 10000 (1000000 for a currency without cents, such as JPY) the most a
 *              basket line may come to (quantity × price), in the till's currency: a line above it is refused before
 *              it is sent, a price typed with its digits twice does not earn a fortune
 * </pre>
 *
 * A value out of its range, or not a whole number, is refused when the till starts, naming the setting.
 */
public record TillConfig(URI engineUrl, String apiKey, String store, String terminal, String currency,
                         Duration budget, Path journal, Duration keepSent, Duration restoreRetry,
                         Duration replayBudget, Duration catchUpTime, Duration settleTime, long cardImagePixels,
                         Duration cardReadTime, java.math.BigDecimal lineMaxAmount) {

    /** A till whose lines may come to {@link #defaultLineMaxAmount} of its currency at most. */
    public TillConfig(URI engineUrl, String apiKey, String store, String terminal, String currency, Duration budget,
                      Path journal, Duration keepSent, Duration restoreRetry, Duration replayBudget,
                      Duration catchUpTime, Duration settleTime, long cardImagePixels, Duration cardReadTime) {
        this(engineUrl, apiKey, store, terminal, currency, budget, journal, keepSent, restoreRetry, replayBudget,
                catchUpTime, settleTime, cardImagePixels, cardReadTime, defaultLineMaxAmount(currency));
    }

    /**
     * The most a line may come to by default: 10,000 of a currency with cents, as many times more as it has fewer
     * decimals (1,000,000 yen).
     */
    public static java.math.BigDecimal defaultLineMaxAmount(String currency) {
        int decimals = 2;
        try {
            decimals = Math.max(0, java.util.Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException | NullPointerException e) {
            // A code the JDK does not know: taken as one with cents.
        }
        return java.math.BigDecimal.valueOf(10_000).movePointRight(Math.max(0, 2 - decimals));
    }

    /** The longest a cashier's call waits for the engine, by default. */
    public static final Duration BUDGET = Duration.ofMillis(800);

    /** The longest each call of queue replay or queue resend waits for the engine, by default: no cashier waits. */
    public static final Duration REPLAY_BUDGET = Duration.ofSeconds(10);

    /** The longest sending again what a restore of the engine lost may take of a cashier's call, by default. */
    public static final Duration CATCH_UP_TIME = Duration.ofSeconds(2);

    /**
     * How many budgets a call spending points that got no answer is sent again, as it was, by default, to find out
     * whether the engine recorded it: the cashier is told the truth instead of "not spent".
     */
    public static final int SETTLE_BUDGETS = 4;

    /** How long the till keeps what the engine recorded by default: a weekend's restore from Friday's backup. */
    public static final Duration KEEP_SENT = Duration.ofHours(72);

    /**
     * How long a call set aside waits to be tried again, by default: one sent again after a restore and refused for
     * now, or a queued sale the engine failed on.
     */
    public static final Duration RESTORE_RETRY = Duration.ofSeconds(60);

    /** The most pixels a picture of a card may have, by default: a 200-megapixel phone photo. */
    public static final long CARD_IMAGE_PIXELS = 200_000_000L;

    /** The longest a picture of a card is read for by default ({@link CardReader#READ_TIME}). */
    public static final Duration CARD_READ_TIME = CardReader.READ_TIME;

    /** A till reading pictures of cards for {@link #CARD_READ_TIME} at most. */
    public TillConfig(URI engineUrl, String apiKey, String store, String terminal, String currency, Duration budget,
                      Path journal, Duration keepSent, Duration restoreRetry, Duration replayBudget,
                      Duration catchUpTime, Duration settleTime, long cardImagePixels) {
        this(engineUrl, apiKey, store, terminal, currency, budget, journal, keepSent, restoreRetry, replayBudget,
                catchUpTime, settleTime, cardImagePixels, CARD_READ_TIME);
    }

    /**
     * A till keeping what the engine recorded for {@code keepSent}, and waiting the default times but its
     * {@code budget}.
     */
    public TillConfig(URI engineUrl, String apiKey, String store, String terminal, String currency, Duration budget,
                      Path journal, Duration keepSent, Duration restoreRetry) {
        this(engineUrl, apiKey, store, terminal, currency, budget, journal, keepSent, restoreRetry, REPLAY_BUDGET,
                CATCH_UP_TIME, budget.multipliedBy(SETTLE_BUDGETS), CARD_IMAGE_PIXELS);
    }

    /** A till keeping what the engine recorded for {@link #KEEP_SENT}. */
    public TillConfig(URI engineUrl, String apiKey, String store, String terminal, String currency, Duration budget,
                      Path journal) {
        this(engineUrl, apiKey, store, terminal, currency, budget, journal, KEEP_SENT, RESTORE_RETRY);
    }

    /** The same till, whose {@code queue replay} and {@code queue resend} wait {@code replayBudget} per call. */
    public TillConfig withReplayBudget(Duration replayBudget) {
        return new TillConfig(engineUrl, apiKey, store, terminal, currency, budget, journal, keepSent, restoreRetry,
                replayBudget, catchUpTime, settleTime, cardImagePixels, cardReadTime, lineMaxAmount);
    }

    /**
     * The configuration of {@code file} (or {@code LOYALTY_POS_CONFIG}'s) and the environment.
     *
     * @throws IOException              the file cannot be read
     * @throws IllegalArgumentException a setting's value is not one it takes: the message names the setting
     */
    public static TillConfig load(Path file, Map<String, String> environment) throws IOException {
        Properties properties = new Properties();
        Path configured = file != null ? file
                : environment.containsKey("LOYALTY_POS_CONFIG") ? Path.of(environment.get("LOYALTY_POS_CONFIG")) : null;
        if (configured != null) {
            try (Reader reader = Files.newBufferedReader(configured)) {
                properties.load(reader);
            }
        }
        Duration budget = millis(properties, environment, "budget.ms", BUDGET, 100, 60_000);
        return new TillConfig(
                engineUrl(value(properties, environment, "engine.url", "http://localhost:8080")),
                value(properties, environment, "api.key", null),
                value(properties, environment, "store", null),
                value(properties, environment, "terminal", "T1"),
                value(properties, environment, "currency", "EUR"),
                budget,
                Path.of(value(properties, environment, "journal", "pos-journal.jsonl")),
                Duration.ofHours(whole(value(properties, environment, "sent.keep.hours",
                        Long.toString(KEEP_SENT.toHours())), "sent.keep.hours", 1, 100_000, "hours")),
                Duration.ofSeconds(whole(value(properties, environment, "restore.retry.seconds",
                        Long.toString(RESTORE_RETRY.toSeconds())), "restore.retry.seconds", 1, 86_400, "seconds")),
                millis(properties, environment, "replay.budget.ms", REPLAY_BUDGET, 100, 600_000),
                millis(properties, environment, "catch.up.ms", CATCH_UP_TIME, 100, 60_000),
                millis(properties, environment, "settle.ms", budget.multipliedBy(SETTLE_BUDGETS), 100, 600_000),
                whole(value(properties, environment, "card.image.megapixels",
                        Long.toString(CARD_IMAGE_PIXELS / 1_000_000)), "card.image.megapixels", 1, 10_000,
                        "megapixels") * 1_000_000,
                millis(properties, environment, "card.read.ms", CARD_READ_TIME, 100, 60_000),
                amount(value(properties, environment, "line.max.amount", null),
                        value(properties, environment, "currency", "EUR")));
    }

    /** {@code line.max.amount}: an amount above 0, or the currency's default when not set. */
    static java.math.BigDecimal amount(String text, String currency) {
        if (text == null || text.isBlank()) {
            return defaultLineMaxAmount(currency);
        }
        try {
            java.math.BigDecimal amount = new java.math.BigDecimal(text.strip());
            if (amount.signum() > 0 && amount.precision() - amount.scale() <= 13) {
                return amount;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("line.max.amount (LOYALTY_POS_LINE_MAX_AMOUNT) is the most a basket line"
                + " may come to, an amount above 0 such as 10000, not " + text.strip());
    }

    /**
     * The engine's root from {@code engine.url}: http or https and a host, a port and a path (a proxy's) if need be;
     * one ending in the contract's base path ({@code /api/v1}, as API.md gives the calls) is taken as the root before
     * it: the till adds it to every call, and an engine.url ending in it had every sale queued, refused 404
     * not_found. Refused at start, the setting named, when it is no such address: {@code loyalty.store.lan} or
     * {@code localhost:8104} (no scheme) had each sale neither sent nor queued ({@code URI with undefined scheme}).
     */
    static URI engineUrl(String text) {
        String root = text.strip();
        for (String ending : List.of(API_PATH + "/", API_PATH)) {
            if (root.endsWith(ending)) {
                root = root.substring(0, root.length() - ending.length());
                break;
            }
        }
        String why;
        try {
            URI uri = new URI(root);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getQuery() == null && uri.getFragment() == null) {
                return uri;
            }
            why = !scheme.equals("http") && !scheme.equals("https") ? "it does not begin with http:// or https://"
                    : uri.getHost() == null ? "it names no host" : "it has a query or a fragment";
        } catch (URISyntaxException e) {
            why = e.getReason().toLowerCase(Locale.ROOT);
        }
        throw new IllegalArgumentException("engine.url (LOYALTY_POS_ENGINE_URL) is the engine's root, http:// or"
                + " https:// and a host, such as http://loyalty.store.lan:8080, not " + text.strip() + ": " + why);
    }

    /** The contract's base path, which the till adds to each call ({@code EngineClient}). */
    private static final String API_PATH = "/api/v1";

    /** The setting {@code key}, a whole number of milliseconds from {@code min} to {@code max}; else the default. */
    private static Duration millis(Properties properties, Map<String, String> environment, String key,
                                   Duration fallback, long min, long max) {
        return Duration.ofMillis(whole(value(properties, environment, key, Long.toString(fallback.toMillis())), key,
                min, max, "milliseconds"));
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
