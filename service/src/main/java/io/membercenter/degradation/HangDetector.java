package io.membercenter.degradation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The one signal Sentinel cannot see: a dependency that has stopped answering. Sentinel counts a call
 * when it ends, and the calls to a hung server (SIGSTOPped, a proxy that holds the connection) all end
 * together at their socket timeout, seconds later: until then its breaker stays closed and every new
 * request joins the wait. This counts calls while they are out. When calls are out, the oldest has waited
 * longer than the overdue time and no call at all has come back since then, the dependency is hung: it
 * is skipped at once for the rule's open time, then one probe call goes through (the others are still
 * skipped). Any call that comes back answered — the probe or one that was out when the hang began —
 * ends the hang; a probe that fails or is overdue starts another open time.
 *
 * <p>With a <b>health probe</b> (the adapter's own cheap check, e.g. a direct connection with short
 * timeouts), no request is ever the probe: a hung dependency, and one whose Sentinel breaker opened
 * ({@link #hold}), is skipped until the health probe, run every 200 ms off the request path, answers.
 * A request that is the probe waits its whole timeout when the server is still away — about one request
 * per open time in a long outage, enough to put the p99 of refused writes at a second; with the health
 * probe every refusal is immediate and traffic returns within one probe interval of the server's return.
 *
 * <p>Written here rather than taken from Sentinel or Resilience4j: both decide on finished calls only,
 * and neither lets a caller open a breaker from outside (Sentinel's state changes are protected).
 * Tests: {@code HangDetectorTest}; {@code MasterBreakerTest} (a stopped and a SIGSTOPped master).
 */
final class HangDetector {

    /** What a look at the calls found, for the log. */
    enum Finding {
        NOTHING,
        HUNG,
        ANSWERS_AGAIN
    }

    private static final long HEALTH_PROBE_INTERVAL_NANOS = 200_000_000L;

    /** A call while it is out (by identity: two calls may leave in the same nanosecond). */
    static final class Call {
        private final long startNanos;
        /** The one call let through after a hang's open time. */
        private final boolean probe;

        private Call(long startNanos, boolean probe) {
            this.startNanos = startNanos;
            this.probe = probe;
        }
    }

    private final Map<Call, Boolean> out = new ConcurrentHashMap<>();
    private volatile long lastReturnNanos;
    /** 0: not hung; otherwise the end of the current open time (System.nanoTime). */
    private final AtomicLong hungUntil = new AtomicLong();

    private final AtomicBoolean probing = new AtomicBoolean();
    /** Every one must answer: pools to one server each check (and renew) their own connections. */
    private final List<BooleanSupplier> healthProbes = new CopyOnWriteArrayList<>();

    private volatile long nextHealthProbeNanos;

    /** @param nowNanos the time now, on the clock of every later call ({@code System.nanoTime}) */
    HangDetector(long nowNanos) {
        this.lastReturnNanos = nowNanos;
    }

    /** From now on, the health probes (all of them) decide when a held dependency is called again. */
    void healthProbe(BooleanSupplier probe) {
        healthProbes.add(probe);
    }

    /**
     * The call about to go out, or {@code null} when the dependency is hung (or held) and the call must be
     * skipped.
     */
    Call leave(long now) {
        long until = hungUntil.get();
        boolean probe = false;
        if (until != 0) {
            if (!healthProbes.isEmpty() || now - until < 0 || !probing.compareAndSet(false, true)) {
                return null;
            }
            probe = true;
        }
        Call call = new Call(now, probe);
        out.put(call, Boolean.TRUE);
        return call;
    }

    /** The call did not go out after all (another breaker skipped it). */
    void cancel(Call call) {
        out.remove(call);
        if (call.probe) probing.set(false);
    }

    /**
     * The call came back: {@code answered} when the dependency answered (whatever the answer said).
     * Returns true when this answer ended a hang (for the log).
     */
    boolean returned(Call call, boolean answered, long now, long openNanos) {
        out.remove(call);
        lastReturnNanos = now;
        if (hungUntil.get() == 0) {
            return false;
        }
        if (answered) {
            probing.set(false);
            return hungUntil.getAndSet(0) != 0;
        }
        if (call.probe) {
            hungUntil.set(now + openNanos);
            probing.set(false);
        }
        return false;
    }

    /**
     * Sentinel opened one of the dependency's breakers: with a health probe, requests are held off until it
     * answers (Sentinel's own half-open probe would be a request that waits its timeout). No-op without one.
     */
    void hold(long now, long openNanos) {
        if (!healthProbes.isEmpty()) {
            hungUntil.compareAndSet(0, now + openNanos);
        }
    }

    /** Looks at the calls out and, while held with a health probe, runs the probe when it is due. */
    Finding check(long now, long overdueNanos, long openNanos) {
        if (!healthProbes.isEmpty() && hungUntil.get() != 0) {
            if (now - nextHealthProbeNanos < 0) {
                return Finding.NOTHING;
            }
            nextHealthProbeNanos = now + HEALTH_PROBE_INTERVAL_NANOS;
            if (!healthProbes.stream().allMatch(BooleanSupplier::getAsBoolean)) {
                return Finding.NOTHING;
            }
            probing.set(false);
            return hungUntil.getAndSet(0) != 0 ? Finding.ANSWERS_AGAIN : Finding.NOTHING;
        }
        return lookForHang(now, overdueNanos, openNanos) ? Finding.HUNG : Finding.NOTHING;
    }

    private boolean lookForHang(long now, long overdueNanos, long openNanos) {
        if (out.isEmpty()) {
            return false;
        }
        long oldestWait = 0;
        Call probe = null;
        for (Call call : out.keySet()) {
            if (call.probe) probe = call;
            oldestWait = Math.max(oldestWait, now - call.startNanos);
        }
        if (hungUntil.get() != 0) {
            if (probe != null && now - probe.startNanos > overdueNanos) {
                // The probe waits on a server that still does not answer: skip it again, and let the next
                // probe out after another open time (this one still waits for its own timeout).
                out.remove(probe);
                hungUntil.set(now + openNanos);
                probing.set(false);
            }
            return false;
        }
        boolean overdue = oldestWait > overdueNanos && now - lastReturnNanos > overdueNanos;
        return overdue && hungUntil.compareAndSet(0, now + openNanos);
    }

    /** Open (skipping), half-open (a probe is out), or closed (no hang). */
    BreakerState state() {
        if (hungUntil.get() == 0) return BreakerState.CLOSED;
        return probing.get() ? BreakerState.HALF_OPEN : BreakerState.OPEN;
    }
}
