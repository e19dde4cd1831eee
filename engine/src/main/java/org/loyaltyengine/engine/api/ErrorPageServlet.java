package org.loyaltyengine.engine.api;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

import jakarta.json.Json;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.ApplicationPath;

/**
 * What the container answers when no resource does (an unknown path, an encoded slash or a malformed URL, a method
 * nobody serves, an error before the application sees the request): under {@code /api} the contract's error shape
 * {@code {"error","message","field"}}, elsewhere a short plain page; never the server's HTML report with its
 * version. Mapped by {@code WEB-INF/web.xml}.
 */
@WebServlet(urlPatterns = "/error-page")
public class ErrorPageServlet extends HttpServlet {

    /** Where the API is served: {@link LoyaltyApplication}'s path. */
    private static final String API = LoyaltyApplication.class.getAnnotation(ApplicationPath.class).value();

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number ? number : HttpServletResponse.SC_NOT_FOUND;
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null && status < 400) {
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? "" : uri.toString();
        if (status == HttpServletResponse.SC_NOT_FOUND && underApi(path) && !fromApi(request)) {
            // The container found no servlet for an address under the API's path: the API is not being served
            // yet (an instance still starting the application after a restart). Not a refusal of the request: a
            // till must send it again, here or to another instance, and a load balancer must look elsewhere.
            status = HttpServletResponse.SC_SERVICE_UNAVAILABLE;
            response.setHeader("Retry-After", "2");
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String message = ErrorResponses.message(status);
        if (path.startsWith("/api/") || path.equals("/api") || accepts(request, "application/json")) {
            response.setContentType("application/json");
            response.getWriter().write(Json.createObjectBuilder().add("error", ErrorResponses.code(status))
                    .add("message", message).addNull("field").build().toString());
        } else {
            response.setContentType("text/html");
            response.getWriter().write("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
                    + message + "</title></head><body><h1>" + message + "</h1><p><a href=\"/\">Back to the start"
                    + " page</a></p></body></html>");
        }
    }

    /**
     * Whether an address, as the client sent it, names a place under the API once decoded and its dot segments
     * resolved as the container resolves them: {@code /api/v1/pos/../../../etc/passwd} is not under the API.
     */
    static boolean underApi(String rawPath) {
        String decoded;
        try {
            decoded = URLDecoder.decode(rawPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals("..")) {
                if (segments.pollLast() == null) {
                    return false;
                }
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        return ("/" + String.join("/", segments) + "/").startsWith(API + "/");
    }

    /**
     * Whether the error arose in the servlet that serves the API (an unknown resource, answered by JAX-RS) rather
     * than in the container's default servlet, which only sees an API address while the API is not yet mapped.
     */
    private boolean fromApi(HttpServletRequest request) {
        Object servlet = request.getAttribute(RequestDispatcher.ERROR_SERVLET_NAME);
        if (servlet == null) {
            return false;
        }
        return getServletContext().getServletRegistrations().values().stream()
                .filter(registration -> registration.getMappings().contains(API + "/*"))
                .anyMatch(registration -> registration.getName().equals(servlet));
    }

    private static boolean accepts(HttpServletRequest request, String type) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(type);
    }
}
