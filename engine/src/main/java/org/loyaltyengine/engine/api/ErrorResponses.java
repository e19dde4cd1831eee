package org.loyaltyengine.engine.api;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Builds the contract's error shape, {@code {"error","message","field"}}, with {@code field} always present
 * ({@code null} when no single input is at fault).
 */
final class ErrorResponses {

    private ErrorResponses() {
    }

    static Response of(int status, String error, String message, String field) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("error", error).add("message", message);
        if (field == null) {
            body.addNull("field");
        } else {
            body.add("field", field);
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body.build().toString()).build();
    }

    /** {@code rules_invalid} with {@code "errors":[{"source","line","column","message"}]}. */
    static Response ruleErrors(int status, org.loyaltyengine.engine.application.RulesInvalidException e) {
        jakarta.json.JsonArrayBuilder errors = Json.createArrayBuilder();
        e.errors().forEach(error -> errors.add(Json.createObjectBuilder().add("source", error.source())
                .add("line", error.line()).add("column", error.column()).add("message", error.message())));
        JsonObjectBuilder body = Json.createObjectBuilder().add("error", e.code()).add("message", e.getMessage())
                .add("field", e.field()).add("errors", errors);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body.build().toString()).build();
    }
}
