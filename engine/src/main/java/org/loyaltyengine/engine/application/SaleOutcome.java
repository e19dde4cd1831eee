package org.loyaltyengine.engine.application;

/**
 * The answer to a recorded sale, as JSON, and whether it is a replay of a receipt recorded before (the API
 * answers 200 then, 201 the first time).
 */
public record SaleOutcome(String json, boolean replay) {
}
