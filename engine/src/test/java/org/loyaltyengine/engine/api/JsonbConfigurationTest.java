package org.loyaltyengine.engine.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbException;

import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.application.MemberOverview;
import org.loyaltyengine.engine.application.SaleResult;

class JsonbConfigurationTest {

    private final Jsonb jsonb = new JsonbConfiguration().getContext(SaleRequest.class);

    private static final String SALE = "{\"cardNumber\":\"2900000000018\",\"storeId\":\"S001\",\"terminalId\":\"T1\","
            + "\"receiptId\":\"R-1\",\"occurredAt\":\"2026-11-23T10:15:00+01:00\",\"currency\":\"EUR\","
            + "\"lines\":[{\"sku\":%s,\"category\":\"coffee\",\"quantity\":2,\"unitPrice\":\"4.50\"}],"
            + "\"redeemPoints\":0,\"offerIds\":[]}";

    @Test
    void readsTheContractsSaleAndLogin() {
        SaleRequest sale = jsonb.fromJson(SALE.formatted("\"COF-250\""), SaleRequest.class);
        assertThat(sale.lines().get(0).sku()).isEqualTo("COF-250");
        assertThat(sale.receiptId()).isEqualTo("R-1");
        LoginRequest login = jsonb.fromJson("{\"email\":\"claire@demo.local\",\"password\":\"claire-demo\"}",
                LoginRequest.class);
        assertThat(login.email()).isEqualTo("claire@demo.local");
    }

    @Test
    void refusesANumberBooleanOrStructureWhereTextIsExpected() {
        for (String wrong : new String[] {"42", "true", "[\"COF\"]", "{\"a\":1}"}) {
            assertThatThrownBy(() -> jsonb.fromJson(SALE.formatted(wrong), SaleRequest.class))
                    .as(wrong).isInstanceOf(JsonbException.class);
        }
    }

    @Test
    void aYesOrNoIsTrueOrFalseAndNothingElse() {
        assertThat(jsonb.fromJson("{\"email\":true,\"sms\":false,\"post\":null}", MeResource.ConsentsRequest.class))
                .isEqualTo(new MeResource.ConsentsRequest(true, false, null));
        assertThat(jsonb.fromJson("{\"email\":\"true\"}", MeResource.ConsentsRequest.class).email()).isTrue();
        for (String wrong : new String[] {"\"yes\"", "1", "0", "\"TRUE\"", "[true]", "{}"}) {
            assertThatThrownBy(() -> jsonb.fromJson("{\"email\":" + wrong + "}", MeResource.ConsentsRequest.class))
                    .as(wrong).isInstanceOf(JsonbException.class);
        }
    }

    @Test
    void refusesControlCharactersInText() {
        assertThatThrownBy(() -> jsonb.fromJson(SALE.formatted("\"COF\\u0000250\""), SaleRequest.class))
                .isInstanceOf(JsonbException.class).hasMessageContaining("U+0000");
        assertThat(jsonb.fromJson(SALE.formatted("\"COF\\t250\""), SaleRequest.class).lines().get(0).sku())
                .isEqualTo("COF\t250");
    }

    @Test
    void keepsAbsentAndNullTextAsNull() {
        SaleRequest sale = jsonb.fromJson(SALE.formatted("null").replace("\"terminalId\":\"T1\",", ""),
                SaleRequest.class);
        assertThat(sale.terminalId()).isNull();
        assertThat(sale.lines().get(0).sku()).isNull();
    }

    @Test
    void writesTheKeysApiMdNamesEvenWhenNullAndLeavesOutWhatItDoesNotName() {
        Jsonb answers = new JsonbConfiguration().getContext(Object.class);
        String top = answers.toJson(new MemberOverview.TierProgress("GOLD", null, 6_000, 0,
                LocalDate.parse("2027-11-23"), 365, null, null));
        assertThat(top).contains("\"nextTier\":null").as("no points to leave: left out").doesNotContain("nextLeaving");

        String quote = answers.toJson(new SaleResult(null, 22, 0, "0.00", 1_262, 0, "SILVER", List.of(), List.of(),
                Boolean.TRUE));
        assertThat(quote).contains("\"transactionId\":null").contains("\"quote\":true");
        String sale = answers.toJson(new SaleResult("t-1", 22, 0, "0.00", 1_262, 0, "SILVER", List.of(), List.of(),
                null));
        assertThat(sale).contains("\"transactionId\":\"t-1\"").doesNotContain("quote");
        // The answers kept with the sales are written with JSON-B's defaults (SaleRecorder): the same keys.
        assertThat(jakarta.json.bind.JsonbBuilder.create().toJson(new SaleResult(null, 22, 0, "0.00", 1_262, 0,
                "SILVER", List.of(), List.of(), Boolean.TRUE))).contains("\"transactionId\":null");
    }

    @Test
    void refusesAFractionForAWholeNumberAndNamesTheField() {
        for (String wrong : new String[] {"1.7", "0.5", "-3.25", "2.000001"}) {
            assertThatThrownBy(() -> jsonb.fromJson("{\"points\":" + wrong + ",\"reason\":\"r\"}",
                    Requests.AdjustmentRequest.class)).as(wrong).isInstanceOf(JsonbException.class)
                    .satisfies(e -> assertThat(BodyExceptionMapper.problem(e)).extracting(ApiError::error,
                            ApiError::field).containsExactly("invalid_field", "points"));
        }
        assertThatThrownBy(() -> jsonb.fromJson(SALE.formatted("\"COF-250\"").replace("\"quantity\":2",
                "\"quantity\":1.9"), SaleRequest.class))
                .satisfies(e -> assertThat(BodyExceptionMapper.problem(e)).extracting(ApiError::error,
                        ApiError::field).containsExactly("invalid_field", "lines.quantity"));
        assertThatThrownBy(() -> jsonb.fromJson("{\"name\":\"Demo\",\"pointsExpireAfterDays\":1.5,"
                + "\"pendingDays\":0,\"pointValue\":\"0.01\",\"tierWindowDays\":365}",
                Requests.ProgrammeEdit.class))
                .satisfies(e -> assertThat(BodyExceptionMapper.problem(e)).extracting(ApiError::error,
                        ApiError::field).containsExactly("invalid_field", "pointsExpireAfterDays"));
    }

    @Test
    void takesAWholeNumberWrittenWithAFractionOfZerosAsThatNumber() {
        assertThat(jsonb.fromJson("{\"points\":2.0,\"reason\":\"r\"}", Requests.AdjustmentRequest.class).points())
                .isEqualTo(2L);
        assertThat(jsonb.fromJson("{\"points\":-120,\"reason\":\"r\"}", Requests.AdjustmentRequest.class)
                .points()).isEqualTo(-120L);
        assertThat(jsonb.fromJson("{\"points\":1E2,\"reason\":\"r\"}", Requests.AdjustmentRequest.class).points())
                .isEqualTo(100L);
        assertThat(jsonb.fromJson(SALE.formatted("\"COF-250\"").replace("\"quantity\":2", "\"quantity\":3.00"),
                SaleRequest.class).lines().get(0).quantity()).isEqualTo(3);
        assertThat(jsonb.fromJson("{\"points\":null,\"reason\":\"r\"}", Requests.AdjustmentRequest.class).points())
                .isNull();
        assertThatThrownBy(() -> jsonb.fromJson(SALE.formatted("\"COF-250\"").replace("\"quantity\":2",
                "\"quantity\":3000000000"), SaleRequest.class)).isInstanceOf(JsonbException.class);
    }
}
