package org.loyaltyengine.engine.infrastructure.persistence;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * The engine's pooled data source as the schema migrations use it on PostgreSQL: each connection it hands out waits
 * for the database's answers as long as they take, and has the pool's read limit back when it is closed (returned
 * to the pool, for a till's requests).
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
        try {
            readLimit = connection.getNetworkTimeout();
            connection.setNetworkTimeout(Runnable::run, 0);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
        return (Connection) Proxy.newProxyInstance(UnboundedReads.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        try {
                            if (!connection.isClosed()) {
                                connection.setNetworkTimeout(Runnable::run, readLimit);
                            }
                        } finally {
                            connection.close();
                        }
                        return null;
                    }
                    try {
                        return method.invoke(connection, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
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
