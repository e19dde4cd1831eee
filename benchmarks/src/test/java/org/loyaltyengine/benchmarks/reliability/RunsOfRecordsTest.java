package org.loyaltyengine.benchmarks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The reliability suite's judgement of the expiry's records against the jobs' journal. */
class RunsOfRecordsTest {

    private static final Instant T = Instant.parse("2026-12-06T13:02:40Z");

    private static Instant[] run(int from, int to) {
        return new Instant[] {T.plusSeconds(from), T.plusSeconds(to)};
    }

    private static Instant at(double seconds) {
        return T.plusMillis((long) (seconds * 1000));
    }

    @Test
    void aRunTheDatabaseStalledSpansTheOtherInstancesRunsWithoutCountingTheirRecordsAsItsOwn() {
        // Node 1's run of 13:02:40 held for 45 s; node 2 ran 13:02:50, 13:03:00 and 13:03:10 meanwhile, and node 1's
        // own record was written as the stall ended, while node 2's run of 13:03:20 was writing its own.
        List<Instant[]> runs = List.of(run(0, 46), run(10, 11), run(20, 21), run(30, 31), run(45, 47));
        List<Instant> records = List.of(at(10.5), at(20.5), at(30.5), at(45.5), at(45.6));

        assertThat(RunsOfRecords.match(runs, records)).isEqualTo(new RunsOfRecords.Unmatched(0, 0));
    }

    @Test
    void aProgrammeExpiredTwiceInOneRunOrOutsideAnyIsCounted() {
        List<Instant[]> runs = List.of(run(0, 2), run(10, 12));
        List<Instant> records = List.of(at(0.5), at(1.5), at(10.5), at(5));

        assertThat(RunsOfRecords.match(runs, records)).isEqualTo(new RunsOfRecords.Unmatched(1, 1));
    }
}
