package io.membercenter.callers;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access audit of every caller (issue 13, part 5): what it read and wrote, by endpoint; how many answers
 * carried raw personal data (mobile, e-mail); its 404s (enumeration) and 429s (flow control); and, per minute,
 * how many distinct members or identifiers it asked for and what share of its answers were 404. A caller over
 * either threshold is flagged ({@code caller_flagged{caller, reason}} is 1, {@code GET /admin/callers/{name}/usage}
 * lists the reason, one log line when a flag is raised).
 *
 * <p>Counts are this instance's since it started (each instance answers for its own traffic; Prometheus adds the
 * instances up). Labels are caller names (service names, not personal data), endpoint patterns and outcomes;
 * a member id or identifier is never a label and never kept (see {@link DistinctCounter}).
 */
final class AccessAudit {

    static final String MANY_DISTINCT_MEMBERS = "many-distinct-members";
    static final String HIGH_NOT_FOUND_SHARE = "high-not-found-share";
    private static final Logger log = LoggerFactory.getLogger(AccessAudit.class);

    /** The thresholds: more distinct keys than this in a minute, or a 404 share above this (with enough requests). */
    record Thresholds(long distinctMembersPerMinute, double notFoundShare, long minimumRequests) {}

    /** What one answered request was. */
    record Access(String endpoint, boolean write, int status, boolean piiReturned, List<String> keys) {}

    private final MeterRegistry meters;
    private final Thresholds thresholds;
    private final Instant since = Instant.now();
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();

    AccessAudit(MeterRegistry meters, Thresholds thresholds) {
        this.meters = meters;
        this.thresholds = thresholds;
    }

    void record(String caller, Access access) {
        usage.computeIfAbsent(caller, this::newUsage).record(access);
    }

    /** The usage of one caller, as {@code GET /admin/callers/{name}/usage} shows it. */
    Map<String, Object> usage(String caller) {
        Usage u = usage.get(caller);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("caller", caller);
        view.put("since", since.toString());
        if (u == null) {
            view.put("requests", 0);
            view.put("reads", 0);
            view.put("writes", 0);
            view.put("endpoints", Map.of());
            view.put("piiReturned", 0);
            view.put("notFound", 0);
            view.put("tooManyRequests", 0);
            view.put("thisMinute", minute(new Minute(0)));
            view.put("lastMinute", minute(new Minute(0)));
            view.put("flags", List.of());
            return view;
        }
        view.put("requests", u.reads.sum() + u.writes.sum());
        view.put("reads", u.reads.sum());
        view.put("writes", u.writes.sum());
        Map<String, Long> endpoints = new TreeMap<>();
        u.endpoints.forEach((endpoint, count) -> endpoints.put(endpoint, count.sum()));
        view.put("endpoints", endpoints);
        view.put("piiReturned", u.piiReturned.sum());
        view.put("notFound", u.notFound.sum());
        view.put("tooManyRequests", u.tooManyRequests.sum());
        view.put("thisMinute", minute(u.minute()));
        view.put("lastMinute", minute(u.previous));
        view.put("flags", u.flags());
        return view;
    }

    private static Map<String, Object> minute(Minute m) {
        return Map.of(
                "requests", m.requests.sum(),
                "notFound", m.notFound.sum(),
                "distinctMembers", m.distinct.estimate());
    }

    private Usage newUsage(String caller) {
        Usage u = new Usage(caller);
        for (String reason : List.of(MANY_DISTINCT_MEMBERS, HIGH_NOT_FOUND_SHARE)) {
            Gauge.builder("caller.flagged", u, x -> x.flags().contains(reason) ? 1 : 0)
                    .description("1 while the caller's access pattern is unusual (this or the last minute)")
                    .tag("caller", caller)
                    .tag("reason", reason)
                    .register(meters);
        }
        Gauge.builder("caller.distinct.members", u, x -> x.minute().distinct.estimate())
                .description("Distinct members or identifiers the caller asked for this minute (estimated)")
                .tag("caller", caller)
                .register(meters);
        return u;
    }

