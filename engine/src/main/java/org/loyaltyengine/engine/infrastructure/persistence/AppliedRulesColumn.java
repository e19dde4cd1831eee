package org.loyaltyengine.engine.infrastructure.persistence;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import org.loyaltyengine.engine.domain.ledger.AppliedRule;
import org.loyaltyengine.engine.domain.ledger.AppliedRules;

/**
 * Keeps an earn entry's rule shares in its row's {@code applied_rules} column, as a JSON array in the order the
 * rules decided them: {@code [{"rule":"base-earn","points":9}]}. Entries without shares keep NULL.
 */
@Converter(autoApply = true)
public class AppliedRulesColumn implements AttributeConverter<AppliedRules, String> {

    @Override
    public String convertToDatabaseColumn(AppliedRules rules) {
        return rules == null || rules.shares().isEmpty() ? null : write(rules.shares());
    }

    @Override
    public AppliedRules convertToEntityAttribute(String json) {
        return json == null ? AppliedRules.NONE : new AppliedRules(read(json));
    }

    /** The shares as the column holds them, for plain JDBC (the migration, the benchmark's data generator). */
    public static String write(List<AppliedRule> shares) {
        StringWriter json = new StringWriter(40 * shares.size() + 2);
        try (JsonGenerator array = JsonColumns.GENERATORS.createGenerator(json)) {
            array.writeStartArray();
            for (AppliedRule share : shares) {
                array.writeStartObject().write("rule", share.rule()).write("points", share.points()).writeEnd();
            }
            array.writeEnd();
        }
        return json.toString();
    }

    static List<AppliedRule> read(String json) {
        try (var reader = JsonColumns.READERS.createReader(new StringReader(json))) {
            List<AppliedRule> shares = new ArrayList<>();
            for (JsonValue value : reader.readArray()) {
                JsonObject share = value.asJsonObject();
                shares.add(new AppliedRule(share.getString("rule"), share.getJsonNumber("points").longValueExact()));
            }
            return shares;
        }
    }
}
