package org.loyaltyengine.engine.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** The contract's error shape for what JAX-RS refuses itself: unknown paths, wrong methods, media types. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() != null && status == 400) {
            return BodyExceptionMapper.malformed(e.getCause());
        }
        String message = status == 404 || status == 405 || status == 415 || e.getMessage() == null
                ? ErrorResponses.message(status) : e.getMessage();
        return ErrorResponses.of(status, ErrorResponses.code(status), message, null);
    }
}
