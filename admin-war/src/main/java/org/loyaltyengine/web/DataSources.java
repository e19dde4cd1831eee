package org.loyaltyengine.web;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.annotation.sql.DataSourceDefinitions;
import jakarta.ejb.Singleton;

/**
 * The engine's data sources, one per supported database; {@code loyalty.db.kind} chooses which one the engine
 * uses. Values come from MicroProfile Config, so the environment can set them: {@code LOYALTY_DATA_DIR} for
 * Derby, {@code LOYALTY_DB_URL}, {@code LOYALTY_DB_USER}, {@code LOYALTY_DB_PASSWORD} for PostgreSQL.
 *
 * <p>Embedded Derby keeps durable commits (Derby's default): the engine never runs with
 * {@code derby.system.durability=test} outside tests.
 */
@Singleton
@DataSourceDefinitions({
        @DataSourceDefinition(
                name = "java:app/jdbc/loyalty-derby",
                className = "org.apache.derby.jdbc.EmbeddedDataSource",
                databaseName = "${MPCONFIG=loyalty.data.dir}/database",
                // Payara's pool keeps each connection's prepared statements (the sale path prepares the same
                // dozen statements every time); the type must be given (blank: the built-in LRU), see
                // payara/Payara#6647.
                // A connection Derby closed (it does after an error of session severity, such as the plan race
                // BusyRetry runs a transaction again for) is found dead when it is next handed out, and replaced,
                // instead of failing the next transaction that gets it; getMetaData only checks the connection.
                properties = {"createDatabase=create", "fish.payara.statement-cache-size=128",
                        "fish.payara.statement-cache-type= ", "fish.payara.is-connection-validation-required=true",
                        "fish.payara.connection-validation-method=meta-data"},
                minPoolSize = 2,
                // At most 16 transactions inside Derby at once; more requests wait for a connection, in turn. On
                // two cores 16 already share their commits' disk syncs, and 32 at once sold no more but made the
                // slowest sales slower (32 tills: p99 125 ms with 64 connections, 90-93 ms with 16; README).
                maxPoolSize = 16,
                transactional = true),
        @DataSourceDefinition(
                name = "java:app/jdbc/loyalty-postgresql",
                className = "org.postgresql.ds.PGSimpleDataSource",
                url = "${MPCONFIG=loyalty.db.url}",
                user = "${MPCONFIG=loyalty.db.user}",
                password = "${MPCONFIG=loyalty.db.password}",
                // A batch of inserts (a sale's lines, an entry's rules) goes to PostgreSQL as one statement.
                // When PostgreSQL restarts or fails over, every pooled connection is dead at once: the pool checks
                // a connection before handing it out (a round trip, so at most once a second for each connection),
                // and the first one found dead has the pool close them all and open new ones, instead of each
                // failing a request in turn. A transaction whose connection died under it is answered 503
                // database_unavailable, and a sale, return or redemption runs again first (BusyRetry).
                // An instance that freezes (a stalled VM, a pause, a network cut between it and PostgreSQL) keeps
                // the member rows its open transactions locked. Each connection therefore waits at most 2 s for a
                // lock (then the transaction is given up and the till answered 503 engine_busy at once: BusyRetry),
                // so the other instances' pools do not fill with tills waiting on those members;
                // and PostgreSQL ends a session left idle inside a transaction for 30 s, which frees the members.
                // The engine's transactions never pause that long between two statements (the knowledge
                // recomputation, which may, lifts the limit for its own transaction: CustomerKnowledge).
                // A connection whose database stops answering without closing it (a host that hangs, a failover
                // that moves the address, a network that drops packets) would hold its request and its place in
                // the pool until the operating system gives up, hours later: every read waits at most
                // loyalty.db.socket-timeout seconds (120 by default), then the connection counts as lost (503
                // database_unavailable, a sale run again first on another connection), and TCP keepalives are on.
                // The nightly scoring, whose read of a whole programme's sales may wait longer, lifts it.
                properties = {"reWriteBatchedInserts=true", "tcpKeepAlive=true",
                        "socketTimeout=${MPCONFIG=loyalty.db.socket-timeout}",
                        "fish.payara.is-connection-validation-required=true",
                        "fish.payara.init-sql=SELECT set_config('lock_timeout', '" + DataSources.POSTGRESQL_LOCK_WAIT
                                + "', false), set_config('idle_in_transaction_session_timeout', '"
                                + DataSources.POSTGRESQL_IDLE_IN_TRANSACTION + "', false)",
                        "fish.payara.connection-validation-method=custom-validation",
                        "fish.payara.validation-classname="
                                + "org.glassfish.api.jdbc.validation.PostgresConnectionValidation",
                        "fish.payara.validate-atmost-once-period-in-seconds=1",
                        "fish.payara.fail-all-connections=true"},
                minPoolSize = 2,
                // 16 per instance too: 32 tills on one instance sold as much as with 64 and the slowest sales were
                // faster (p99 323-342 ms with 64, 189-211 ms with 16; README), and several instances stay well
                // under PostgreSQL's default of 100 connections.
                maxPoolSize = 16,
                transactional = true)
})
public class DataSources {

    /** How long a PostgreSQL connection waits for a lock before its statement is given up. */
    static final String POSTGRESQL_LOCK_WAIT = "2s";

    /** How long PostgreSQL lets a session sit idle inside a transaction before it ends the session. */
    static final String POSTGRESQL_IDLE_IN_TRANSACTION = "30s";
}
