package org.loyaltyengine.engine.api;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

/**
 * JSON binding of requests and answers. A field the contract does not know is refused rather than ignored: a
 * till that misspells {@code redeemPoints} must hear about it, not have its customer pay in cash unawares.
 */
@Provider
public class JsonbConfiguration implements ContextResolver<Jsonb> {

    // Yasson's switch; other JSON-B implementations ignore an unknown property.
    private static final String FAIL_ON_UNKNOWN_PROPERTIES = "jsonb.fail-on-unknown-properties";

    private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig().setProperty(FAIL_ON_UNKNOWN_PROPERTIES, true));

    @Override
    public Jsonb getContext(Class<?> type) {
        return jsonb;
    }
}
