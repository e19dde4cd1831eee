package org.loyaltyengine.engine.domain;

/**
 * A refusal the domain explains to its caller: a stable machine code ({@code insufficient_points}), a message
 * for people and, when one input is at fault, the field that names it. The API turns these into the contract's
 * error shape in one place; the {@link Kind} decides the status.
 */
public class DomainException extends RuntimeException {

    /** What sort of refusal this is; the API maps each kind to one HTTP status. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT, UNPROCESSABLE, UNAUTHENTICATED, FORBIDDEN, TOO_MANY, BUSY }

    private final Kind kind;
    private final String code;
    private final String field;

    public DomainException(Kind kind, String code, String message) {
        this(kind, code, message, null);
    }

    public DomainException(Kind kind, String code, String message, String field) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.field = field;
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String field() {
        return field;
    }

    public static DomainException invalid(String field, String message) {
        return new DomainException(Kind.INVALID, "invalid_field", message, field);
    }

    /** A 400 with its own code: {@code invalid("unknown_currency", "currency", "...")}. */
    public static DomainException invalid(String code, String field, String message) {
        return new DomainException(Kind.INVALID, code, message, field);
    }

    public static DomainException unprocessable(String code, String field, String message) {
        return new DomainException(Kind.UNPROCESSABLE, code, message, field);
    }

    public static DomainException forbidden(String code, String message) {
        return new DomainException(Kind.FORBIDDEN, code, message);
    }

    public static DomainException notFound(String code, String message) {
        return new DomainException(Kind.NOT_FOUND, code, message);
    }

    /** The database gave the transaction up (lock contention, a deadlock): nothing was written, send it again. */
    public static DomainException busy() {
        return new DomainException(Kind.BUSY, "engine_busy", "The database is busy; nothing was recorded: send the"
                + " same request again");
    }

    /**
     * The engine has no working connection to its database (it restarts, fails over, or cannot be reached).
     * {@code nothingRan}: no statement of the request reached the database, so nothing was recorded.
     */
    public static DomainException databaseUnavailable(boolean nothingRan) {
        return new DomainException(Kind.BUSY, "database_unavailable", nothingRan
                ? "The engine cannot reach its database; nothing was recorded: send the same request again"
                : "The engine lost its connection to the database while answering, and cannot tell whether the"
                + " request was recorded: send the same request again (a sale, return or redemption, or an"
                + " adjustment with the same Idempotency-Key, sent again is recorded once) or check before sending"
                + " it again");
    }

    public static DomainException conflict(String code, String message) {
        return new DomainException(Kind.CONFLICT, code, message);
    }
}
