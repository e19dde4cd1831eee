package org.loyaltyengine.engine.application;

import java.util.Currency;

import org.loyaltyengine.engine.domain.DomainException;

/** Currency codes as callers give them. */
final class Currencies {

    private Currencies() {
    }

    /**
     * A currency a programme can count purchases in: ISO 4217 and money, not one of the codes without a minor unit
     * ({@code XXX} "no currency", {@code XTS} for testing, gold, special drawing rights).
     *
     * @throws DomainException {@code unknown_currency} (400) otherwise
     */
    static Currency requireMoney(String code) {
        Currency currency = require(code);
        if (currency.getDefaultFractionDigits() < 0) {
            throw DomainException.invalid("unknown_currency", "currency", code + " (" + currency.getDisplayName(
                    java.util.Locale.ENGLISH) + ") is not a currency purchases are paid in");
        }
        return currency;
    }

    /** @throws DomainException {@code unknown_currency} (400) for a code that is not ISO 4217 */
    static Currency require(String code) {
        try {
            return Currency.getInstance(code);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw DomainException.invalid("unknown_currency", "currency", code + " is not an ISO 4217 currency code");
        }
    }

    /**
     * An amount as the contract writes money: with the currency's decimals ("53.50", "20.00"; "1200" in yen), never
     * more; an amount with more (none is kept) keeps its own.
     */
    static String amount(java.math.BigDecimal value, String currencyCode) {
        int digits = Math.max(0, Currency.getInstance(currencyCode).getDefaultFractionDigits());
        java.math.BigDecimal plain = value.stripTrailingZeros();
        return (plain.scale() > digits ? plain : value.setScale(digits, java.math.RoundingMode.UNNECESSARY))
                .toPlainString();
    }
}
