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
 * the text "42"). A whole-number field (points, a quantity, days) given a fraction is refused too: {@code 1.7}
 * points is a caller's mistake, which JSON-B on its own would cut to 1 without a word; {@code 2.0} is 2. A yes-or-no
 * field given anything but {@code true} or {@code false} is refused: JSON-B on its own read {@code "yes"} and
 * {@code 1} as false, so a customer's {@code {"email":"yes"}} recorded a withdrawn consent.
 */
@Provider
public class JsonbConfiguration implements ContextResolver<Jsonb> {

    // Yasson's switch; other JSON-B implementations ignore an unknown property.
    private static final String FAIL_ON_UNKNOWN_PROPERTIES = "jsonb.fail-on-unknown-properties";

    /** One for the application: the bindings it learns for each class serve every request (and the warm-up). */
    static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().setProperty(FAIL_ON_UNKNOWN_PROPERTIES, true)
            .withDeserializers(new StrictText(), new WholeInteger(), new WholeLong(), new StrictBoolean()));

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

    /** Yes or no only from JSON {@code true} and {@code false} (and the text {@code "true"}, {@code "false"}). */
    static final class StrictBoolean implements JsonbDeserializer<Boolean> {

        @Override
        public Boolean deserialize(JsonParser parser, DeserializationContext context, Type type) {
            jakarta.json.JsonValue value = parser.getValue();
            return switch (value.getValueType()) {
                case TRUE -> Boolean.TRUE;
                case FALSE -> Boolean.FALSE;
                case NULL -> null;
                case STRING -> switch (((jakarta.json.JsonString) value).getString()) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new JsonbException("Expected true or false, found text");
                };
                default -> throw new JsonbException("Expected true or false, found "
                        + value.getValueType().name().toLowerCase(java.util.Locale.ROOT));
            };
        }
    }

    /** A fraction where a whole number is expected: 400 {@code invalid_field} naming the field. */
    static final class NotWholeNumber extends JsonbException {

        NotWholeNumber(String message) {
            super(message);
        }
    }

    /** Integers only from whole JSON numbers (2 or 2.0, not 1.5), within an int's range. */
    static final class WholeInteger implements JsonbDeserializer<Integer> {

        @Override
        public Integer deserialize(JsonParser parser, DeserializationContext context, Type type) {
            java.math.BigDecimal value = whole(parser.getValue());
            if (value == null) {
                return null;
            }
            try {
                return value.intValueExact();
            } catch (ArithmeticException e) {
                throw new JsonbException("The number " + value.toPlainString() + " is too large", e);
            }
        }
    }

    /** Longs only from whole JSON numbers, within a long's range. */
    static final class WholeLong implements JsonbDeserializer<Long> {

        @Override
        public Long deserialize(JsonParser parser, DeserializationContext context, Type type) {
            java.math.BigDecimal value = whole(parser.getValue());
            if (value == null) {
                return null;
            }
            try {
                return value.longValueExact();
            } catch (ArithmeticException e) {
                throw new JsonbException("The number " + value.toPlainString() + " is too large", e);
            }
        }
    }

    /** The JSON number as a decimal with no fraction; null for JSON null. */
    private static java.math.BigDecimal whole(jakarta.json.JsonValue value) {
        java.math.BigDecimal number = switch (value.getValueType()) {
            case NUMBER -> ((jakarta.json.JsonNumber) value).bigDecimalValue();
            // JSON-B's own binding took a number in a string ("2"); that stays, with the same check.
            case STRING -> {
                try {
                    yield new java.math.BigDecimal(((jakarta.json.JsonString) value).getString().strip());
                } catch (NumberFormatException e) {
                    throw new JsonbException("Expected a number, found text", e);
                }
            }
            case NULL -> null;
            default -> throw new JsonbException("Expected a JSON number, found "
                    + value.getValueType().name().toLowerCase(java.util.Locale.ROOT));
        };
        if (number != null && number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
            throw new NotWholeNumber("Expected a whole number, found " + number.toPlainString());
        }
        return number;
    }
}
