package org.loyaltyengine.engine.infrastructure.security;

import java.security.Principal;
import java.util.Objects;

import org.loyaltyengine.engine.domain.access.Role;

/**
 * An authenticated caller: a till (one store of one programme) or a person with a role.
 *
 * @param name           a till's "programme/store", a person's email
 * @param role           a person's role; {@code null} for a till
 * @param programmeCode  the programme a till or a customer belongs to; {@code null} for staff of all programmes
 * @param storeId        a till's store; otherwise {@code null}
 * @param memberPublicId a customer's member id; otherwise {@code null}
 */
public record Caller(String name, Role role, String programmeCode, String storeId, String memberPublicId)
        implements Principal {

    /** The servlet request attribute the authenticated caller is kept in for the rest of the request. */
    public static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        Objects.requireNonNull(name, "name");
    }

    public static Caller till(String programmeCode, String storeId) {
        return new Caller(programmeCode + "/" + storeId, null, programmeCode, storeId, null);
    }

    public boolean isTill() {
        return storeId != null && role == null;
    }

    public boolean has(Role wanted) {
        return role == wanted;
    }

    @Override
    public String getName() {
        return name;
    }
}
