package org.loyaltyengine.engine.domain.ruleset;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Each rollback steps one publication further back; it never puts back the version it just rolled away from. */
class RuleSetPublicationTest {

    private final List<RuleSetPublication> history = new ArrayList<>();

    @Test
    void rollingBackTwiceGoesTwoPublicationsBack() {
        publish(1);
        publish(2);
        publish(3);

        assertThat(rollBack()).isEqualTo(2);
        assertThat(rollBack()).as("not v3 again").isEqualTo(1);
        assertThat(RuleSetPublication.versionBefore(newestFirst())).as("nothing before v1").isEmpty();
    }

    @Test
    void aVersionPublishedAfterARollbackIsRolledBackToWhatWasLiveBeforeIt() {
        publish(1);
        publish(2);
        rollBack();
        publish(3);

        assertThat(rollBack()).isEqualTo(1);
    }

    @Test
    void aRollbackToAGivenVersionTakesBackEveryLaterPublication() {
        publish(1);
        publish(2);
        publish(3);
        history.add(new RuleSetPublication(null, 1, RuleSetPublication.Action.ROLLBACK, "m", Instant.EPOCH, null));

        assertThat(RuleSetPublication.versionBefore(newestFirst())).isEmpty();
    }

    @Test
    void republishingAnOldVersionIsAStepOfItsOwn() {
        publish(1);
        publish(2);
        publish(1);

        assertThat(rollBack()).isEqualTo(2);
        assertThat(rollBack()).isEqualTo(1);
    }

    private void publish(int version) {
        history.add(new RuleSetPublication(null, version, RuleSetPublication.Action.PUBLISH, "m", Instant.EPOCH, null));
    }

    /** Rolls back as the back office does, and answers the version now live. */
    private int rollBack() {
        int target = RuleSetPublication.versionBefore(newestFirst()).orElseThrow();
        history.add(new RuleSetPublication(null, target, RuleSetPublication.Action.ROLLBACK, "m", Instant.EPOCH, null));
        return target;
    }

    private List<RuleSetPublication> newestFirst() {
        List<RuleSetPublication> reversed = new ArrayList<>(history);
        java.util.Collections.reverse(reversed);
        return reversed;
    }
}
