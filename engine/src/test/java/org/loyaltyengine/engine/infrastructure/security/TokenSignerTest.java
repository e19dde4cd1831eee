package org.loyaltyengine.engine.infrastructure.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.loyaltyengine.engine.domain.access.Role;

class TokenSignerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T09:00:00Z");
    private static final byte[] KEY = key('k');
    private static final Caller CLAIRE = new Caller("claire@demo.local", Role.CUSTOMER, "DEMO", null, "m-claire");

    @Test
    void aTokenNamesTheCallerItWasIssuedFor() {
        TokenSigner signer = signer(KEY, NOW);

        assertThat(signer.verify(signer.issue(CLAIRE))).map(Session::caller).contains(CLAIRE);
    }

    @Test
    void eachTokenNamesASessionOfItsOwnAndTheAccountsStampWithItsExpiry() {
        TokenSigner signer = signer(KEY, NOW);

        Session first = signer.verify(signer.issue(CLAIRE, "stamp-1")).orElseThrow();
        Session second = signer.verify(signer.issue(CLAIRE, "stamp-1")).orElseThrow();

        assertThat(first.id()).hasSize(22).isNotEqualTo(second.id());
        assertThat(first.stamp()).isEqualTo("stamp-1");
        assertThat(first.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(8)));
        assertThat(signer.verify(signer.issue(CLAIRE)).orElseThrow().stamp()).as("an account without a stamp")
                .isNull();
    }

    @Test
    void aTokenIssuedBeforeSessionsHadIdsIsReadWithoutOne() {
        String claims = "{\"iss\":\"loyalty-engine\",\"sub\":\"claire@demo.local\",\"role\":\"CUSTOMER\","
                + "\"iat\":" + NOW.getEpochSecond() + ",\"exp\":" + (NOW.getEpochSecond() + 60)
                + ",\"programme\":\"DEMO\",\"member\":\"m-claire\"}";
        String[] parts = signer(KEY, NOW).issue(CLAIRE).split("\\.");
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        String token = parts[0] + "." + payload + "." + hmac(parts[0] + "." + payload);

        Session old = signer(KEY, NOW).verify(token).orElseThrow();

        assertThat(old.caller()).isEqualTo(CLAIRE);
        assertThat(old.id()).isNull();
        assertThat(old.stamp()).isNull();
    }

    @Test
    void anExpiredTokenIsRefused() {
        String token = signer(KEY, NOW).issue(CLAIRE);

        assertThat(signer(KEY, NOW.plus(Duration.ofHours(8)).plusSeconds(1)).verify(token)).isEmpty();
        assertThat(signer(KEY, NOW.plus(Duration.ofHours(8)).minusSeconds(1)).verify(token)).isPresent();
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        String token = signer(key('x'), NOW).issue(CLAIRE);

        assertThat(signer(KEY, NOW).verify(token)).isEmpty();
    }

    @Test
    void aTokenWhoseClaimsWereEditedIsRefused() {
        String[] parts = signer(KEY, NOW).issue(CLAIRE).split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("CUSTOMER", "MANAGER");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThat(signer(KEY, NOW).verify(forged)).isEmpty();
        assertThat(signer(KEY, NOW).verify("not.a.token")).isEmpty();
        assertThat(signer(KEY, NOW).verify("")).isEmpty();
    }

    private static TokenSigner signer(byte[] key, Instant now) {
        return new TokenSigner(key, Clock.fixed(now, ZoneOffset.UTC), Duration.ofHours(8));
    }

    private static String hmac(String content) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(mac.doFinal(content.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] key(char fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
