package org.loyaltyengine.engine.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses bodies over {@value #MAX_BYTES} bytes with 413 {@code body_too_large} before anything parses them,
 * whether the client declares the length or streams the body in chunks. A basket of 500 lines is well under it.
 * This runs before the caller is known and before the request is routed, so the limit is the same for every path:
 * only a call that carries a bearer token may go on with a larger body (up to {@value #MAX_LARGE_BYTES}), and then
 * no more of it than this limit is read until {@link LargeBodyLimit} has seen the caller let through to a method
 * marked {@link LargeBody}. A call not yet authenticated never holds more than this limit in memory, however many
 * are sent at once.
 */
@Provider
@PreMatching
@Priority(100)
public class BodySizeLimit implements ContainerRequestFilter {

    /** The largest body accepted. */
    public static final int MAX_BYTES = 256 * 1024;

    /**
     * The largest body a signed-in manager's rule set source (a thousand rules and more) or member import (some
     * 50,000 rows) may have: methods marked {@link LargeBody}.
     */
    public static final int MAX_LARGE_BYTES = 8 * 1024 * 1024;

    /** Beyond this, an oversized body is not even read to its end: the connection is closed after the answer. */
    private static final long MAX_DRAINED = 16L * 1024 * 1024;

    /** The request property that says the body is over {@link #MAX_BYTES} and waits for {@link LargeBodyLimit}. */
    static final String HELD = BodySizeLimit.class.getName() + ".held";

    @Override
    public void filter(ContainerRequestContext context) throws IOException {
        if (!context.hasEntity() && context.getLength() <= 0) {
            return;
        }
        InputStream in = context.getEntityStream();
        boolean mayBeLarge = bearsToken(context);
        int limit = mayBeLarge ? MAX_LARGE_BYTES : MAX_BYTES;
        if (context.getLength() > limit) {
            refuse(context, in, limit);
            return;
        }
        if (context.getLength() > MAX_BYTES) {
            context.setProperty(HELD, Boolean.TRUE);
            return;
        }
        byte[] body = in.readNBytes(MAX_BYTES + 1);
        if (body.length <= MAX_BYTES) {
            context.setEntityStream(new ByteArrayInputStream(body));
        } else if (mayBeLarge) {
            context.setEntityStream(new SequenceInputStream(new ByteArrayInputStream(body), in));
            context.setProperty(HELD, Boolean.TRUE);
        } else {
            refuse(context, in, MAX_BYTES);
        }
    }

    private static boolean bearsToken(ContainerRequestContext context) {
        String authorization = context.getHeaderString("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    /**
     * Answers 413. The rest of the body is read and dropped first (up to {@link #MAX_DRAINED}): a client still
     * sending would otherwise never read the answer.
     */
    static void refuse(ContainerRequestContext context, InputStream in, int limit) throws IOException {
        boolean drained = drain(in);
        Response.ResponseBuilder answer = Response.fromResponse(ErrorResponses.of(413, "body_too_large",
                "The body is larger than the " + limit / 1024 + " KiB the API accepts", null));
        if (!drained) {
            answer.header("Connection", "close");
        }
        context.abortWith(answer.build());
    }

    /**
     * Reads the rest of a body and drops it, up to {@link #MAX_DRAINED}.
     *
     * @return whether it was read to its end; if not, the connection must be closed after the answer
     */
    static boolean drain(InputStream in) throws IOException {
        long drained = 0;
        byte[] buffer = new byte[64 * 1024];
        int read;
        while (drained < MAX_DRAINED && (read = in.read(buffer)) != -1) {
            drained += read;
        }
        return drained < MAX_DRAINED;
    }
}
