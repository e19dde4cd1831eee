package org.loyaltyengine.engine.api;

import java.lang.reflect.Method;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

import org.loyaltyengine.engine.application.BusyRetry;
import org.loyaltyengine.engine.domain.DomainException;
import org.loyaltyengine.engine.domain.access.Role;
import org.loyaltyengine.engine.infrastructure.security.Caller;
import org.loyaltyengine.engine.infrastructure.security.Credentials;

/**
 * Authenticates each call ({@link Credentials}; credentials that fail: 401) and decides who may call what, by
 * the contract's table, as each resource names it ({@link CalledBy}): {@code /pos/**} tills, {@code /me/**}
 * customers, {@code /admin/**} managers and administrators (auditors read only), {@code /admin/me/**} (one's own
 * account) every staff member, auditors included; {@code /auth/logout} anyone signed in, the rest of {@code /auth}
 * anyone. No credentials: 401; credentials of the wrong kind: 403. The rule is the one of the method the request was
 * routed to, so that no spelling of a path (matrix parameters, percent-encoding) reaches a method under another
 * rule; a method that names none is refused. Which store's or member's data a caller may see is checked by the
 * resources.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class AccessFilter implements ContainerRequestFilter {

    @Context
    HttpServletRequest request;

    @Context
    ResourceInfo resource;

    @Inject
    Credentials credentials;

    @Override
    public void filter(ContainerRequestContext context) {
        Callers callers = callersOf(resource.getResourceClass(), resource.getResourceMethod());
        if (callers == Callers.ANYONE) {
            return;
        }
        if (callers == null && context.getMethod().equals("OPTIONS")) {
            // Jersey's own answer to OPTIONS (the methods a path allows), which names no callers: it runs nothing.
            return;
        }
        if (callers == null) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "forbidden", "This call is open to no one");
        }
        // Reads only (the till's key, the session, the staff member's account): run again on a new connection when
        // the database dropped the one it had, as the call itself is, rather than answered 503.
        Caller caller = BusyRetry.callIdempotent(() -> credentials.authenticate(
                context.getHeaderString("X-Api-Key"), context.getHeaderString("Authorization"))).orElse(null);
        request.setAttribute(Caller.ATTRIBUTE, caller);
        boolean reads = context.getMethod().equals("GET") || context.getMethod().equals("HEAD");
        switch (callers) {
            case TILLS -> require(caller, "a POS key (X-Api-Key)", caller != null && caller.isTill());
            case CUSTOMERS -> require(caller, "a customer's token", caller != null && caller.has(Role.CUSTOMER));
            case SIGNED_IN -> require(caller, "a bearer token", caller != null && !caller.isTill());
            case STAFF -> require(caller, "a staff member's token", caller != null && (caller.has(Role.MANAGER)
                    || caller.has(Role.ADMIN) || caller.has(Role.AUDITOR)));
            case MANAGERS, MANAGERS_OF_EVERY_PROGRAMME -> {
                require(caller, "a programme manager's token", caller != null && (caller.has(Role.MANAGER)
                        || caller.has(Role.ADMIN) || (reads && caller.has(Role.AUDITOR))));
                if (callers == Callers.MANAGERS_OF_EVERY_PROGRAMME && caller.programmeCode() != null) {
                    throw new DomainException(DomainException.Kind.FORBIDDEN, "forbidden", caller.name()
                            + " manages programme " + caller.programmeCode() + " only and cannot create programmes");
                }
            }
            default -> throw new IllegalStateException("No rule for " + callers);
        }
    }

    /** Who may call the method: as it names them, else as its class does; {@code null} when neither does. */
    static Callers callersOf(Class<?> type, Method method) {
        CalledBy named = method == null ? null : method.getAnnotation(CalledBy.class);
        if (named == null && type != null) {
            named = type.getAnnotation(CalledBy.class);
        }
        return named == null ? null : named.value();
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
