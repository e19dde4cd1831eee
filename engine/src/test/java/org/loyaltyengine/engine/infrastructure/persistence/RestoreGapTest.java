package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class RestoreGapTest {

    @Test
    void aGapIsToldAsLongAsTheTillsKeepWhatTheEngineRecorded() {
        RestoreGap gap = RestoreGap.parse("2026-12-05T10:00:00Z/2026-12-05T10:40:00Z");

        assertThat(gap.told(Instant.parse("2026-12-05T10:41:00Z"))).isTrue();
        assertThat(gap.told(Instant.parse("2026-12-08T10:39:59Z"))).as("72 hours after its end").isTrue();
        assertThat(gap.told(Instant.parse("2026-12-08T10:40:00Z"))).isFalse();
        assertThatThrownBy(() -> RestoreGap.parse("2026-12-05T10:40:00Z/2026-12-05T10:00:00Z"))
                .hasMessageContaining("ends before it begins");
    }
}
