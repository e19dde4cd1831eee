package org.loyaltyengine.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Security headers on every answer: no framing (click-jacking), no MIME sniffing, no referrer leaks, scripts and
 * styles from this site only (the pages load no inline script), and no caching of API answers that hold personal
 * data. The pages keep their token in memory and send it as a bearer header, never a cookie, so no other site can
 * make a browser act for a signed-in user (no cross-site request forgery). And the {@code Date} an origin server with
 * a clock must send (RFC 9110), which Payara Micro leaves out: the POS adapter sets a till's clock by it.
 */
@WebFilter(urlPatterns = "/*")
public class SecurityHeaders extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        response.setDateHeader("Date", System.currentTimeMillis());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
        response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' blob: data:; "
                + "style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
        // The servlet path, not the URI as typed: it is decoded and without path parameters ("/api;x/...").
        if (request.getServletPath().startsWith("/api/")) {
            response.setHeader("Cache-Control", "no-store");
        }
        chain.doFilter(request, response);
    }
}
