package org.loyaltyengine.engine.infrastructure.persistence;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Stores instants as UTC timestamps, so that every engine instance reads the same moment (Derby has no
 * timestamp-with-zone type). The drivers bind them through the JVM's time zone, which must have a fixed offset
 * (UTC): in a zone whose clocks change, the hour it skips in spring would be stored an hour late
 * ({@link DatabaseMigration#refuseZoneWithClockChanges}).
 */
@Converter(autoApply = true)
public class InstantConverter implements AttributeConverter<Instant, LocalDateTime> {

    @Override
    public LocalDateTime convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    @Override
    public Instant convertToEntityAttribute(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    /** An instant as this converter stores it, for plain JDBC and native queries. */
    public static Timestamp timestamp(Instant instant) {
        return Timestamp.valueOf(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
}
