package org.loyaltyengine.engine.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.annotation.Priority;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses bodies over {@value #MAX_BYTES} bytes with 413 {@code body_too_large} before anything parses them,
 * whether the client declares the length or streams the body in chunks. A basket of 500 lines is well under it.
 */
@Provider
@PreMatching
@Priority(100)
public class BodySizeLimit implements ContainerRequestFilter {

    /** The largest body accepted. */
    public static final int MAX_BYTES = 256 * 1024;

    /** The largest rule set source (a thousand rules and more) or member import (some 50,000 rows) accepted. */
    public static final int MAX_RULES_BYTES = 8 * 1024 * 1024;

    /** Beyond this, an oversized body is not even read to its end: the connection is closed after the answer. */
    private static final long MAX_DRAINED = 16L * 1024 * 1024;

    @Override
    public void filter(ContainerRequestContext context) throws IOException {
        if (!context.hasEntity() && context.getLength() <= 0) {
            return;
        }
        InputStream in = context.getEntityStream();
        String path = context.getUriInfo().getPath();
        int limit = path.endsWith("/rules") || path.endsWith("/members/import") ? MAX_RULES_BYTES : MAX_BYTES;
        if (context.getLength() > limit) {
            refuse(context, in, limit);
            return;
        }
        byte[] body = in.readNBytes(limit + 1);
        if (body.length > limit) {
            refuse(context, in, limit);
            return;
        }
        context.setEntityStream(new ByteArrayInputStream(body));
    }

    /**
     * Answers 413. The rest of the body is read and dropped first (up to {@link #MAX_DRAINED}): a client still
     * sending would otherwise never read the answer.
     */
    private static void refuse(ContainerRequestContext context, InputStream in, int limit) throws IOException {
        long drained = 0;
        byte[] buffer = new byte[64 * 1024];
        int read;
        while (drained < MAX_DRAINED && (read = in.read(buffer)) != -1) {
            drained += read;
        }
        Response.ResponseBuilder answer = Response.fromResponse(ErrorResponses.of(413, "body_too_large",
                "The body is larger than the " + limit / 1024 + " KiB the API accepts", null));
        if (drained >= MAX_DRAINED) {
            answer.header("Connection", "close");
        }
        context.abortWith(answer.build());
    }
}
