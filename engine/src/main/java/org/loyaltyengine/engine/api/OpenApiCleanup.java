package org.loyaltyengine.engine.api;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Takes out of the OpenAPI document the values Payara writes into every schema declared by an annotation
 * ({@link ApiError}'s): each annotation attribute left to its default becomes a constraint, among them {@code maxProperties: 0}, which would tell a generated client that an
 * answer has no properties at all. The engine declares none of those constraints, so a zero or a false there is
 * never meant (configured as {@code mp.openapi.filter}).
 */
public class OpenApiCleanup implements OASFilter {

    /**
     * Names the answers of an operation that declares none ({@code @APIResponses}): Payara writes the method's
     * return type as its {@code default} answer, which tells a generated client that every error is a success. The
     * returned type is the 200 answer (what JAX-RS answers for a method returning an entity), a method returning a
     * {@code Response} of its own choosing answers some 2XX, and {@code default} is the contract's error shape.
     */
    @Override
    public Operation filterOperation(Operation operation) {
        APIResponses responses = operation.getResponses();
        if (responses == null || responses.getAPIResponses() == null) {
            return operation;
        }
        Map<String, APIResponse> declared = responses.getAPIResponses();
        APIResponse only = declared.get(APIResponses.DEFAULT);
        if (declared.size() != 1 || only == null || isError(only)) {
            return operation;
        }
        responses.removeAPIResponse(APIResponses.DEFAULT);
        boolean typed = only.getContent() != null && only.getContent().getMediaTypes().values().stream()
                .anyMatch(media -> media.getSchema() != null && (media.getSchema().getRef() != null
                        || media.getSchema().getType() == Schema.SchemaType.ARRAY));
        responses.addAPIResponse(typed ? "200" : "2XX", only.description(typed ? "OK" : "Done"));
        boolean till = operation.getSecurity() != null && operation.getSecurity().stream()
                .anyMatch(requirement -> requirement.hasScheme("posKey"));
        responses.addAPIResponse(APIResponses.DEFAULT, OASFactory.createAPIResponse()
                .description(till ? ApiError.AT_THE_TILL : "Every error, in this shape (API.md, \"Errors\")")
                .content(OASFactory.createContent().addMediaType("application/json",
                        OASFactory.createMediaType().schema(OASFactory.createSchema()
                                .ref("#/components/schemas/Error")))));
        return operation;
    }

    private static boolean isError(APIResponse response) {
        return response.getContent() != null && response.getContent().getMediaTypes().values().stream()
                .anyMatch(media -> media.getSchema() != null && media.getSchema().getRef() != null
                        && media.getSchema().getRef().endsWith("/Error"));
    }

    @Override
    public Schema filterSchema(Schema schema) {
        if (Integer.valueOf(0).equals(schema.getMaxProperties())) {
            schema.setMaxProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinProperties())) {
            schema.setMinProperties(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinLength())) {
            schema.setMinLength(null);
        }
        if (Integer.valueOf(0).equals(schema.getMinItems())) {
            schema.setMinItems(null);
        }
        if (Boolean.FALSE.equals(schema.getExclusiveMaximum())) {
            schema.setExclusiveMaximum(null);
        }
        if (Boolean.FALSE.equals(schema.getExclusiveMinimum())) {
            schema.setExclusiveMinimum(null);
        }
        if (Boolean.FALSE.equals(schema.getUniqueItems())) {
            schema.setUniqueItems(null);
        }
        if (Boolean.FALSE.equals(schema.getNullable())) {
            schema.setNullable(null);
        }
        if (Boolean.FALSE.equals(schema.getReadOnly())) {
            schema.setReadOnly(null);
        }
        if (Boolean.FALSE.equals(schema.getWriteOnly())) {
            schema.setWriteOnly(null);
        }
        if (Boolean.FALSE.equals(schema.getDeprecated())) {
            schema.setDeprecated(null);
        }
        return schema;
    }
}
