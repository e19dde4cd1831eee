package org.loyaltyengine.engine.api;

import jakarta.annotation.Priority;
import jakarta.transaction.TransactionalException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A transaction that failed at its commit (the database refused it) reaches JAX-RS as a
 * {@link TransactionalException}; Jersey's own mapper of it rethrows, and the caller would get the server's 500.
 * Answered as every other failure: the refusal it wraps, 503 {@code engine_busy} for a transient conflict, or 500
 * in the contract's shape.
 */
@Provider
@Priority(1)
public class TransactionalExceptionMapper implements ExceptionMapper<TransactionalException> {

    @Override
    public Response toResponse(TransactionalException e) {
        return new UnexpectedExceptionMapper().toResponse(e);
    }
}
