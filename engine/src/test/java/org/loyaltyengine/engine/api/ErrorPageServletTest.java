package org.loyaltyengine.engine.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which container-level "not found" may mean "the API is not mapped yet" (answered 503, to be sent again) rather than
 * "nothing here" (404): only an address that resolves under the API, as the container resolves it.
 */
class ErrorPageServletTest {

    @ParameterizedTest(name = "{0} under the API: {1}")
    @CsvSource({
            "/api/v1/pos/transactions, true",
            "/api/v1/pos/cards/2900000000018, true",
            "/api/v1/pos/transactions/t-123/returns, true",
            "/api/v1/pos/./transactions, true",
            "/api/v1/pos/transactions/../../../../etc/passwd/returns, false",
            "/api/v1/pos/%2e%2e/%2e%2e/%2E%2E/etc/passwd, false",
            "/api/v1/../v1/pos/transactions, true",
            "/../api/v1/pos/transactions, false",
            "/api/v1, true",
            "/api/v1/, true",
            "/api/v2/pos/transactions, false",
            "/api/v10/pos, false",
            "/account/, false",
            "/api/v1/pos/%zz, false"
    })
    void onlyAddressesThatResolveUnderTheApi(String path, boolean underApi) {
        assertThat(ErrorPageServlet.underApi(path)).isEqualTo(underApi);
    }
}
