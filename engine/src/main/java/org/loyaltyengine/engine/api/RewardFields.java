package org.loyaltyengine.engine.api;

import java.io.StringReader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.loyaltyengine.engine.application.ProgrammeAdministration;
import org.loyaltyengine.engine.domain.DomainException;

/**
 * The fields of a reward's edit ({@code PUT …/rewards/{id}}) as sent: one left out keeps the reward's value, one
 * sent as null clears it. A script that sends a new price only no longer takes off the reward's tier, stock and
 * days, as it did when the edit was the whole reward. Each field is checked as the contract's bodies are: a wrong
 * one is 400 naming it, a field the contract does not know is 400 {@code unknown_field}.
 */
final class RewardFields {

    private static final Set<String> KNOWN = Set.of("name", "points", "tier", "stock", "validFrom", "validUntil",
            "stockWas");

    private final JsonObject body;

    RewardFields(JsonObject body) {
        this.body = body;
        for (String key : body.keySet()) {
            if (!KNOWN.contains(key)) {
                throw DomainException.invalid("unknown_field", key, "The field '" + key
                        + "' is not part of the contract");
            }
        }
    }

    /** The body as a JSON object; anything else is 400 {@code malformed_body}. */
    static JsonObject object(String text) {
        if (text == null || text.isBlank()) {
            throw DomainException.invalid("invalid_field", null, "The request body is required");
        }
        try (var reader = Json.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw DomainException.invalid("malformed_body", null, "The body is a JSON object of the reward's"
                        + " fields");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw DomainException.invalid("malformed_body", null, "The body is not valid JSON for this request");
        }
    }

    String name(String was) {
        if (!body.containsKey("name")) {
            return was;
        }
        String name = string("name");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw DomainException.invalid("invalid_field", "name", "name is 1 to 200 characters");
        }
        return name;
    }

    long points(long was) {
        if (!body.containsKey("points")) {
            return was;
        }
        Long points = count("points", 1, ProgrammeAdministration.MAX_REWARD_PRICE, null);
        if (points == null) {
            throw DomainException.invalid("invalid_field", "points", "points is required: 1 to "
                    + ProgrammeAdministration.MAX_REWARD_PRICE);
        }
        return points;
    }

    String text(String field, int most, String was) {
        if (!body.containsKey(field)) {
            return was;
        }
        String value = string(field);
        if (value != null && value.length() > most) {
            throw DomainException.invalid("invalid_field", field, field + " is at most " + most + " characters");
        }
        return value;
    }

    /** A whole number from {@code least} to {@code most}, null when sent as null, {@code was} when left out. */
    Long count(String field, long least, long most, Long was) {
        if (!body.containsKey(field)) {
            return was;
        }
        JsonValue value = body.get(field);
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        // As the other bodies take a whole number: 650, 650.0, 6.5E2 or "650"; a fraction is no whole number.
        java.math.BigDecimal decimal;
        try {
            decimal = value instanceof JsonNumber number ? number.bigDecimalValue()
                    : value instanceof JsonString text ? new java.math.BigDecimal(text.getString().strip()) : null;
        } catch (NumberFormatException e) {
            decimal = null;
        }
        if (decimal == null) {
            throw DomainException.invalid("malformed_body", field, "The field '" + field + "' is a whole number");
        }
        if (decimal.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                || decimal.stripTrailingZeros().scale() > 0) {
            throw DomainException.invalid("invalid_field", field, field + " is a whole number from " + least + " to "
                    + most);
        }
        java.math.BigInteger whole = decimal.toBigIntegerExact();
        if (whole.compareTo(java.math.BigInteger.valueOf(least)) < 0
                || whole.compareTo(java.math.BigInteger.valueOf(most)) > 0) {
            throw DomainException.invalid("invalid_field", field, field + " is " + least + " to " + most);
        }
        return whole.longValue();
    }

    LocalDate day(String field, LocalDate was) {
        if (!body.containsKey(field)) {
            return was;
        }
        String value = string(field);
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw DomainException.invalid("invalid_field", field, field + " is a day such as 2026-12-24");
        }
    }

    private String string(String field) {
        JsonValue value = body.get(field);
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (!(value instanceof JsonString text)) {
            throw DomainException.invalid("malformed_body", field, "The field '" + field + "' is a text");
        }
        return text.getString();
    }
}
