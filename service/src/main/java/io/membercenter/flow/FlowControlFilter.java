package io.membercenter.flow;

import io.membercenter.api.ProblemResponses;
import io.membercenter.traffic.Caller;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Flow control's one place in the request path: after authentication ({@code HIGHEST_PRECEDENCE + 20},
 * which sets the caller) and before the request scope ({@code + 30}) and every route and store. Only
 * {@code /v1} is limited; the admin API is not (an operator must be able to raise a limit during a flood).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 25)
final class FlowControlFilter extends OncePerRequestFilter {

    /** Sentinel's windows are one second: a blocked caller may try again after it. */
    static final String RETRY_AFTER_SECONDS = "1";

    private final SentinelFlowGate gate;
    private final ProblemResponses problems;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Map<String, Counter> blocked = new ConcurrentHashMap<>();

    FlowControlFilter(SentinelFlowGate gate, ProblemResponses problems, JsonMapper json, MeterRegistry meters) {
        this.gate = gate;
        this.problems = problems;
        this.json = json;
        this.meters = meters;
    }

    /** As authentication decides: on the normalised servlet path and on the raw URI ({@code /v1;x/...}). */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String normalised = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return !(underV1(normalised) || underV1(path(request)));
    }

    private static boolean underV1(String path) {
        return path.startsWith("/v1/") || path.equals("/v1") || path.startsWith("/v1;");
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context.isEmpty() || !uri.startsWith(context) ? uri : uri.substring(context.length());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller)) {
            chain.doFilter(request, response); // not authenticated: authentication has answered 401 already
            return;
        }
        HttpServletRequest forward = request;
        byte[] body = null;
        if ("POST".equals(request.getMethod()) && request.getRequestURI().contains("batch-get")) {
            ReplayedBody replayed = ReplayedBody.of(request);
            forward = replayed;
            body = replayed.bytes;
        }
        RequestKeys.Classified what = RequestKeys.classify(request.getMethod(), path(request), body, json);
        request.setAttribute(FlowControl.REQUEST_KEYS, what.keys());
        SentinelFlowGate.Passage passage;
        try {
            passage = gate.enter(caller.name(), caller.trafficClass(), what.group(), what.keys());
        } catch (SentinelFlowGate.Blocked b) {
            count(caller, b.rule);
            response.setHeader("Retry-After", RETRY_AFTER_SECONDS);
            problems.write(
                    response,
                    429,
                    "too-many-requests",
                    "Too Many Requests",
                    "Blocked by flow control (" + b.rule + " rule); retry after " + RETRY_AFTER_SECONDS + " s.",
                    Map.of("rule", b.rule));
            return;
        }
        try {
            chain.doFilter(forward, response);
        } finally {
            passage.close();
        }
    }

    /** {@code flow_blocked_total{caller, rule, traffic_class}}: caller names are service names, never a key. */
    private void count(Caller caller, String rule) {
        String id = caller.name() + "|" + rule;
        blocked.computeIfAbsent(
                        id,
                        k -> Counter.builder("flow.blocked")
                                .description("Requests refused with 429 by flow control")
                                .tag("caller", caller.name())
                                .tag("rule", rule)
                                .tag("traffic_class", caller.trafficClass().name())
                                .register(meters))
                .increment();
    }

    /**
     * A batch-get's body, read here to count its ids and handed to the route unchanged. The body limit
     * (64 KiB, {@code BodyLimitFilter}) runs first, so this holds at most that much; if reading fails (the
     * body is over the limit, the client went away), the route sees the same failure on its own read and
     * answers as it always did.
     */
    private static final class ReplayedBody extends HttpServletRequestWrapper {
        final byte[] bytes;
        private final IOException failure;

        private ReplayedBody(HttpServletRequest request, byte[] bytes, IOException failure) {
            super(request);
            this.bytes = bytes;
            this.failure = failure;
        }

        static ReplayedBody of(HttpServletRequest request) {
            try {
                return new ReplayedBody(request, request.getInputStream().readAllBytes(), null);
            } catch (IOException e) {
                return new ReplayedBody(request, null, e);
            }
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (failure != null) throw failure;
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("the body was read already");
                }
            };
        }

        @Override
        public int getContentLength() {
            return bytes == null ? super.getContentLength() : bytes.length;
        }

        @Override
        public long getContentLengthLong() {
            return bytes == null ? super.getContentLengthLong() : bytes.length;
        }
    }
}
