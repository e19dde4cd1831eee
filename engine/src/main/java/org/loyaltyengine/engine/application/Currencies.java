package org.loyaltyengine.engine.application;

import java.util.Currency;

import org.loyaltyengine.engine.domain.DomainException;

/** Currency codes as callers give them. */
final class Currencies {

    private Currencies() {
    }

    /** @throws DomainException {@code unknown_currency} (400) for a code that is not ISO 4217 */
    static Currency require(String code) {
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw DomainException.invalid("unknown_currency", "currency", code + " is not an ISO 4217 currency code");
        }
    }
}
