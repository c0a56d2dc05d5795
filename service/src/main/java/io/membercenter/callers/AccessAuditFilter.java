package io.membercenter.callers;

import io.membercenter.flow.FlowControl;
import io.membercenter.traffic.Caller;
import io.membercenter.traffic.Scope;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Records every answered {@code /v1} request of an authenticated caller in the {@link AccessAudit}. It runs right
 * after authentication ({@code HIGHEST_PRECEDENCE + 20}) and around flow control ({@code + 25}), so it sees the
 * 429s flow control answers as well as every answer of the routes. The endpoint is the route's pattern
 * ({@code GET /v1/members/{memberId}}), never the path itself, which would carry an id or an identifier.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 22)
final class AccessAuditFilter extends OncePerRequestFilter {

    private final AccessAudit audit;

    AccessAuditFilter(AccessAudit audit) {
        this.audit = audit;
    }

    /** As authentication decides: on the normalised servlet path and on the raw URI ({@code /v1;x/...}). */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String normalised = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return !(underV1(normalised) || underV1(request.getRequestURI()));
    }

    private static boolean underV1(String path) {
        return path.startsWith("/v1/") || path.equals("/v1") || path.startsWith("/v1;");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int status = 500;
        try {
            chain.doFilter(request, response);
            status = response.getStatus();
        } finally {
            if (request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller) {
                audit.record(caller.name(), access(request, caller, status));
            }
        }
    }

    private static AccessAudit.Access access(HttpServletRequest request, Caller caller, int status) {
        String method = request.getMethod();
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String uri = request.getRequestURI();
        boolean read = "GET".equals(method)
                || ("POST".equals(method) && (uri.endsWith("/batch-get") || uri.endsWith("/search")));
        String endpoint = method + " " + (pattern instanceof String p ? p : "(not routed)");
        // The answers that carry members with their raw mobile and e-mail: 2xx member answers to a caller with
        // pii:read (every other caller sees them masked). A member without either is counted too: an audit errs
        // on the side of counting.
        boolean pii = caller.has(Scope.PII_READ)
                && status >= 200
                && status < 300
                && status != 204
                && pattern instanceof String p
                && p.startsWith("/v1/members");
        Object keys = request.getAttribute(FlowControl.REQUEST_KEYS);
        @SuppressWarnings("unchecked")
        List<String> asked = keys instanceof List<?> list ? (List<String>) list : List.of();
        return new AccessAudit.Access(endpoint, !read, status, pii, asked);
    }
}
