package org.loyaltyengine.engine.infrastructure.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.logging.Logger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.loyaltyengine.engine.infrastructure.config.DataFolder;

/**
 * The token signing key: 256 random bits generated on the engine's first start and kept in the data folder
 * ({@code keys/token-signing.key}, readable by its owner only), so tokens survive a restart. The instances of a
 * cluster share one key file ({@code loyalty.signing.key.file}, environment {@code LOYALTY_SIGNING_KEY_FILE}), so
 * a token signed by one is accepted by all.
 */
@ApplicationScoped
public class SigningKey {

    private static final Logger LOG = Logger.getLogger(SigningKey.class.getName());

    @Inject
    DataFolder dataFolder;

    @Inject
    Clock clock;

    @Inject
    @ConfigProperty(name = "loyalty.token.lifetime-minutes", defaultValue = "480")
    long lifetimeMinutes;

    @Inject
    @ConfigProperty(name = "loyalty.signing.key.file")
    java.util.Optional<String> sharedKeyFile;

    @Produces
    @Singleton
    TokenSigner tokenSigner() {
        return new TokenSigner(loadOrCreate(file()), clock, Duration.ofMinutes(lifetimeMinutes));
    }

    /** The key's file: the one the cluster's instances share if it is set, else the data folder's. */
    public Path file() {
        return sharedKeyFile.filter(name -> !name.isBlank()).map(Path::of)
                .orElseGet(() -> dataFolder.resolve("keys/token-signing.key"));
    }

    /**
     * A key for another purpose than signing tokens, derived from the signing key (its HMAC-SHA256 of the purpose's
     * name): the same on every instance that shares the key file, and telling nothing of the signing key.
     */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(loadOrCreate(file()), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    static byte[] loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                byte[] key = new byte[32];
                new SecureRandom().nextBytes(key);
                Path temp = Files.createTempFile(file.getParent(), "key", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(temp, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
                try {
                    Files.move(temp, file);
                    LOG.info(() -> "Generated a new token signing key in " + file);
                } catch (FileAlreadyExistsException raced) {
                    Files.delete(temp);
                }
            }
            return Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the token signing key " + file, e);
        }
    }
}
