package org.loyaltyengine.engine.application;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A version's diff as a manager reads it: a changed line's old text, then its new one; the lines around kept. */
class LineDiffTest {

    @Test
    void aChangedLineShowsWhatItWasBeforeWhatItIs() {
        String diff = LineDiff.of("rule \"coffee\"\nwhen\n  Purchase( total > 10 )\nthen\nend",
                "rule \"coffee\"\nwhen\n  Purchase( total > 20 )\nthen\nend");

        assertThat(diff).isEqualTo("  rule \"coffee\"\n  when\n-   Purchase( total > 10 )\n+   Purchase( total > 20 )\n"
                + "  then\n  end\n");
    }

    @Test
    void theSameTextHasNoDiff() {
        assertThat(LineDiff.of("a\nb", "a\nb")).isEmpty();
    }
}
