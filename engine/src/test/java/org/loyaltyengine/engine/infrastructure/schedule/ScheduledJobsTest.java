package org.loyaltyengine.engine.infrastructure.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A scheduled run goes through every programme: one whose part fails, or whose members partly fail, does not keep
 * the programmes after it from theirs, and the journal's run is marked failed with the failures named first.
 */
class ScheduledJobsTest {

    @Test
    void everyProgrammeHasItsPartAndTheDetailListsThemInOrder() {
        String detail = ScheduledJobs.perProgramme(List.of("A", "B"),
                code -> new ScheduledJobs.Part(code + ": 2 reviewed", 0, null));

        assertThat(detail).isEqualTo("A: 2 reviewed; B: 2 reviewed");
    }

    @Test
    void aProgrammeThatFailsDoesNotStopTheOthersAndTheRunFails() {
        List<String> ran = new ArrayList<>();

        assertThatThrownBy(() -> ScheduledJobs.perProgramme(List.of("A", "B", "C"), code -> {
            ran.add(code);
            if (code.equals("A")) {
                throw new IllegalStateException("rule tier-rule failed: / by zero");
            }
            return new ScheduledJobs.Part(code + ": 1 reviewed", code.equals("C") ? 1 : 0,
                    code.equals("C") ? "row locked" : null);
        })).isInstanceOf(ScheduledJobs.PartlyFailed.class)
                .hasMessageStartingWith("A: failed (java.lang.IllegalStateException: rule tier-rule failed: / by zero);"
                        + " C: 1 member(s) failed, left to the next run (first: row locked)")
                .hasMessageEndingWith("Done: A: failed; B: 1 reviewed; C: 1 reviewed");
        assertThat(ran).containsExactly("A", "B", "C");
    }
}
