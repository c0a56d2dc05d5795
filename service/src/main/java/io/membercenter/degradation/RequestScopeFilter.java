package io.membercenter.degradation;

import io.membercenter.traffic.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Binds the {@link RequestScope} of an authenticated request: right after authentication (which
 * runs at {@code HIGHEST_PRECEDENCE + 20} and sets the caller), before anything that calls a store.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 30)
final class RequestScopeFilter extends OncePerRequestFilter {

    private final long deadlineNanos;

    RequestScopeFilter(DegradationProperties properties) {
        this.deadlineNanos = properties.requestDeadline().toNanos();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller = request.getAttribute(Caller.ATTRIBUTE) instanceof Caller c ? c : null;
        RequestScope scope =
                new RequestScope(caller == null ? null : caller.trafficClass(), System.nanoTime() + deadlineNanos);
        try {
            ScopedValue.where(RequestScope.CURRENT, scope).call(() -> {
                chain.doFilter(request, response);
                return null;
            });
        } catch (ServletException | IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ServletException(e);
        }
    }
}
