package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.Locale;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Which database the engine runs on. The deployable defines one data source per supported kind; the
 * configuration {@code loyalty.db.kind} (environment {@code LOYALTY_DB_KIND}: {@code derby}, the default, or
 * {@code postgresql}) chooses which one the persistence unit and the migrations use.
 */
public final class Database {

    public static final String DERBY = "java:app/jdbc/loyalty-derby";
    public static final String POSTGRESQL = "java:app/jdbc/loyalty-postgresql";

    private Database() {
    }

    /** The JNDI name of the data source for a database kind. */
    public static String jndiName(String kind) {
        return switch (kind.strip().toLowerCase(Locale.ROOT)) {
            case "derby" -> DERBY;
            case "postgresql", "postgres" -> POSTGRESQL;
            default -> throw new IllegalArgumentException(
                    "Unknown database kind '" + kind + "': use derby or postgresql (LOYALTY_DB_KIND)");
        };
    }

    /** The data source of a database kind (a JTA one: its connections join the caller's transaction). */
    public static DataSource lookup(String kind) {
        try {
            return (DataSource) new InitialContext().lookup(jndiName(kind));
        } catch (NamingException e) {
            throw new IllegalStateException("No data source for database kind " + kind, e);
        }
    }
}
