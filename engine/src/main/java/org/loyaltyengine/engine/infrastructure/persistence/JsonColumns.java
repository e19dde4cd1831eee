package org.loyaltyengine.engine.infrastructure.persistence;

import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonReaderFactory;
import jakarta.json.stream.JsonGeneratorFactory;

/** The JSON factories of the columns that keep a list as one value (looking a provider up costs more than a row). */
final class JsonColumns {

    static final JsonGeneratorFactory GENERATORS = Json.createGeneratorFactory(Map.of());

    static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private JsonColumns() {
    }
}
