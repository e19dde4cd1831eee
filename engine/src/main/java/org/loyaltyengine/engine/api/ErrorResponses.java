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

    /** The error code of a refusal that only has its HTTP status (the container's, JAX-RS's own). */
    static String code(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "body_too_large";
            case 414 -> "uri_too_long";
            case 415 -> "unsupported_media_type";
            case 503 -> "engine_unavailable";
            default -> status >= 500 ? "internal_error" : "request_refused";
        };
    }

    /** What to tell people of a refusal that only has its HTTP status. */
    static String message(int status) {
        return switch (status) {
            case 400 -> "The request is malformed";
            case 401 -> "Credentials are missing or not valid";
            case 403 -> "This caller may not do that";
            case 404 -> "There is nothing at this address";
            case 405 -> "This address does not accept this method";
            case 406 -> "The engine answers in JSON";
            case 413 -> "The request body is too large";
            case 414 -> "The address is too long";
            case 415 -> "Send the body as application/json";
            case 503 -> "The engine is not available; try again shortly";
            default -> status >= 500 ? "The engine could not complete the request" : "The request was refused";
        };
    }

    /**
     * {@code 500 rule_failed}: a live rule failed as it ran on this request, which wrote nothing. Adds
     * {@code ruleSet}, {@code rule} (when Drools named it), {@code source} and {@code line}.
     */
    static Response ruleFailed(org.loyaltyengine.rules.RuleFailedException e, String incident) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("error", "rule_failed")
                .add("message", (e.rule() == null ? "A rule" : "Rule \"" + e.rule() + "\"") + " of " + e.ruleSet()
                        + " failed as it ran (" + e.reason() + "); nothing was recorded. The programme's managers"
                        + " must mend the rule or roll the rules back; quote incident " + incident)
                .addNull("field").add("ruleSet", e.ruleSet()).add("source", e.source()).add("line", e.line());
        if (e.rule() != null) {
            body.add("rule", e.rule());
        }
        return Response.status(500).type(MediaType.APPLICATION_JSON_TYPE).entity(body.build().toString()).build();
    }

    /** {@code rules_invalid} with {@code "errors":[{"source","line","column","message","rule"}]} ({@code rule} when known). */
    static Response ruleErrors(int status, org.loyaltyengine.engine.application.RulesInvalidException e) {
        jakarta.json.JsonArrayBuilder errors = Json.createArrayBuilder();
        e.errors().forEach(error -> {
            JsonObjectBuilder problem = Json.createObjectBuilder().add("source", error.source())
                    .add("line", error.line()).add("column", error.column()).add("message", error.message());
            if (error.rule() != null) {
                problem.add("rule", error.rule());
            }
            errors.add(problem);
        });
        JsonObjectBuilder body = Json.createObjectBuilder().add("error", e.code()).add("message", e.getMessage())
                .add("field", e.field()).add("errors", errors);
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body.build().toString()).build();
    }
}
