package org.loyaltyengine.engine.api;

import java.lang.reflect.Type;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.serializer.DeserializationContext;
import jakarta.json.bind.serializer.JsonbDeserializer;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * JSON binding of requests and answers. A field the contract does not know is refused rather than ignored: a
 * till that misspells {@code redeemPoints} must hear about it, not have its customer pay in cash unawares. A text
 * field given a number, a boolean, an array or an object is refused too ({@code "sku": 42} is a till's bug, not
 * the text "42").
 */
@Provider
public class JsonbConfiguration implements ContextResolver<Jsonb> {

    // Yasson's switch; other JSON-B implementations ignore an unknown property.
    private static final String FAIL_ON_UNKNOWN_PROPERTIES = "jsonb.fail-on-unknown-properties";

    /** One for the application: the bindings it learns for each class serve every request (and the warm-up). */
    static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().setProperty(FAIL_ON_UNKNOWN_PROPERTIES, true)
            .withDeserializers(new StrictText()));

    @Override
    public Jsonb getContext(Class<?> type) {
        return JSONB;
    }

    /**
     * Text only from JSON strings, and without control characters other than tab and line breaks: a NUL byte is
     * nobody's card, receipt or reason (and PostgreSQL cannot store it).
     */
    static final class StrictText implements JsonbDeserializer<String> {

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context, Type type) {
            jakarta.json.JsonValue value = parser.getValue();
            return switch (value.getValueType()) {
                case STRING -> withoutControls(((jakarta.json.JsonString) value).getString());
                case NULL -> null;
                default -> throw new JsonbException("Expected a JSON string, found "
                        + value.getValueType().name().toLowerCase(java.util.Locale.ROOT));
            };
        }

        private static String withoutControls(String text) {
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F) {
                    throw new JsonbException("Text may not contain the control character U+"
                            + String.format("%04X", (int) c));
                }
            }
            return text;
        }
    }
}
