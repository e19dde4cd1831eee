package org.loyaltyengine.engine.api;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Past;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

import org.loyaltyengine.engine.application.ProgrammeAdministration;

/** The bodies the API accepts besides sales and logins, each validated before anything is read or written. */
public final class Requests {

    private Requests() {
    }

    /** {@code POST /pos/transactions/{transactionId}/returns}. */
    public record ReturnRequest(
            @NotBlank @Size(max = 64) String returnId,
            @Size(max = 32) String terminalId,
            @NotEmpty @Size(max = 500) List<@NotNull @Valid ReturnLine> lines) {

        /** The return's key without blanks around it, as a sale's receipt ({@link SaleRequest}). */
        public ReturnRequest {
            returnId = SaleRequest.stripped(returnId);
            terminalId = SaleRequest.stripped(terminalId);
        }
    }

    /** A line of a return. */
    public record ReturnLine(
            @NotBlank @Size(max = 64) String sku,
            @NotNull @Positive @Max(100_000) Integer quantity) {
    }

    /** {@code POST /pos/redemptions}: a reward or a number of points. */
    public record RedemptionRequest(
            @NotBlank String cardNumber,
            @NotBlank @Size(max = 32) String storeId,
            @Size(max = 32) String terminalId,
            @NotBlank @Size(max = 64) String receiptId,
            @Size(max = 40) String rewardId,
            @Positive @Max(100_000_000) Long points) {

        /** The receipt's key without blanks around it, as a sale's ({@link SaleRequest}). */
        public RedemptionRequest {
            storeId = SaleRequest.stripped(storeId);
            terminalId = SaleRequest.stripped(terminalId);
            receiptId = SaleRequest.stripped(receiptId);
        }
    }

    /** {@code POST /pos/redemptions/{redemptionId}/cancel}; every field may be left out, and so may the body. */
    public record RedemptionCancelRequest(
            @Size(max = 32) String storeId,
            @Size(max = 32) String terminalId,
            @Size(max = 200) String reason) {

        public RedemptionCancelRequest {
            storeId = SaleRequest.stripped(storeId);
            terminalId = SaleRequest.stripped(terminalId);
        }
    }

    /** {@code POST /me/claims}. */
    public record ClaimRequest(
            @NotBlank @Size(max = 32) String storeId,
            @NotBlank @Size(max = 64) String receiptId,
            @NotNull OffsetDateTime occurredAt,
            @NotNull @DecimalMin(value = "0", inclusive = false, message = "is the receipt's total, more than 0")
            @Digits(integer = 13, fraction = 2, message = "is an amount with at most 2 decimals, such as 25.50")
            BigDecimal total) {
    }

