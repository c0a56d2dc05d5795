package io.membercenter.traffic;

import io.membercenter.api.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Every /v1 and /admin request must carry {@code Authorization: Bearer <api-key>} of a known caller. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
final class CallerAuthenticationFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";
    private final CallerDirectory directory;
    private final ProblemResponses problems;

    CallerAuthenticationFilter(CallerDirectory directory, ProblemResponses problems) {
        this.directory = directory;
        this.problems = problems;
    }

    /**
     * Decided on the path as the handlers are matched on — decoded, normalised ({@code /x/../}, {@code //})
     * and without path parameters ({@code ;x}), which is the servlet path Tomcat computed — and on the raw
     * URI as well: {@code /v1;x/members/1} or {@code /%761/members/1} are /v1 requests and need a key.
     */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String normalised = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return !(underTheApi(normalised) || underTheApi(request.getRequestURI()));
    }

    private static boolean underTheApi(String path) {
        return path.startsWith("/v1/") || path.equals("/v1") || path.startsWith("/admin/") || path.equals("/admin");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        Optional<Caller> caller = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? directory.byKeyHash(
                        CallerDirectory.hashOf(header.substring(BEARER.length()).trim()))
                : Optional.empty();
        if (caller.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            problems.write(
                    response,
                    401,
                    "unauthorized",
                    "Unauthorized",
                    header == null ? "Send Authorization: Bearer <api-key>." : "The API key is not known.");
            return;
        }
        request.setAttribute(Caller.ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }
}
