package org.loyaltyengine.engine.infrastructure.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.persistence.PersistenceException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loyaltyengine.engine.application.ConstraintViolations;

/**
 * A value longer or larger than its column, which no check of the engine's caught, is refused by the database itself
 * with a data exception: the engine answers it 400 {@code value_too_large}, never 500, and nothing is written.
 */
class ValueRefusedTest {

    @ParameterizedTest
    @ValueSource(strings = {"derby", "postgresql"})
    void aTextLongerThanItsColumnOrANumberOutOfRangeIsTheCallersAndWritesNothing(String kind) throws Exception {
        try (ScratchDatabase database = new ScratchDatabase(kind, "refused")) {
            database.migrate(null);
            Connection connection = database.connection();

            Throwable tooLong = catchThrowable(() -> insertBeat(connection, "i".repeat(37), 1));
            connection.rollback();
            Throwable tooLarge = catchThrowable(() -> {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE database_identity SET singleton = ?")) {
                    update.setLong(1, 3_000_000_000L);
                    update.executeUpdate();
                }
            });
            connection.rollback();

            // As EclipseLink hands it on: wrapped.
            SQLException refused = ConstraintViolations.valueRefused(new PersistenceException(
                    "Exception [EclipseLink-4002]", tooLong));
            assertThat(refused == null ? String.valueOf(tooLong) : refused.getSQLState()).isEqualTo("22001");
            refused = ConstraintViolations.valueRefused(tooLarge);
            assertThat(refused == null ? String.valueOf(tooLarge) : refused.getSQLState()).isEqualTo("22003");
            assertThat(ConstraintViolations.transientConflict(tooLong)).as("not sent again").isFalse();
            try (var rows = connection.createStatement().executeQuery("SELECT COUNT(*) FROM instance_heartbeat")) {
                rows.next();
                assertThat(rows.getLong(1)).isZero();
            }
            connection.rollback();
        }
    }

    @Test
    void otherRefusalsAreNotTakenForOne() {
        assertThat(ConstraintViolations.valueRefused(new SQLException("duplicate key", "23505")) == null).isTrue();
        assertThat(ConstraintViolations.valueRefused(new SQLException("deadlock", "40001")) == null).isTrue();
        assertThat(ConstraintViolations.valueRefused(new SQLException("division by zero", "22012")) == null)
                .as("the engine's own fault").isTrue();
        assertThat(ConstraintViolations.valueRefused(new IllegalStateException("no SQL at all")) == null).isTrue();
    }

    private static void insertBeat(Connection connection, String instance, long beat) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO instance_heartbeat (instance_id, beat, beat_at) VALUES (?, ?, CURRENT_TIMESTAMP)")) {
            insert.setString(1, instance);
            insert.setLong(2, beat);
            insert.executeUpdate();
        }
    }
}
