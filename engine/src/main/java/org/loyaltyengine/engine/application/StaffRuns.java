package org.loyaltyengine.engine.application;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.loyaltyengine.engine.domain.audit.AuditEvent;
import org.loyaltyengine.engine.domain.audit.AuditTrail;

/**
 * Writes in the programme's audit trail the runs a manager starts by hand that change members (an expiry, a tier
 * review, the scores and the offers they give): who ran what, as of which day, and what it did. Each run commits
 * member by member, so it is written once the run is over, in a transaction of its own.
 */
@ApplicationScoped
public class StaffRuns {

    @Inject
    AuditTrail audit;

    @Inject
    Clock clock;

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void record(String actor, String action, String programmeCode, String detail) {
        audit.record(new AuditEvent(clock.instant(), actor, action, programmeCode, programmeCode, detail));
    }

    /** What a tier review did, in words. */
    public static String said(TierReviewService.Summary review) {
        return "Tier review as of " + review.asOf() + ": " + review.reviewed() + " member(s) reviewed, "
                + review.downgraded() + " downgraded" + (review.failed() == 0 ? "" : ", " + review.failed()
                + " failed (" + review.failure() + ")");
    }

    /** What a grant of offers did, in words. */
    public static String said(OfferGrants.Summary grant) {
        return grant.granted() + " offer(s) given to " + grant.members() + " member(s) looked at" + (grant.heldOut() == 0
                ? "" : ", " + grant.heldOut() + " held out as control group") + (grant.perOffer().isEmpty() ? ""
                : " " + grant.perOffer()) + (grant.failed() == 0 ? "" : ", " + grant.failed() + " failed ("
                + grant.failure() + ")");
    }
}
