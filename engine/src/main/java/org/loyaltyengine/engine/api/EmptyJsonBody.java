package org.loyaltyengine.engine.api;

import java.io.IOException;
import java.io.PushbackInputStream;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

/**
 * Reads an empty body labelled {@code application/json} as no body, as one sent without the label is read: many
 * HTTP clients (and clients generated from {@code /openapi}) label every POST, also those the contract gives no body
 * (a card's replacement, a rollback, an expiry run), which JSON-B would otherwise refuse as malformed JSON. A call
 * that needs a body still gets the contract's 400 for a missing one.
 */
@Provider
public class EmptyJsonBody implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type == null || !MediaType.APPLICATION_JSON_TYPE.isCompatible(type) || context.getType() == String.class) {
            return context.proceed();
        }
        PushbackInputStream in = new PushbackInputStream(context.getInputStream(), 1);
        int first = in.read();
        if (first == -1) {
            return null;
        }
        in.unread(first);
        context.setInputStream(in);
        return context.proceed();
    }
}
