package org.loyaltyengine.engine.infrastructure.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.loyaltyengine.engine.infrastructure.config.Folders;

/**
 * The time in which what the tills sent may be lost to the engine after a restore: from the newest ledger entry the
 * restored database holds to the moment of the restore. The engine tells the tills (the {@value #HEADER} header of
 * its answers to them), and each sends again what the engine recorded for it in that time; the engine records what
 * it lost and answers the rest as replays. Written as an ISO-8601 interval, {@code <from>/<to>}. A restore by
 * {@code restore-engine.sh} writes it into the data folder; a restore by other means is noticed by the instances
 * ({@link DatabaseHeartbeat}).
 */
public record RestoreGap(Instant from, Instant to) {

    /** The file of the data folder that holds the newest restore's gap ({@code restore-engine.sh} writes it). */
    public static final String FILE = "restore-gap";

    /** The header of the engine's answers to the tills that carries the gap. */
    public static final String HEADER = "Loyalty-Restore-Gap";

    /**
     * How long after its end a gap is told to the tills: as long as they keep what the engine recorded by default
     * (the POS adapter's {@code sent.keep.hours}), after which they have nothing left of it to send.
     */
    public static final Duration TOLD_FOR = Duration.ofHours(72);

    public RestoreGap {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("A restore gap ends before it begins: " + from + "/" + to);
        }
    }

    /**
     * @throws IllegalArgumentException not two ISO-8601 instants with a slash between them, or the first after the
     *         second
     */
    public static RestoreGap parse(String text) {
        String[] ends = text.strip().split("/", -1);
        if (ends.length != 2) {
            throw new IllegalArgumentException("Not a restore gap (from/to, such as 2026-12-05T10:17:39Z/"
                    + "2026-12-05T10:40:00Z): " + text.strip());
        }
        try {
            return new RestoreGap(Instant.parse(ends[0].strip()), Instant.parse(ends[1].strip()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not a restore gap (from/to, such as 2026-12-05T10:17:39Z/"
                    + "2026-12-05T10:40:00Z): " + text.strip(), e);
        }
    }

    /** Whether the tills are still told of the gap at {@code now}: {@link #TOLD_FOR} after its end. */
    public boolean told(Instant now) {
        return now.isBefore(to.plus(TOLD_FOR));
    }

    /**
     * The newest of the gaps (the one that ends last), together with those that overlap it, or meet it within
     * {@link #TOUCHING}: each instance of a cluster notices the same restore at its own moment, and a gap written by
     * a restore and one noticed after it tell of the same loss. Empty when there are none.
     */
    public static Optional<RestoreGap> newest(Collection<RestoreGap> gaps) {
        List<RestoreGap> byEnd = gaps.stream().sorted(Comparator.comparing(RestoreGap::to).reversed()).toList();
        if (byEnd.isEmpty()) {
            return Optional.empty();
        }
        RestoreGap merged = byEnd.get(0);
        for (RestoreGap gap : byEnd.subList(1, byEnd.size())) {
            if (!gap.to().plus(TOUCHING).isBefore(merged.from())) {
                merged = new RestoreGap(gap.from().isBefore(merged.from()) ? gap.from() : merged.from(), merged.to());
            }
        }
        return Optional.of(merged);
    }

    /** How far apart two gaps may be and still be told as one ({@link #newest}). */
    static final Duration TOUCHING = Duration.ofMinutes(1);

    /** The gap the data folder holds; none when no restore wrote one. */
    public static Optional<RestoreGap> read(Path data) throws IOException {
        Path file = data.resolve(FILE);
        return Files.exists(file) ? Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)))
                : Optional.empty();
    }

    /** Writes the gap into the data folder, whole or not at all. */
    static void write(Path data, RestoreGap gap) throws IOException {
        Folders.writeString(data.resolve(FILE), gap + "\n");
    }

    @Override
    public String toString() {
        return from + "/" + to;
    }
}
