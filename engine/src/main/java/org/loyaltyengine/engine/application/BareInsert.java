package org.loyaltyengine.engine.application;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.infrastructure.persistence.DataWrites;
import org.loyaltyengine.engine.infrastructure.persistence.Database;

/**
 * The load benchmark's yardstick: one JDBC insert and its commit per request, through the same server, data source
 * and database as a sale, so that the sale rate can be read against what the server and the disk can do at all.
 * Off unless {@code loyalty.bench.endpoint=true} (environment {@code LOYALTY_BENCH_ENDPOINT}).
 */
@ApplicationScoped
public class BareInsert {

    @Inject
    @ConfigProperty(name = "loyalty.bench.endpoint", defaultValue = "false")
    boolean enabled;

    @Inject
    @ConfigProperty(name = "loyalty.db.kind", defaultValue = "derby")
    String databaseKind;

    @Inject
    Clock clock;

    private DataSource dataSource;

    @PostConstruct
    void lookUp() {
        dataSource = Database.lookup(databaseKind);
    }

    /** @throws DomainException {@code not_found} (404) when the benchmark endpoint is off */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long insert(String storeId, String payload) {
        if (!enabled) {
            throw DomainException.notFound("not_found", "The benchmark endpoint is off (loyalty.bench.endpoint)");
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement("INSERT INTO bench_insert (store_id, payload,"
                     + " inserted_at) VALUES (?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, storeId);
            insert.setString(2, payload == null ? "" : payload.substring(0, Math.min(200, payload.length())));
            insert.setTimestamp(3, Timestamp.valueOf(LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)));
            insert.executeUpdate();
            DataWrites.wrote();
            try (ResultSet key = insert.getGeneratedKeys()) {
                return key.next() ? key.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The bare insert failed", e);
        }
    }
}
