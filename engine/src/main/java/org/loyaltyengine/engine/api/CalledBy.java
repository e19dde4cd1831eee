package org.loyaltyengine.engine.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a resource's methods: on the resource class, and on a method whose callers differ from its
 * class's. {@link AccessFilter} reads it from the method the request was routed to, never from the path as it was
 * typed, so a path spelled another way ({@code /admin;x/...}, percent-encoded letters) meets the rule of the method
 * it reaches. A resource method that names no callers is refused to everyone.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface CalledBy {

    Callers value();
}
