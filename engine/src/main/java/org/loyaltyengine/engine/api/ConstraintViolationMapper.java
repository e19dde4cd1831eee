package org.loyaltyengine.engine.api;

import java.util.Comparator;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A request record that breaks its constraints: 400 {@code invalid_field} naming the first field at fault. */
@Provider
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {

    @Override
    public Response toResponse(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream()
                .min(Comparator.comparing(violation -> fieldOf(violation.getPropertyPath())))
                .orElse(null);
        if (first == null) {
            return ErrorResponses.of(400, "invalid_field", "The request is invalid", null);
        }
        String field = fieldOf(first.getPropertyPath());
        String message = field.isEmpty() ? "The request body is required" : field + " " + first.getMessage();
        return ErrorResponses.of(400, "invalid_field", message, field.isEmpty() ? null : field);
    }

    /** "record.request.lines[0].quantity" → "lines[0].quantity": drops the method and parameter nodes. */
    static String fieldOf(Path path) {
        StringBuilder field = new StringBuilder();
        int index = 0;
        for (Path.Node node : path) {
            index++;
            if (index <= 2 || node.getName() == null) {
                continue;
            }
            if (node.getIndex() != null && field.length() > 0) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (field.length() > 0) {
                field.append('.');
            }
            field.append(node.getName());
        }
        return field.toString();
    }
}
