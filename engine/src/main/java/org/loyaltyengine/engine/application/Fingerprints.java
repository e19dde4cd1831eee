package org.loyaltyengine.engine.application;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.stream.Collectors;

/** SHA-256 of a request's canonical parts: tells a replay from a conflicting reuse of its id. */
final class Fingerprints {

    private Fingerprints() {
    }

    static String of(Object... parts) {
        String canonical = Arrays.stream(parts).map(part -> Objects.toString(part, ""))
                .map(part -> part.replace("\\", "\\\\").replace("|", "\\|"))
                .collect(Collectors.joining("|"));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
