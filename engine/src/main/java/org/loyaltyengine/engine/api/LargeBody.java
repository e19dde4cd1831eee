package org.loyaltyengine.engine.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that takes a body of up to {@link BodySizeLimit#MAX_LARGE_BYTES} (a rule set, a member
 * import) in place of {@link BodySizeLimit#MAX_BYTES}. {@link LargeBodyLimit} reads it from the method the request
 * was routed to, once {@link AccessFilter} has let the caller through: a caller without the right to the method,
 * or a path that reaches no method, never has more than {@link BodySizeLimit#MAX_BYTES} of its body read.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface LargeBody {
}
