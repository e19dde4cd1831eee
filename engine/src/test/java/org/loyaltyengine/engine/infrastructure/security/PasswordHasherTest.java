package org.loyaltyengine.engine.infrastructure.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void theRightPasswordMatchesAndAWrongOneDoesNot() {
        String stored = PasswordHasher.hash("claire-demo");

        assertThat(PasswordHasher.matches("claire-demo", stored)).isTrue();
        assertThat(PasswordHasher.matches("claire-demO", stored)).isFalse();
        assertThat(stored).doesNotContain("claire-demo").startsWith("pbkdf2-sha256$");
    }

    @Test
    void theSamePasswordIsHashedWithADifferentSaltEachTime() {
        assertThat(PasswordHasher.hash("secret")).isNotEqualTo(PasswordHasher.hash("secret"));
    }

    @Test
    void aStoredValueOfAnotherFormNeverMatches() {
        assertThat(PasswordHasher.matches("secret", "plain:secret")).isFalse();
    }
}
