package org.loyaltyengine.engine.api;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.loyaltyengine.engine.application.RulesInvalidException;
import org.loyaltyengine.engine.domain.DomainException;

/** Turns the domain's refusals into the contract's error shape, one status per kind of refusal. */
@Provider
public class DomainExceptionMapper implements ExceptionMapper<DomainException> {

    @Override
    public Response toResponse(DomainException e) {
        int status = switch (e.kind()) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case UNPROCESSABLE -> 422;
            case TOO_MANY -> 429;
            case BUSY -> 503;
        };
        Response response = e instanceof RulesInvalidException invalid
                ? ErrorResponses.ruleErrors(status, invalid)
                : ErrorResponses.of(status, e.code(), e.getMessage(), e.field());
        if (status == 401) {
            response.getHeaders().add("WWW-Authenticate", "Bearer realm=\"loyalty\"");
        }
        return response;
    }
}
