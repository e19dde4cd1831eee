package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

/**
 * Instants are stored as UTC timestamps the JDBC drivers bind through the JVM's time zone ({@code
 * Timestamp.valueOf}): in a zone whose clocks change, a UTC time in the hour it skips comes back an hour late, so the
 * engine refuses such a zone at start.
 */
class JvmTimeZoneTest {

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
