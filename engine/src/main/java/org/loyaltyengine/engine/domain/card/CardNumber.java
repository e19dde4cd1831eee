package org.loyaltyengine.engine.domain.card;

import java.util.Objects;

import org.loyaltyengine.engine.domain.DomainException;

/**
 * A loyalty card number: an EAN-13 in the in-store range (first digit 2) with a correct check digit, the form
 * printed under the barcode of every card the engine issues.
 */
public final class CardNumber {

    private final String digits;

    private CardNumber(String digits) {
        this.digits = digits;
    }

    /**
     * Parses a card number as typed or scanned.
     *
     * @throws DomainException ({@code invalid_card_number}) when the text is not 13 digits, is outside the
     *                         in-store range or has a wrong check digit
     */
    public static CardNumber parse(String text) {
        String value = text == null ? "" : text.strip();
        if (!value.matches("\\d{13}")) {
            throw invalid(value, "a card number has 13 digits");
        }
        if (value.charAt(0) != '2') {
            throw invalid(value, "loyalty card numbers start with 2 (the in-store range)");
        }
        if (checkDigit(value.substring(0, 12)) != value.charAt(12) - '0') {
            throw invalid(value, "its check digit is wrong");
        }
        return new CardNumber(value);
    }

    /** The card number made of a 12-digit body and its computed check digit. */
    public static CardNumber fromBody(String twelveDigits) {
        if (!twelveDigits.matches("2\\d{11}")) {
            throw new IllegalArgumentException("A card number body is 12 digits starting with 2: " + twelveDigits);
        }
        return new CardNumber(twelveDigits + checkDigit(twelveDigits));
    }

    /** The EAN-13 check digit of the first 12 digits: weights 1 and 3 alternating from the left. */
    static int checkDigit(String twelveDigits) {
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            int digit = twelveDigits.charAt(i) - '0';
            sum += (i % 2 == 0) ? digit : digit * 3;
        }
        return (10 - sum % 10) % 10;
    }

    private static DomainException invalid(String value, String why) {
        return new DomainException(DomainException.Kind.INVALID, "invalid_card_number",
                "'" + value + "' is not a loyalty card number: " + why, "cardNumber");
    }

    public String value() {
        return digits;
    }

    public String lastFour() {
        return digits.substring(9);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CardNumber that && digits.equals(that.digits);
    }

    @Override
    public int hashCode() {
        return Objects.hash(digits);
    }

    @Override
    public String toString() {
        return digits;
    }
}
