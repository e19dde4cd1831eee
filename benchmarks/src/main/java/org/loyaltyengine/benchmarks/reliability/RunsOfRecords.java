package org.loyaltyengine.benchmarks.reliability;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Whether one programme's expiry records can each be the record of a different run of the jobs' journal: a run
 * expires each programme once, and writes its record between its start and its end. The runs' windows overlap (a run
 * the database stalled, or one an instance was killed in, whose window is a minute, spans the shorter runs of the
 * other instance after it), so a record is given to the run containing it that ends first among those not given one
 * yet: the greedy matching of points to intervals, which leaves a record unmatched only when no matching could place
 * it.
 */
final class RunsOfRecords {

    /** How many records lie in no run, and how many more than the runs containing them could have written. */
    record Unmatched(int outside, int twice) {
    }

    private RunsOfRecords() {
    }

    /**
     * @param runs each run's start and end
     * @param records the times of one programme's records
     */
    static Unmatched match(List<Instant[]> runs, List<Instant> records) {
        List<Instant> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.naturalOrder());
        boolean[] used = new boolean[runs.size()];
        int outside = 0;
        int twice = 0;
        for (Instant at : sorted) {
            int chosen = -1;
            boolean inAny = false;
            for (int i = 0; i < runs.size(); i++) {
                Instant[] run = runs.get(i);
                if (at.isBefore(run[0]) || at.isAfter(run[1])) {
                    continue;
                }
                inAny = true;
                if (!used[i] && (chosen < 0 || run[1].isBefore(runs.get(chosen)[1]))) {
                    chosen = i;
                }
            }
            if (chosen >= 0) {
                used[chosen] = true;
            } else if (inAny) {
                twice++;
            } else {
                outside++;
            }
        }
        return new Unmatched(outside, twice);
    }
}
