package org.loyaltyengine.engine.infrastructure.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.loyaltyengine.engine.domain.DomainException;

/**
 * Tells who a request comes from, by its {@code X-Api-Key} (a till) or {@code Authorization: Bearer} token (a
 * person, whose session must still be open: {@link OpenSessions}). The API's access filter asks it once per
 * request; nothing else in the engine authenticates.
 *
 * <p>It is not a Jakarta Security {@code HttpAuthenticationMechanism}: no page or call relies on the container's
 * roles, and the container's authentication bridge costs every request a failed JNDI look-up (an exception with
 * its stack trace), a tenth of the CPU of a call as light as a balance look-up.
 */
@ApplicationScoped
public class Credentials {

    static final String API_KEY_HEADER = "X-Api-Key";
    private static final String BEARER = "Bearer ";

    @Inject
    TokenSigner tokens;

    @Inject
    PosKeyCache posKeys;

    @Inject
    OpenSessions sessions;

    @Inject
    StaffStanding staff;

    /**
     * @param apiKey        the {@code X-Api-Key} header, or {@code null}
     * @param authorization the {@code Authorization} header, or {@code null}
     * @return the caller; empty when the request carries no credentials
     * @throws DomainException {@code unauthenticated} (401) when it carries credentials that fail
     */
    public Optional<Caller> authenticate(String apiKey, String authorization) {
        if (apiKey != null) {
            return Optional.of(posKeys.find(apiKey.strip())
                    .orElseThrow(() -> unauthenticated("The X-Api-Key is not a valid POS key")));
        }
        if (authorization != null) {
            return Optional.of(session(authorization).flatMap(staff::now).orElseThrow(
                    () -> unauthenticated("The bearer token is invalid, has expired or its session was ended; log in"
                            + " again")));
        }
        return Optional.empty();
    }

    /**
     * @param authorization the {@code Authorization} header, or {@code null}
     * @return the session its bearer token names, when the token is ours, unexpired and its session still open
     */
    public Optional<Session> session(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        return tokens.verify(authorization.substring(BEARER.length()).strip()).filter(sessions::isOpen);
    }

    public static DomainException unauthenticated(String message) {
        return new DomainException(DomainException.Kind.UNAUTHENTICATED, "unauthenticated", message);
    }
}
