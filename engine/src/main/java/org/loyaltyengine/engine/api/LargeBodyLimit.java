package org.loyaltyengine.engine.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Decides on a body {@link BodySizeLimit} held because it is over {@link BodySizeLimit#MAX_BYTES}: after
 * {@link AccessFilter} has let the caller through, it is read (up to {@link BodySizeLimit#MAX_LARGE_BYTES}) for a
 * method marked {@link LargeBody}, and refused with 413 {@code body_too_large} for any other. A call the access
 * check refused, or whose path reaches no method, has its held body read and dropped after the answer is made (as
 * a 413's is), so that a client still sending reads the answer; nothing of it is kept.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 1)
public class LargeBodyLimit implements ContainerRequestFilter, ContainerResponseFilter {

    @Context
    ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext context) throws IOException {
        if (context.getProperty(BodySizeLimit.HELD) == null) {
            return;
        }
        context.removeProperty(BodySizeLimit.HELD);
        InputStream in = context.getEntityStream();
        if (!takesLargeBodies(resource.getResourceMethod())) {
            BodySizeLimit.refuse(context, in, BodySizeLimit.MAX_BYTES);
            return;
        }
        byte[] body = in.readNBytes(BodySizeLimit.MAX_LARGE_BYTES + 1);
        if (body.length > BodySizeLimit.MAX_LARGE_BYTES) {
            BodySizeLimit.refuse(context, in, BodySizeLimit.MAX_LARGE_BYTES);
            return;
        }
        context.setEntityStream(new ByteArrayInputStream(body));
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) throws IOException {
        if (request.getProperty(BodySizeLimit.HELD) == null) {
            return;
        }
        request.removeProperty(BodySizeLimit.HELD);
        if (!BodySizeLimit.drain(request.getEntityStream())) {
            response.getHeaders().putSingle("Connection", "close");
        }
    }

    static boolean takesLargeBodies(Method method) {
        return method != null && method.isAnnotationPresent(LargeBody.class);
    }
}
