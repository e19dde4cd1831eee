package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.TimeZone;

import org.junit.jupiter.api.Test;

/**
 * Instants are stored as UTC timestamps the JDBC drivers bind through the JVM's time zone: in a zone whose clocks
 * change, a UTC time in the hour it skips comes back an hour late, so the engine refuses such a zone at start.
 */
class JvmTimeZoneTest {

    @Test
    void aUtcTimeInTheHourAZoneSkipsIsMovedByTheDriversBinding() {
        TimeZone before = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Berlin"));
            LocalDateTime utc = LocalDateTime.of(2027, 3, 28, 2, 30);
            assertThat(Timestamp.valueOf(utc).toLocalDateTime())
                    .as("what a driver reads back").isEqualTo(LocalDateTime.of(2027, 3, 28, 3, 30));
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void theEngineRefusesAJvmZoneWhoseClocksChangeAndTakesAFixedOne() {
        assertThatThrownBy(() -> DatabaseMigration.refuseZoneWithClockChanges(ZoneId.of("Europe/Paris")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("-Duser.timezone=UTC");
        assertThatCode(() -> DatabaseMigration.refuseZoneWithClockChanges(ZoneOffset.UTC)).doesNotThrowAnyException();
        assertThatCode(() -> DatabaseMigration.refuseZoneWithClockChanges(ZoneId.of("UTC")))
                .doesNotThrowAnyException();
        assertThatCode(() -> DatabaseMigration.refuseZoneWithClockChanges(ZoneId.of("Asia/Kolkata")))
                .as("no clock changes in decades").doesNotThrowAnyException();
    }
}
