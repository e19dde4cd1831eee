package org.loyaltyengine.pos.scan;

import static org.assertj.core.api.Assertions.assertThat;

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
            "2900000000019       | INVALID | 2900000000019",
            "4006381333931       | PRODUCT | 4006381333931",
            "036000291452        | PRODUCT | 0036000291452",
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
}
