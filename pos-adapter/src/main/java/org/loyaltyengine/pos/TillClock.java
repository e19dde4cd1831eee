package org.loyaltyengine.pos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

import org.loyaltyengine.pos.engine.EngineClient;

/**
 * The time a till stamps its sales with: its own clock, corrected by how far it is off the engine's (measured from
 * the {@code Date} header of the engine's answers, and kept beside the journal for the next run, offline included).
 * The engine refuses a sale more than 5 minutes in its future: a till whose clock ran fast would otherwise lose every
 * sale, those queued offline too.
 */
final class TillClock {

    /** How far off the engine's clock the till's may be before the cashier is told. */
    static final Duration WARN_BEYOND = Duration.ofMinutes(1);

    /** Offsets smaller than this are the header's rounding and the network's delay, not the till's clock. */
    private static final Duration NOISE = Duration.ofSeconds(2);

    private final EngineClient engine;
    private final Path file;
    private Duration kept;

    TillClock(EngineClient engine, Path journal) {
        this.engine = engine;
        String name = journal.getFileName().toString();
        String stem = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        this.file = journal.resolveSibling(stem + "-clock-offset.txt");
        try {
            if (Files.exists(file)) {
                kept = Duration.ofMillis(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()));
                engine.assumeClockOffset(kept);
            }
        } catch (IOException | RuntimeException e) {
            // Measured again at the next answer.
        }
    }

    /** How far the engine's clock is ahead of the till's, when known; {@link Duration#ZERO} within the noise. */
    Duration offset() {
        Duration offset = engine.clockOffset();
        return offset == null || offset.abs().compareTo(NOISE) < 0 ? Duration.ZERO : offset;
    }

    /** The engine's time now, as far as the till knows it. */
    Instant instant() {
        return Instant.now().plus(offset());
    }

    /** The engine's time now, as far as the till knows it, to the second, in the till's zone. */
    OffsetDateTime now() {
        return OffsetDateTime.ofInstant(Instant.now().plus(offset()), ZoneId.systemDefault())
                .truncatedTo(ChronoUnit.SECONDS);
    }

    /** What to tell the cashier when the till's clock is more than {@link #WARN_BEYOND} off; else nothing. */
    String warning() {
        Duration offset = offset();
        if (offset.abs().compareTo(WARN_BEYOND) <= 0) {
            return "";
        }
        return " · the till's clock is " + describe(offset.abs()) + (offset.isNegative() ? " fast" : " slow")
                + " by the engine's: sales are stamped with the engine's time; set the till's clock right";
    }

    /** Keeps the offset the last answer measured, for the next run, when it moved by more than the noise. */
    void keep() {
        Duration offset = engine.clockOffset();
        if (offset == null || kept != null && offset.minus(kept).abs().compareTo(NOISE) < 0) {
            return;
        }
        try {
            Files.writeString(file, offset.toMillis() + "\n", StandardCharsets.UTF_8);
            kept = offset;
            if (offset.abs().compareTo(WARN_BEYOND) > 0) {
                System.err.println("The till's clock is " + describe(offset.abs()) + (offset.isNegative() ? " fast"
                        : " slow") + " by the engine's (" + Instant.now() + " here): sales are stamped with the"
                        + " engine's time until it is set right");
            }
        } catch (IOException e) {
            // NoSuchFileException's message is the file alone: its name says what went wrong.
            System.err.println("Could not keep the till's clock offset in " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().equals(file.toString()) ? "" : " " + e.getMessage()));
        }
    }

    /**
     * The offset rounded to the nearest minute (or second): the engine's Date header tells its time to the second,
     * so an hour measured is anything from 59:59 to 60:01, which is an hour to the cashier, not 59 minutes.
     */
    private static String describe(Duration duration) {
        long seconds = Math.round(duration.toMillis() / 1000.0);
        return seconds >= 120 ? Math.round(seconds / 60.0) + " minutes" : seconds + " seconds";
    }
}
