package org.loyaltyengine.engine.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.json.Json;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What the container answers when no resource does (an unknown path, an encoded slash or a malformed URL, a method
 * nobody serves, an error before the application sees the request): under {@code /api} the contract's error shape
 * {@code {"error","message","field"}}, elsewhere a short plain page; never the server's HTML report with its
 * version. Mapped by {@code WEB-INF/web.xml}.
 */
@WebServlet(urlPatterns = "/error-page")
public class ErrorPageServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer number ? number : HttpServletResponse.SC_NOT_FOUND;
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) != null && status < 400) {
            status = HttpServletResponse.SC_INTERNAL_SERVER_ERROR;
        }
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        String path = uri == null ? "" : uri.toString();
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

    private static boolean accepts(HttpServletRequest request, String type) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(type);
    }
}
