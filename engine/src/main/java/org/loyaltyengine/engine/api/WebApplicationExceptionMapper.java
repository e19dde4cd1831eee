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
        String error = switch (status) {
            case 400 -> "bad_request";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "request_refused";
        };
        String message = switch (status) {
            case 404 -> "There is nothing at this address";
            case 405 -> "This address does not accept this method";
            case 415 -> "Send the body as application/json";
            default -> e.getMessage() == null ? "The request was refused" : e.getMessage();
        };
        return ErrorResponses.of(status, error, message, null);
    }
}
