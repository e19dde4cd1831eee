package org.loyaltyengine.engine.infrastructure.persistence;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import org.loyaltyengine.engine.domain.sale.SaleLine;
import org.loyaltyengine.engine.domain.sale.SaleLines;

/**
 * Keeps a sale's lines in its row's {@code receipt_lines} column, as a JSON array in the receipt's order:
 * {@code [{"sku":"COF-250","category":"coffee","quantity":2,"unitPrice":4.50}]}. The unit price keeps the
 * receipt's decimals.
 */
@Converter(autoApply = true)
public class SaleLinesColumn implements AttributeConverter<SaleLines, String> {

    @Override
    public String convertToDatabaseColumn(SaleLines lines) {
        return lines == null ? null : write(lines.lines());
    }

    @Override
    public SaleLines convertToEntityAttribute(String json) {
        return json == null ? null : new SaleLines(read(json));
    }

    /** The lines as the column holds them, for plain JDBC (the migration, the benchmark's data generator). */
    public static String write(List<SaleLine> lines) {
        StringWriter json = new StringWriter(64 * lines.size() + 2);
        try (JsonGenerator array = JsonColumns.GENERATORS.createGenerator(json)) {
            array.writeStartArray();
            for (SaleLine line : lines) {
                array.writeStartObject()
                        .write("sku", line.sku())
                        .write("category", line.category())
                        .write("quantity", line.quantity())
                        .write("unitPrice", new BigDecimal(line.unitPrice().toPlainString()))
                        .writeEnd();
            }
            array.writeEnd();
        }
        return json.toString();
    }

    /** The lines of a column's value, for plain JDBC (the favourite categories of KnowledgeStore on Derby). */
    public static List<SaleLine> read(String json) {
        try (var reader = JsonColumns.READERS.createReader(new StringReader(json))) {
            List<SaleLine> lines = new ArrayList<>();
            for (JsonValue value : reader.readArray()) {
                JsonObject line = value.asJsonObject();
                lines.add(new SaleLine(line.getString("sku"), line.getString("category"), line.getInt("quantity"),
                        line.getJsonNumber("unitPrice").bigDecimalValue()));
            }
            return lines;
        }
    }
}
