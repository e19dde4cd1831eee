package org.loyaltyengine.engine.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The contract's error shape for what JAX-RS refuses itself: unknown paths, wrong methods, media types, query
 * parameters it cannot convert (400 naming the parameter).
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String parameter = queryParameter(e);
        if (parameter != null) {
            // Jersey answers 404 to a query parameter it cannot convert (?page=x): the address is right, the value
            // is not.
            return ErrorResponses.of(400, "invalid_field", "Query parameter " + parameter + " has a value of the"
                    + " wrong kind (a whole number, a date, a known word, as the call expects)", parameter);
        }
        if (e.getCause() != null && status == 400) {
            return BodyExceptionMapper.malformed(e.getCause());
        }
        String message = status == 404 || status == 405 || status == 415 || e.getMessage() == null
                ? ErrorResponses.message(status) : e.getMessage();
        return ErrorResponses.of(status, ErrorResponses.code(status), message, null);
    }

    /**
     * The query parameter Jersey could not convert ({@code org.glassfish.jersey.server.ParamException.
     * QueryParamException}, read by name: the engine is compiled against the Jakarta APIs only); null for anything
     * else.
     */
    static String queryParameter(WebApplicationException e) {
        if (!e.getClass().getName().equals("org.glassfish.jersey.server.ParamException$QueryParamException")) {
            return null;
        }
        try {
            Object name = e.getClass().getMethod("getParameterName").invoke(e);
            return name instanceof String text && !text.isBlank() ? text : null;
        } catch (ReflectiveOperationException | RuntimeException unreadable) {
            return null;
        }
    }
}
