package org.loyaltyengine.engine.infrastructure.persistence;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;

/**
 * The names of backups, and of what a restore or a move of the log sets aside: the time, UTC, to the second
 * ({@code 20261205T030000Z}), and for a second backup within the same second a number ({@code 20261205T030000Z-2}).
 */
public final class BackupName {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** The length of a name without the number a second backup within one second gets. */
    private static final int STAMP = "20261205T030000Z".length();

    /** Backups' names, oldest first; only for names {@link #takenAt} reads. */
    public static final Comparator<String> OLDEST_FIRST = Comparator.comparing(BackupName::takenAt)
            .thenComparing(BackupName::number);

    private BackupName() {
    }

    /** The name of an instant, UTC, to the second. */
    public static String of(Instant instant) {
        return FORMAT.format(instant);
    }

    /** The time a backup's name gives ({@code 20261205T030000Z}, or {@code 20261205T030000Z-2}); null for others. */
    public static Instant takenAt(String name) {
        if (!name.matches("\\d{8}T\\d{6}Z(-\\d{1,6})?")) {
            return null;
        }
        try {
            return Instant.from(FORMAT.parse(name.substring(0, STAMP)));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int number(String name) {
        return name.length() > STAMP + 1 ? Integer.parseInt(name.substring(STAMP + 1)) : 0;
    }
}