    /** {@code POST /admin/programmes}. */
    public record ProgrammeRequest(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{2,32}", message = "is 2 to 32 letters, digits, - or _")
            String code,
            @NotBlank @Size(max = 200) String name,
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "is a three-letter ISO 4217 code") String currency,
            @NotNull @Min(1) @Max(36_500) Integer pointsExpireAfterDays,
            @NotNull @Min(0) @Max(365) Integer pendingDays,
            @DecimalMin(value = "0", inclusive = false) @Digits(integer = 6, fraction = 6) BigDecimal pointValue,
            @Min(1) @Max(3_650) Integer tierWindowDays,
            @Size(max = 64) String timeZone,
            @Pattern(regexp = "[A-Za-z0-9_-]{1,32}", message = "is 1 to 32 letters, digits, - or _") String entryTier,
            @PositiveOrZero @Digits(integer = 13, fraction = 2, message = "is an amount from 0 to"
                    + " 9999999999999.99, with at most 2 decimals, such as 10000.00") BigDecimal maxSaleTotal) {
    }

    /** {@code PUT /admin/programmes/{code}}: what may change once members earn (not the code nor the currency). */
    public record ProgrammeEdit(
            @NotBlank @Size(max = 200) String name,
            @NotNull @Min(1) @Max(36_500) Integer pointsExpireAfterDays,
            @NotNull @Min(0) @Max(365) Integer pendingDays,
            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 6, fraction = 6) BigDecimal pointValue,
            @NotNull @Min(1) @Max(3_650) Integer tierWindowDays,
            @Pattern(regexp = "[A-Z]{3}", message = "is a three-letter ISO 4217 code") String currency,
            @Size(max = 64) String timeZone,
            @PositiveOrZero @Digits(integer = 13, fraction = 2, message = "is an amount from 0 (no limit) to"
                    + " 9999999999999.99, with at most 2 decimals, such as 10000.00") BigDecimal maxSaleTotal) {
    }

    /** {@code POST /admin/members/{id}/password-reset}: which sign-in, for a member who has several. */
    public record ResetCodeRequest(@Size(max = 254) String email) {
    }

    /** {@code POST /admin/programmes/{code}/tiers}. */
    public record TierRequest(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,32}", message = "is 1 to 32 letters, digits, - or _")
            String code,
            @Size(max = 100) String name,
            @NotNull @PositiveOrZero @Max(ProgrammeAdministration.MAX_TIER_POINTS) Long minimumPoints,
            @Size(max = 500) String benefits) {
    }

    /** {@code POST /admin/programmes/{code}/rewards}. */
    public record RewardRequest(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,40}", message = "is 1 to 40 letters, digits, - or _")
            String rewardId,
            @NotBlank @Size(max = 200) String name,
            @NotNull @Positive @Max(ProgrammeAdministration.MAX_REWARD_PRICE) Long points,
            @Size(max = 32) String tier,
            @PositiveOrZero @Max(ProgrammeAdministration.MAX_STOCK) Long stock,
            LocalDate validFrom,
            LocalDate validUntil) {
    }

    /** {@code PUT /admin/programmes/{code}/stores/{storeId}}. */
    public record StoreRequest(@NotBlank @Size(max = 200) String name) {
    }

    /** {@code POST /admin/programmes/{code}/pos-keys}. */
    public record PosKeyRequest(
            @NotBlank @Size(max = 32) String storeId,
            @Size(max = 200) String label) {
    }

    /** {@code POST /admin/programmes/{code}/members}. */
    public record MemberRequest(
            @NotBlank @Email @Size(max = 254) String email,
            @NotBlank @Size(max = 100) String firstName,
            @NotBlank @Size(max = 100) String lastName,
            @Past LocalDate birthDate,
            @Size(min = 8, max = 200, message = "is 8 to 200 characters") String password,
            String cardNumber,
            @Pattern(regexp = "\\+?[0-9 ()./-]{6,30}", message = "is a phone number of 6 to 30 digits, spaces and"
                    + " + ( ) . / -, such as +33 6 12 34 56 78") String phone) {
    }

    /**
     * {@code POST /me/password} and {@code POST /admin/me/password}: the new password follows the rules of a
     * registration's ({@code POST /auth/register}).
     */
    public record PasswordChangeRequest(
            @NotBlank @Size(max = 200) String currentPassword,
            @NotBlank @Size(min = 8, max = 200, message = "is 8 to 200 characters") String newPassword) {
    }

    /** {@code POST /admin/cards/{cardNumber}/block}. */
    public record BlockRequest(@NotBlank @Size(max = 500) String reason) {
    }

    /** {@code POST /admin/cards/{cardNumber}/replace}: the reason is optional. */
    public record ReplaceRequest(@Size(max = 500) String reason, @Size(max = 64) String cardNumber) {
    }

    /**
     * {@code POST /admin/members/{memberId}/cards}; the body may be left out. {@code cardNumber}: a pre-printed card
     * handed over at the desk, else the engine numbers a new one.
     */
    public record IssueCardRequest(@Size(max = 64) String cardNumber) {
    }

    /** {@code POST /admin/members/{memberId}/merge}. */
    public record MergeRequest(@NotBlank @Size(max = 40) String from) {
    }

    /**
     * {@code POST /admin/members/{memberId}/adjustments}.
     *
     * @param qualifying    whether a credit counts towards tiers (default no)
     * @param allowNegative whether a debit may take the balance below zero (default no)
     * @param channel       {@code ADMIN} (default) or {@code CALL_CENTRE}
     * @param reverses      the entry of a manual credit this debit takes back whole, with its qualifying points
     *                      (a credit made by mistake); {@code points} is then minus the credit's points
     */
    public record AdjustmentRequest(
            @NotNull @Min(-10_000_000) @Max(10_000_000) Long points,
            @NotBlank @Size(max = 500) String reason,
            Boolean qualifying,
            Boolean allowNegative,
            @Pattern(regexp = "ADMIN|CALL_CENTRE", message = "is ADMIN or CALL_CENTRE") String channel,
            @Positive Long reverses) {
    }

    /**
     * {@code POST /admin/members/{memberId}/redemptions/{redemptionId}/cancel}: why staff cancel it (kept on the
     * redemption and in the audit trail, out of the customer's history), and whether by phone.
     */
    public record StaffCancelRequest(
            @NotBlank @Size(max = 200) String reason,
            @Pattern(regexp = "ADMIN|CALL_CENTRE", message = "is ADMIN or CALL_CENTRE") String channel) {
    }

    /** {@code POST /admin/members/{memberId}/tier}: the tier to put the member in, and why. */
    public record TierSetRequest(@NotBlank @Size(max = 32) String tier, @NotBlank @Size(max = 500) String reason) {
    }

    /** {@code POST /admin/claims/{claimId}/resolve}. */
    public record ResolveClaimRequest(
            @NotNull Boolean approve,
            @PositiveOrZero @Max(10_000_000) Long points,
            @Size(max = 1000) String note) {
    }

    /**
     * {@code POST /admin/programmes/{code}/expiry}: the day to expire as of (today when absent).
     *
     * @param bringForward a day after today is taken as such (expiry's only: a programme's closure)
     */
    public record ExpiryRequest(LocalDate asOf, Boolean bringForward) {
    }
}
