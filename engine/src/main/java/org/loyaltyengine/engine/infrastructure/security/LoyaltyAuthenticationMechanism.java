package org.loyaltyengine.engine.infrastructure.security;

import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates every request from its {@code X-Api-Key} (a till) or {@code Authorization: Bearer} token (a
 * person) and tells the container who the caller is. It never answers by itself: a request with credentials
 * that fail carries the reason in a request attribute, and the API's access filter answers 401 in the
 * contract's error shape, so that every refusal looks the same.
 */
@ApplicationScoped
public class LoyaltyAuthenticationMechanism implements HttpAuthenticationMechanism {

    static final String API_KEY_HEADER = "X-Api-Key";
    private static final String BEARER = "Bearer ";

    @Inject
    TokenSigner tokens;

    @Inject
    PosKeyCache posKeys;

    @Override
    public AuthenticationStatus validateRequest(HttpServletRequest request, HttpServletResponse response,
                                                HttpMessageContext context) {
        String apiKey = request.getHeader(API_KEY_HEADER);
        String authorization = request.getHeader("Authorization");
        Optional<Caller> caller;
        if (apiKey != null) {
            caller = posKeys.find(apiKey.strip());
            refuseUnless(caller, request, "The X-Api-Key is not a valid POS key");
        } else if (authorization != null) {
            caller = authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    ? tokens.verify(authorization.substring(BEARER.length()).strip())
                    : Optional.empty();
            refuseUnless(caller, request, "The bearer token is invalid or has expired; log in again");
        } else {
            caller = Optional.empty();
        }
        if (caller.isEmpty()) {
            return context.doNothing();
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        String group = caller.get().isTill() ? "POS" : caller.get().role().name();
        return context.notifyContainerAboutLogin(caller.get(), Set.of(group));
    }

    private static void refuseUnless(Optional<Caller> caller, HttpServletRequest request, String reason) {
        if (caller.isEmpty()) {
            request.setAttribute(Caller.REFUSAL_ATTRIBUTE, reason);
        }
    }
}
