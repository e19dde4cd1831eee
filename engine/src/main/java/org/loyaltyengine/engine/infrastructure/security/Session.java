package org.loyaltyengine.engine.infrastructure.security;

import java.time.Instant;
import java.util.Objects;

/**
 * A person's session as their bearer token tells it, once its signature and expiry are checked: whether it is still
 * open is for {@link OpenSessions} to say.
 *
 * @param caller    who signed in
 * @param id        the session's random id; {@code null} in tokens issued before version 22
 * @param stamp     the account's session stamp when the token was issued; {@code null} when it had none
 * @param expiresAt when the token expires
 */
public record Session(Caller caller, String id, String stamp, Instant expiresAt) {

    public Session {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
