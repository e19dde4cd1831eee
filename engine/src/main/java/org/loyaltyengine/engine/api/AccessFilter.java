package org.loyaltyengine.engine.api;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

import org.loyaltyengine.engine.application.BusyRetry;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.infrastructure.security.Caller;
import org.loyaltyengine.engine.infrastructure.security.Credentials;

/**
 * Authenticates each call ({@link Credentials}; credentials that fail: 401) and decides who may call what, by
 * the contract's table: {@code /pos/**} tills, {@code /me/**} customers,
 * {@code /admin/**} managers and administrators (auditors read only), {@code /admin/me/**} (one's own account)
 * every staff member, auditors included; {@code /auth/logout} anyone signed in, the rest of {@code /auth} anyone.
 * No credentials: 401; credentials of the wrong kind: 403. Which store's or member's data a caller may see is
 * checked by the resources.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class AccessFilter implements ContainerRequestFilter {

    @Context
    HttpServletRequest request;

    @Inject
    Credentials credentials;

    @Override
    public void filter(ContainerRequestContext context) {
        String path = context.getUriInfo().getPath();
        path = path.startsWith("/") ? path.substring(1) : path;
        if (path.startsWith("auth/") && !path.equals("auth/logout")) {
            return;
        }
        // Reads only (the till's key, the session, the staff member's account): run again on a new connection when
        // the database dropped the one it had, as the call itself is, rather than answered 503.
        Caller caller = BusyRetry.callIdempotent(() -> credentials.authenticate(
                context.getHeaderString("X-Api-Key"), context.getHeaderString("Authorization"))).orElse(null);
        request.setAttribute(Caller.ATTRIBUTE, caller);
        if (path.startsWith("pos/") || path.equals("pos")) {
            require(caller, "a POS key (X-Api-Key)", caller != null && caller.isTill());
        } else if (path.startsWith("me/") || path.equals("me")) {
            require(caller, "a customer's token", caller != null && caller.has(Role.CUSTOMER));
        } else if (path.equals("auth/logout")) {
            require(caller, "a bearer token", caller != null && !caller.isTill());
        } else if (path.startsWith("admin/me/") || path.equals("admin/me")) {
            require(caller, "a staff member's token", caller != null && (caller.has(Role.MANAGER)
                    || caller.has(Role.ADMIN) || caller.has(Role.AUDITOR)));
        } else if (path.startsWith("admin/") || path.equals("admin")) {
            boolean reads = context.getMethod().equals("GET") || context.getMethod().equals("HEAD");
            require(caller, "a programme manager's token", caller != null
                    && (caller.has(Role.MANAGER) || caller.has(Role.ADMIN) || (reads && caller.has(Role.AUDITOR))));
            if (path.equals("admin/programmes") && !reads && caller.programmeCode() != null) {
                throw new DomainException(DomainException.Kind.FORBIDDEN, "forbidden", caller.name()
                        + " manages programme " + caller.programmeCode() + " only and cannot create programmes");
            }
        }
    }

    private static void require(Caller caller, String what, boolean allowed) {
        if (caller == null) {
            throw Credentials.unauthenticated("This call needs " + what);
        }
        if (!allowed) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "forbidden",
                    "These credentials may not make this call; it needs " + what);
        }
    }

    /** The authenticated caller of the current request; the filter has checked there is one. */
    static Caller callerOf(HttpServletRequest request) {
        return (Caller) request.getAttribute(Caller.ATTRIBUTE);
    }
}
