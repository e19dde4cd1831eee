package org.loyaltyengine.engine.application;

import java.time.LocalDate;
import java.util.List;

import jakarta.json.bind.annotation.JsonbNillable;

/**
 * What a member sees of their account (API.md, {@code GET /me}).
 *
 * @param timeZone the programme's time zone ("Europe/Paris"), beyond the contract: the days an offer runs to, points
 *                 expire on and a sale occurred on are the programme's, whatever the zone of the member's browser
 */
public record MemberOverview(String memberId, String programme, String timeZone, String email, String firstName,
                             String lastName, LocalDate joinedOn, List<CardLine> cards, String tier,
                             TierProgress tierProgress, long availablePoints, long pendingPoints,
                             List<Expiring> expiringPoints, String programmeName) {

    /** One of the member's cards. */
    public record CardLine(String cardNumber, String status) {
    }

    /**
     * How far the member is from the next tier.
     *
     * @param nextTier   the next better tier, {@code null} at the top (written as {@code null}: API.md names the key)
     * @param needed     qualifying points still needed for it, 0 at the top
     * @param windowEnds the member's next yearly review, when qualifying points are counted again
     * @param windowDays how many days back qualifying points count: a purchase's stop counting that long after it
     * @param nextLeaving the qualifying points that stop counting first, and on which day; left out when none
     *                    count: the tier needs {@code needed} more before that day, or that many more after it
     * @param keeping     what keeping the member's tier at the next review takes; left out in the entry tier
     */
    public record TierProgress(String tier, @JsonbNillable String nextTier, long qualifyingPoints, long needed,
                               LocalDate windowEnds, int windowDays, Leaving nextLeaving, Keeping keeping) {
    }

    /**
     * What keeping the tier at the yearly review takes, by its threshold: the review counts the qualifying points of
     * the window that ends on its day, so those that stop counting before it are left out.
     *
     * @param minimumPoints the tier's threshold
     * @param counting      the qualifying points earned so far that still count on the review's day
     * @param needed        the qualifying points still to earn before the review to stay in the tier, 0 when
     *                      {@code counting} reaches the threshold
     * @param on            the review's day
     */
    public record Keeping(String tier, long minimumPoints, long counting, long needed, LocalDate on) {
    }

    /** Qualifying points that stop counting on a day. */
    public record Leaving(LocalDate on, long points) {
    }

    /** Spendable points that expire on a day. */
    public record Expiring(long points, LocalDate on) {
    }
}