    /** One minute of a caller's traffic: the window the flags are judged on. */
    private static final class Minute {
        final long epochMinute;
        final LongAdder requests = new LongAdder();
        final LongAdder notFound = new LongAdder();
        final DistinctCounter distinct = new DistinctCounter();

        Minute(long epochMinute) {
            this.epochMinute = epochMinute;
        }
    }

    private final class Usage {
        final String caller;
        final LongAdder reads = new LongAdder();
        final LongAdder writes = new LongAdder();
        final LongAdder piiReturned = new LongAdder();
        final LongAdder notFound = new LongAdder();
        final LongAdder tooManyRequests = new LongAdder();
        final Map<String, LongAdder> endpoints = new ConcurrentHashMap<>();
        final Map<String, Counter> counters = new ConcurrentHashMap<>();
        final Counter piiCounter;
        final AtomicReference<Minute> current = new AtomicReference<>(new Minute(epochMinute()));
        volatile Minute previous = new Minute(epochMinute() - 1);
        volatile List<String> raised = List.of();

        Usage(String caller) {
            this.caller = caller;
            this.piiCounter = Counter.builder("caller.pii.returned")
                    .description("Answers that carried raw mobiles or e-mails, by caller")
                    .tag("caller", caller)
                    .register(meters);
        }

        void record(Access access) {
            (access.write() ? writes : reads).increment();
            endpoints.computeIfAbsent(access.endpoint(), e -> new LongAdder()).increment();
            String outcome = outcome(access.status());
            String kind = access.write() ? "write" : "read";
            counters.computeIfAbsent(
                            kind + " " + access.endpoint() + " " + outcome,
                            k -> Counter.builder("caller.requests")
                                    .description("Answered /v1 requests by caller, kind, endpoint and outcome")
                                    .tag("caller", caller)
                                    .tag("kind", kind)
                                    .tag("endpoint", access.endpoint())
                                    .tag("outcome", outcome)
                                    .register(meters))
                    .increment();
            if (access.piiReturned()) {
                piiReturned.increment();
                piiCounter.increment();
            }
            if (access.status() == 404) notFound.increment();
            if (access.status() == 429) tooManyRequests.increment();
            Minute minute = minute();
            minute.requests.increment();
            if (access.status() == 404) minute.notFound.increment();
            access.keys().forEach(minute.distinct::add);
            // Judged every 16th request of a minute (and whenever usage or the gauges are read): an estimate
            // scans 1,024 registers, too much for every request at thousands per second.
            if ((minute.requests.sum() & 15) != 0) return;
            List<String> flags = flags();
            if (!flags.equals(raised)) {
                List<String> newly = new ArrayList<>(flags);
                newly.removeAll(raised);
                raised = flags;
                if (!newly.isEmpty()) log.warn("event=caller_flagged caller={} reasons={}", caller, newly);
            }
        }

        /** The minute now, rolled over if the clock moved on (the one before it is kept for the flags). */
        Minute minute() {
            long now = epochMinute();
            Minute m = current.get();
            while (m.epochMinute != now) {
                Minute next = new Minute(now);
                if (current.compareAndSet(m, next)) {
                    previous = m.epochMinute == now - 1 ? m : new Minute(now - 1);
                    return next;
                }
                m = current.get();
            }
            return m;
        }

        List<String> flags() {
            Minute now = minute();
            List<String> flags = new ArrayList<>();
            if (Math.max(now.distinct.estimate(), previous.distinct.estimate())
                    > thresholds.distinctMembersPerMinute()) {
                flags.add(MANY_DISTINCT_MEMBERS);
            }
            if (highNotFoundShare(now) || highNotFoundShare(previous)) flags.add(HIGH_NOT_FOUND_SHARE);
            return flags;
        }

        private boolean highNotFoundShare(Minute m) {
            long requests = m.requests.sum();
            return requests >= thresholds.minimumRequests() && m.notFound.sum() > thresholds.notFoundShare() * requests;
        }
    }

    private static String outcome(int status) {
        if (status == 404) return "not_found";
        if (status == 429) return "too_many_requests";
        if (status >= 200 && status < 300) return "ok";
        if (status >= 500) return "unavailable";
        return "refused";
    }

    private static long epochMinute() {
        return System.currentTimeMillis() / 60_000;
    }
}
