package org.loyaltyengine.engine.domain.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A manager's segments: each must hold some scores, or the offers meant for it would never be given. */
class SegmentDefinitionsTest {

    @Test
    void theDefaultsAndAManagersOwnAreTaken() {
        assertThat(SegmentDefinitions.parseNew(SegmentDefinitions.DEFAULT_TEXT).segmentOf(5, 5, 5))
                .isEqualTo("champions");
        assertThat(SegmentDefinitions.parseNew("vip: M>=3\nothers: *").segmentOf(2, 2, 3)).isEqualTo("vip");
    }

    @Test
    void aSegmentThatHoldsNobodyIsRefusedWithItsLine() {
        assertThatThrownBy(() -> SegmentDefinitions.parseNew("everyone: *\nvip: M>=4\nrest: *"))
                .as("after a line that takes every member").hasMessageStartingWith("Line 2: 'vip' holds nobody");
        assertThatThrownBy(() -> SegmentDefinitions.parseNew("vip: M>=4\nnever: R<1\nrest: *"))
                .as("a condition no score meets").hasMessageStartingWith("Line 2: 'never' holds nobody");
        assertThatThrownBy(() -> SegmentDefinitions.parseNew("# comment\nbig: M>=2\nbigger: M>=4\nrest: *"))
                .as("every member it would hold taken above").hasMessageStartingWith("Line 3: 'bigger'");
        assertThatThrownBy(() -> SegmentDefinitions.parseNew("odd: R>=4 R<=2\nrest: *"))
                .hasMessageStartingWith("Line 1: 'odd' holds nobody");
        assertThat(SegmentDefinitions.of("everyone: *\nvip: M>=4\nrest: *").segmentOf(5, 5, 5))
                .as("definitions kept from before the check are still read").isEqualTo("everyone");
    }
}
