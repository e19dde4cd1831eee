package org.loyaltyengine.engine.domain.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class JobRunTest {

    private static final Instant PERIOD = Instant.parse("2026-12-04T10:00:00Z");
    private static final Instant NOW = PERIOD.plusSeconds(300);

    @Test
    void staffOfOneProgrammeReadWhatARunDidForThatProgrammeOnly() {
        JobRun expiry = JobRun.begin(Job.EXPIRY, PERIOD, "node-1", NOW);
        expiry.finish(NOW, "ALPHA as of 2026-12-04: 5 points of 1 member(s); DEMO as of 2026-12-04: 120 points of"
                + " 3 member(s); DEMO2 as of 2026-12-04: 7 points of 1 member(s)");
        JobRun knowledge = JobRun.begin(Job.KNOWLEDGE, PERIOD, "node-1", NOW);
        knowledge.finish(NOW, "DEMO: 3 member(s) scored in 12 ms, 1 offer(s) granted; SHOP: 9 member(s) scored in"
                + " 20 ms, 0 offer(s) granted");

        assertThat(expiry.detailFor("DEMO")).isEqualTo("DEMO as of 2026-12-04: 120 points of 3 member(s)");
        assertThat(knowledge.detailFor("SHOP")).isEqualTo("SHOP: 9 member(s) scored in 20 ms, 0 offer(s) granted");
        assertThat(expiry.detailFor("NEW")).as("a programme the run did not see").isEmpty();
        assertThat(expiry.detailFor(null)).as("staff of every programme").isEqualTo(expiry.detail());
    }

    @Test
    void aFailedPerProgrammeRunKeepsItsErrorFromStaffOfOneProgramme() {
        JobRun review = JobRun.begin(Job.TIER_REVIEW, PERIOD, "node-1", NOW);
        review.fail(NOW, "java.lang.IllegalStateException: programme SHOP has no tier BRONZE");

        assertThat(review.detailFor("DEMO")).doesNotContain("SHOP").contains("staff of every programme");
        assertThat(review.detailFor(null)).contains("SHOP");
    }

    @Test
    void aBackupReadsTheSameForEveryone() {
        JobRun backup = JobRun.begin(Job.BACKUP, PERIOD, "node-1", NOW);
        backup.finish(NOW, "/data/backups/20261204T030000Z: 1234 bytes in 80 ms");

        assertThat(backup.detailFor("DEMO")).isEqualTo(backup.detail());
    }
}
