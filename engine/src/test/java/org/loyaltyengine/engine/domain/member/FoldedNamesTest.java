package org.loyaltyengine.engine.domain.member;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Names as the desk searches them: what it types finds what was written, accents, case and hyphens aside. */
class FoldedNamesTest {

    @Test
    void aNameIsSearchedWithoutCaseAccentsOrPunctuation() {
        assertThat(Member.folded("José-Luis")).isEqualTo("jose luis");
        assertThat(Member.folded("  Ñúñez  O'Brien ")).isEqualTo("nunez o brien");
        assertThat(Member.folded("Müller")).isEqualTo("muller");
        assertThat(Member.folded(null)).isNull();
        assertThat(Member.folded("x".repeat(150))).hasSize(100);
    }
}
