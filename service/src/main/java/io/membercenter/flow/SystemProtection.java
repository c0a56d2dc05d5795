package io.membercenter.flow;

import io.membercenter.traffic.TrafficClass;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;

/**
 * System protection, in the style of Sentinel's {@code SystemRule} but by traffic class: when this instance is
 * overloaded, MARKETING is shed first, then DEFAULT, and ORDER last.
 *
 * <p>The signal is the number of this instance's {@code /v1} requests in flight (admitted by flow control and not
 * yet answered): with virtual threads nothing else queues, so a store that slows down or a flood shows here first,
 * and it is exact, which makes the shedding order testable. A request of a class is shed when the requests in
 * flight are already at its threshold: {@code marketingShedAt × maxConcurrent} for MARKETING,
 * {@code defaultShedAt × maxConcurrent} for DEFAULT (never below MARKETING's), {@code maxConcurrent} for ORDER.
 * The count is read before it is raised, so it may pass a threshold by the requests entering at the same moment:
 * a protection bound, not an accounting one. Optionally ({@code cpuShedAt} above 0) the machine's CPU use sheds
 * MARKETING from {@code cpuShedAt} and DEFAULT from half-way between it and 100 %; CPU never sheds ORDER (a busy
 * CPU is not proof that ORDER's requests cannot be served, only that lower classes should wait). It is off by
 * default: on the two shared cores of the local topology the servers keep the CPU busy all the time.
 *
 * <p>Why not Sentinel's {@code SystemRule}: it is one static rule for the whole JVM (both local instances would
 * count each other's requests) and it refuses every inbound entry alike — it cannot shed MARKETING before ORDER.
 *
 * <p>Invariants: with requests held in flight between MARKETING's and ORDER's thresholds, every MARKETING request is
 * refused with {@code "rule": "system"} and every ORDER request is served ({@code SystemProtectionTest}, on the
 * service); with the CPU at {@code cpuShedAt}, MARKETING is shed, DEFAULT only from half-way to 100 %, ORDER never,
 * and a shed request takes no place in flight ({@code CpuSheddingTest}).
 */
final class SystemProtection {

    private final AtomicInteger inFlight = new AtomicInteger();
    private final DoubleSupplier cpu;
    private volatile FlowRules.SystemLimits limits;

    /** @param cpu the machine's CPU use from 0 to 1, sampled (never a system call per request) */
    SystemProtection(FlowRules.SystemLimits limits, DoubleSupplier cpu) {
        this.limits = limits;
        this.cpu = cpu;
    }

    void limits(FlowRules.SystemLimits next) {
        this.limits = next;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Admits one request of the class (then {@link #exit()} when it is answered) or says it is shed. */
    boolean enter(TrafficClass trafficClass) {
        FlowRules.SystemLimits l = limits;
        double threshold = switch (trafficClass) {
            case ORDER -> l.maxConcurrent();
            case DEFAULT -> l.maxConcurrent() * l.defaultShedAt();
            case MARKETING -> l.maxConcurrent() * l.marketingShedAt();
        };
        if (inFlight.get() >= threshold) return false;
        if (l.cpuShedAt() > 0 && trafficClass != TrafficClass.ORDER) {
            double busy = cpu.getAsDouble();
            double at = trafficClass == TrafficClass.MARKETING ? l.cpuShedAt() : (1 + l.cpuShedAt()) / 2;
            if (busy >= at) return false;
        }
        inFlight.incrementAndGet();
        return true;
    }

    void exit() {
        inFlight.decrementAndGet();
    }
}
