package org.loyaltyengine.pos.scan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScannedCodeTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
            "2900000000018       | CARD    | 2900000000018",
            "]E02900000000018    | CARD    | 2900000000018",
            "]C12900000000018    | CARD    | 2900000000018",
            "]Q1 2900000000018   | CARD    | 2900000000018",
            "  2900000000025  \t | CARD    | 2900000000025",
            "2900 0000 0001 8    | CARD    | 2900000000018",
            "2900-0000-0001-8    | CARD    | 2900000000018",
            "2900 0000 0001 9    | INVALID | 2900000000019",
            "4006-3813-3393-1    | PRODUCT | 4006381333931",
            "2900 0000 0001 8a   | INVALID | 2900 0000 0001 8a",
            "' - '               | INVALID | -",
            "2900000000019       | INVALID | 2900000000019",
            "4006381333931       | PRODUCT | 4006381333931",
            "036000291452        | PRODUCT | 0036000291452",
            "290000000018        | INVALID | 290000000018",
            "96385074            | PRODUCT | 96385074",
            "9912345678909       | COUPON  | 9912345678909",
            "hello world         | INVALID | hello world",
            "12345               | INVALID | 12345",
            "''                  | INVALID | ''"})
    void scansAreToldApartBeforeAnythingIsSent(String scanned, ScannedCode.Kind kind, String text) {
        ScannedCode code = ScannedCode.fromScanner(scanned);

        assertThat(code.kind()).isEqualTo(kind);
        assertThat(code.text()).isEqualTo(text);
        assertThat(code.isCard() ? code.reason() : code.reason()).satisfies(reason -> {
            if (kind != ScannedCode.Kind.CARD) {
                assertThat(reason).isNotBlank();
            }
        });
    }

    @Test
    void aCardNumberTypedADigitShortIsSaidSoNotReadAsAProductWithALeadingZero() {
        ScannedCode typed = ScannedCode.fromScanner("290000000018");

        assertThat(typed.reason()).isEqualTo("Not a loyalty card: 290000000018 has 12 digits, a card number has 13"
                + " (a digit missed?): type it again, or scan the card");
    }

    /** The codes one picture holds, {@code FORMAT:TEXT} apart by blanks, and the card taken among them ("-": none). */
    @ParameterizedTest(name = "{0} gives {1}")
    @CsvSource(delimiter = '|', value = {
            "EAN_13:2212345012503 CODE_128:2900000000018        | 2900000000018",
            "EAN_13:2212345012503 QR_CODE:2900000000025         | 2900000000025",
            "EAN_13:2812345009956 EAN_13:2900000000018          | 2900000000018",
            "EAN_13:4006381333931 CODE_128:2900000000018        | 2900000000018",
            "CODE_128:2900000000018 EAN_13:2900000000018        | 2900000000018",
            "EAN_13:2900000000018 EAN_13:2900000000025          | -",
            "QR_CODE:2900000000018 CODE_128:2900000000025       | -",
            "EAN_13:2212345012503 EAN_13:2812345009956          | -",
            "EAN_13:4006381333931                               | -"})
    void theCardOfAPictureIsTheOneCardsAreIssuedAsElseTheCashierScansItAlone(String codes, String card) {
        java.util.List<ScannedCode> read = java.util.Arrays.stream(codes.split(" ")).map(code -> code.split(":"))
                .map(code -> ScannedCode.classify(code[1], code[0])).toList();

        ScannedCode taken = ScannedCode.inPicture(read);

        assertThat(taken.isCard() ? taken.text() : "-").isEqualTo(card);
        if (!taken.isCard() && read.stream().filter(ScannedCode::isCard).count() > 1) {
            assertThat(taken.reason()).startsWith("Several loyalty cards in the picture")
                    .endsWith("scan the card alone");
        }
    }
}
