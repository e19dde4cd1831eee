package org.loyaltyengine.engine.api;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A body that is not valid JSON, or whose values have the wrong type, or that has a field the contract does not
 * know: 400 {@code malformed_body}, naming the field when the JSON binding says which. A fraction given for a whole
 * number is 400 {@code invalid_field}: the body is well formed, the value is not one the field takes.
 */
@Provider
public class BodyExceptionMapper implements ExceptionMapper<JsonbException> {

    // Yasson's wording: "Unable to deserialize property 'quantity' because of: ..."
    private static final Pattern PROPERTY = Pattern.compile("deserialize property '([A-Za-z0-9_]+)'");
    // Yasson's wording: "Json property redeemPoint can not be mapped to a class ..."
    private static final Pattern UNKNOWN = Pattern.compile("Json property ([A-Za-z0-9_]+) can not be mapped");

    @Override
    public Response toResponse(JsonbException e) {
        return malformed(e);
    }

    static Response malformed(Throwable e) {
        ApiError problem = problem(e);
        return ErrorResponses.of(400, problem.error(), problem.message(), problem.field());
    }

    /** The 400's code, message and field for what the JSON binding refused. */
    static ApiError problem(Throwable e) {
        List<String> path = new ArrayList<>();
        String unknown = null;
        String notWhole = null;
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonbConfiguration.NotWholeNumber) {
                notWhole = cause.getMessage();
            }
            String message = cause.getMessage() == null ? "" : cause.getMessage();
            Matcher property = PROPERTY.matcher(message);
            if (property.find() && !path.contains(property.group(1))) {
                path.add(property.group(1));
            }
            Matcher unknownField = UNKNOWN.matcher(message);
            if (unknownField.find()) {
                unknown = unknownField.group(1);
            }
        }
        if (unknown != null) {
            return new ApiError("unknown_field", "The field '" + unknown + "' is not part of the contract", unknown,
                    null);
        }
        String field = path.isEmpty() ? null : String.join(".", path);
        if (notWhole != null) {
            return new ApiError("invalid_field", (field == null ? "A field" : "'" + field + "'")
                    + " takes a whole number: " + notWhole.substring(notWhole.indexOf("found ") + 6)
                    + " has a fraction", field, null);
        }
        String message = field == null
                ? "The body is not valid JSON for this request"
                : "The value of '" + field + "' is malformed or of the wrong type";
        return new ApiError("malformed_body", message, field, null);
    }
}
