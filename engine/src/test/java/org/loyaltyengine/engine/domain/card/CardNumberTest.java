package org.loyaltyengine.engine.domain.card;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.loyaltyengine.engine.domain.DomainException;

class CardNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"2900000000018", "2900000000025", "2900000000032", " 2900000000018 "})
    void theDemoCardsAreValidInStoreNumbers(String text) {
        assertThat(CardNumber.parse(text).value()).isEqualTo(text.strip());
    }

    @Test
    void aWrongCheckDigitIsRefusedNamingTheField() {
        assertThatThrownBy(() -> CardNumber.parse("2900000000019"))
                .isInstanceOfSatisfying(DomainException.class, e -> {
                    assertThat(e.code()).isEqualTo("invalid_card_number");
                    assertThat(e.field()).isEqualTo("cardNumber");
                    assertThat(e.getMessage()).contains("check digit");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"4006381333931", "290000000001", "29000000000181", "29000000000A8", ""})
    void productCodesAndMalformedNumbersAreNotCards(String text) {
        assertThatThrownBy(() -> CardNumber.parse(text)).isInstanceOf(DomainException.class);
    }

    @Test
    void aNumberBuiltFromItsBodyGetsItsCheckDigit() {
        CardNumber number = CardNumber.fromBody("290000000001");

        assertThat(number.value()).isEqualTo("2900000000018");
        assertThat(number.lastFour()).isEqualTo("0018");
    }
}
