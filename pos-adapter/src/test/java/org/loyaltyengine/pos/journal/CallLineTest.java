package org.loyaltyengine.pos.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The times of the sent log's lines, read without a formatter, are those {@link Instant#parse} reads, and what it
 * refuses is refused.
 */
class CallLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-05T10:00:00Z", "2026-12-05T10:00:00.1Z", "2026-12-05T10:00:00.123Z",
        "2026-12-05T23:59:59.123456Z", "2026-12-31T00:00:00.123456789Z", "2028-02-29T12:00:00.5Z",
        "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z", "+12026-12-05T10:00:00Z", "2026-12-05T23:59:60Z",
        "2026-12-05T24:00:00Z", "2026-12-05T10:00:00.Z", "2026-12-05T10:00:00+01:00", "2026-02-30T10:00:00Z",
        "2027-02-29T10:00:00Z", "2026-13-05T10:00:00Z", "2026-12-05T10:00Z", "2026-12-05T10:00:00.1234567890Z",
        "2026-12-05T10:0a:00Z", "2026-12-05 10:00:00Z", "-001-12-05T10:00:00Z", ""})
    void aTimeIsReadAsInstantReadsIt(String text) {
        Instant parsed;
        try {
            parsed = Instant.parse(text);
        } catch (DateTimeParseException e) {
            assertThatThrownBy(() -> CallLine.time(text)).isInstanceOf(DateTimeParseException.class);
            return;
        }
        assertThat(CallLine.time(text)).isEqualTo(parsed);
    }
}
