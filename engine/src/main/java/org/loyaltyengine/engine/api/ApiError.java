package org.loyaltyengine.engine.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The contract's error shape (API.md, "Errors") as the OpenAPI document names it for every 4xx and 5xx answer;
 * the answers themselves are written by {@link ErrorResponses}.
 */
@Schema(name = "Error", description = "Every 4xx and 5xx answer")
public record ApiError(
        @Schema(description = "A stable machine code, snake_case", example = "insufficient_points") String error,
        @Schema(description = "For people", example = "Card 2900000000018 has 120 available points; 500 requested")
        String message,
        @Schema(description = "The offending input, when there is one", nullable = true) String field,
        List<Problem> errors) {

    /** An error of a rule set: {@code errors} holds them, on {@code rules_invalid} only. */
    @Schema(name = "RuleProblem", description = "Where an error of a rule set is (errors of rules_invalid): a compile"
            + " error, or a rule that fails as it runs (then rule names it)")
    public record Problem(String source, int line, int column, String message,
                          @Schema(description = "The rule in error, when known", nullable = true) String rule) {
    }

    /** What the OpenAPI document says of a till's call's errors. */
    static final String AT_THE_TILL = "Every error, in this shape: 400 malformed or invalid (field names the input,"
            + " value_too_large), 401, 403, 404 card_not_found, 409 card_blocked, card_replaced, receipt_conflict,"
            + " insufficient_points, 422 refused by the rules or the ledger (return_exceeds_purchase), 503"
            + " engine_busy or database_unavailable: send the same request again";

    /** The same of a customer's call. */
    static final String FOR_THE_CUSTOMER = "Every error, in this shape: 400 malformed or invalid (field names the"
            + " input), 401, 404, 409";

    /** The same of a change of one's own password. */
    static final String PASSWORD_CHANGE = "Every error, in this shape: 400 invalid_field (newPassword: 8 to 200"
            + " characters), 401, 403 invalid_credentials (the current password is wrong; nothing changed), 409"
            + " password_changed (by another session meanwhile), 422 password_unchanged (the new one is the current"
            + " one), 429 account_locked (too many wrong passwords)";

    /** The same of a call of the back office. */
    static final String IN_THE_BACK_OFFICE = "Every error, in this shape: 400 malformed or invalid (field names the"
            + " input), 401, 403, 404, 409, 422 rules_invalid (with errors [{line, column, message}])";
}
