package org.loyaltyengine.engine.infrastructure.security;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import org.loyaltyengine.engine.domain.access.Role;

/**
 * Issues and verifies the bearer tokens of people: compact JWTs signed with HMAC-SHA256, carrying the caller's
 * email, role, programme and member, their session's random id ({@code sid}) and their account's session stamp
 * ({@code stamp}), and expiring after a fixed lifetime. A token verified here may still name a session that was
 * ended since: {@link OpenSessions} tells.
 */
public final class TokenSigner {

    private static final String ISSUER = "loyalty-engine";
    private static final String HEADER = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;
    private final Clock clock;
    private final Duration lifetime;

    public TokenSigner(byte[] key, Clock clock, Duration lifetime) {
        if (key.length < 32) {
            throw new IllegalArgumentException("An HS256 key needs at least 256 bits");
        }
        this.key = key.clone();
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /** A token for a new session of the caller, whose account has no session stamp. */
    public String issue(Caller caller) {
        return issue(caller, null);
    }

    /**
     * A token for a new session of the caller.
     *
     * @param sessionStamp the account's session stamp, or {@code null} when it has none
     */
    public String issue(Caller caller, String sessionStamp) {
        long now = clock.instant().getEpochSecond();
        JsonObjectBuilder claims = Json.createObjectBuilder()
                .add("iss", ISSUER)
                .add("sub", caller.name())
                .add("role", caller.role().name())
                .add("sid", newSessionId())
                .add("iat", now)
                .add("exp", now + lifetime.toSeconds());
        if (sessionStamp != null) {
            claims.add("stamp", sessionStamp);
        }
        if (caller.programmeCode() != null) {
            claims.add("programme", caller.programmeCode());
        }
        if (caller.memberPublicId() != null) {
            claims.add("member", caller.memberPublicId());
        }
        String payload = b64(claims.build().toString().getBytes(StandardCharsets.UTF_8));
        return HEADER + "." + payload + "." + b64(sign(HEADER + "." + payload));
    }

    /** The session a token names, when its signature is ours and it has not expired. */
    public Optional<Session> verify(String token) {
        String[] parts = token.split("\\.");
        if (parts.length != 3 || !parts[0].equals(HEADER)) {
            return Optional.empty();
        }
        byte[] signature;
        JsonObject claims;
        try {
            signature = Base64.getUrlDecoder().decode(parts[2]);
            if (!MessageDigest.isEqual(signature, sign(parts[0] + "." + parts[1]))) {
                return Optional.empty();
            }
            String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            claims = Json.createReader(new StringReader(json)).readObject();
        } catch (IllegalArgumentException | JsonException e) {
            return Optional.empty();
        }
        if (!ISSUER.equals(claims.getString("iss", "")) || claims.getJsonNumber("exp") == null
                || claims.getJsonNumber("exp").longValue() <= clock.instant().getEpochSecond()) {
            return Optional.empty();
        }
        Caller caller = new Caller(claims.getString("sub"), Role.valueOf(claims.getString("role")),
                claims.getString("programme", null), null, claims.getString("member", null));
        return Optional.of(new Session(caller, claims.getString("sid", null), claims.getString("stamp", null),
                Instant.ofEpochSecond(claims.getJsonNumber("exp").longValue())));
    }

    public Duration lifetime() {
        return lifetime;
    }

    private byte[] sign(String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** 128 random bits, 22 characters. */
    private static String newSessionId() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return b64(bits);
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
