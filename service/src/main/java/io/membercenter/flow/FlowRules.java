package io.membercenter.flow;

import io.membercenter.traffic.TrafficClass;
import java.util.List;
import java.util.Map;

/**
 * The flow-control rules in force: a quota per traffic class, callers that have a quota of their
 * own (which replaces their class's quota whole), the global cap of each traffic class across all
 * instances ({@link GlobalCaps}) and the thresholds of system protection ({@link SystemProtection}).
 * Values; {@link FlowControl} swaps them at once.
 */
record FlowRules(
        Map<TrafficClass, Quota> classes,
        Map<String, Quota> callers,
        Map<TrafficClass, Integer> global,
        SystemLimits system) {

    FlowRules {
        classes = Map.copyOf(classes);
        callers = Map.copyOf(callers);
        global = Map.copyOf(global);
    }

    /**
     * System protection's thresholds, on this instance's requests in flight: MARKETING is shed from
     * {@code marketingShedAt × maxConcurrent} in flight, DEFAULT from {@code defaultShedAt × maxConcurrent},
     * ORDER only from {@code maxConcurrent}. {@code cpuShedAt} (0: off) sheds MARKETING when the machine's
     * CPU use is at or above it, DEFAULT when it is half-way from there to 100 %; CPU never sheds ORDER.
     */
    record SystemLimits(int maxConcurrent, double marketingShedAt, double defaultShedAt, double cpuShedAt) {}

    /**
     * @param groups requests/s and concurrent requests of one caller, per endpoint group (all four)
     * @param hotKey the limit per caller and key, or null for none (ORDER's default)
     */
    record Quota(Map<EndpointGroup, GroupLimit> groups, HotKey hotKey) {
        Quota {
            groups = Map.copyOf(groups);
        }
    }

    record GroupLimit(int requestsPerSecond, int concurrent) {}

    /** Requests/s of one caller for one key, and the keys that are never limited or have a limit of their own. */
    record HotKey(int requestsPerSecond, List<KeyException> exceptions) {
        HotKey {
            exceptions = List.copyOf(exceptions);
        }
    }

    /** A key ({@link RequestKeys} form: {@code member:<id>}, ...) that is never limited (null) or has its own limit. */
    record KeyException(String key, Integer requestsPerSecond) {
        boolean unlimited() {
            return requestsPerSecond == null;
        }
    }
}
