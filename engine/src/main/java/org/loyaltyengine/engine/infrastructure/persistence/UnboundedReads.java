package org.loyaltyengine.engine.infrastructure.persistence;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The engine's pooled data source as the schema migrations use it on PostgreSQL: each connection it hands out waits
 * for the database's answers as long as they take, may sit idle inside a transaction as long as the migrations take
 * (Flyway's lock between instances is held so on a second connection), and has the pool's limits back when it is
 * closed (returned to the pool, for a till's requests).
 * <p>
 * The pool bounds every read on PostgreSQL ({@code loyalty.db.socket-timeout}, 120 s by default; see
 * {@code DataSources}) so that a database gone silent does not hold a till's request for hours. A migration is not a
 * till's request: an index built on a large table, or a table rewritten, answers only when it is done, and a
 * migration whose statement outlasted the limit would stop the engine's start until the limit was raised.
 */
final class UnboundedReads implements DataSource {

    private final DataSource pool;

    UnboundedReads(DataSource pool) {
        this.pool = pool;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return unbounded(pool.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        return unbounded(pool.getConnection(user, password));
    }

    private static Connection unbounded(Connection connection) throws SQLException {
        int readLimit;
        String idleLimit;
        try {
            readLimit = connection.getNetworkTimeout();
            connection.setNetworkTimeout(Runnable::run, 0);
            idleLimit = setIdleLimit(connection, "0");
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return (Connection) Proxy.newProxyInstance(UnboundedReads.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                    switch (method.getName()) {
                        case "close" -> {
                            try {
                                if (!connection.isClosed()) {
                                    setIdleLimit(connection, idleLimit);
                                    connection.setNetworkTimeout(Runnable::run, readLimit);
                                }
                            } finally {
                                connection.close();
                            }
                            return null;
                        }
                        case "equals" -> {
                            return proxy == arguments[0];
                        }
                        case "hashCode" -> {
                            return System.identityHashCode(proxy);
                        }
                        default -> {
                            try {
                                return method.invoke(connection, arguments);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        }
                    }
                });
    }

    /**
     * Sets how long PostgreSQL lets the session sit idle inside a transaction (the pool's is 30 s): Flyway holds
     * its lock between instances in a transaction of a second connection, idle for as long as the migrations take.
     *
     * @return the limit as it was
     */
    private static String setIdleLimit(Connection connection, String limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT current_setting('idle_in_transaction_session_timeout'),"
                        + " set_config('idle_in_transaction_session_timeout', ?, false)")) {
            statement.setString(1, limit);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getString(1);
            }
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return pool.isWrapperFor(type);
    }
}
