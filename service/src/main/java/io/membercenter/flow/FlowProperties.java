package io.membercenter.flow;

import io.membercenter.traffic.TrafficClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The flow-control rules a service starts with (application.yml holds the defaults of
 * ../shared/API.md, "Local profile flow-control defaults"), one quota per traffic class, the same for
 * every endpoint group; the global cap of each traffic class across all instances; system protection's
 * thresholds; and the token store the global caps are counted in. Finer rules (per group, per caller,
 * per-key exceptions) and new caps and thresholds are set at run time through {@code PUT /admin/flow-rules}.
 * Validated once at start.
 */
@ConfigurationProperties("member-center.flow")
record FlowProperties(
        @DefaultValue Map<TrafficClass, ClassQuota> classes,
        @DefaultValue Map<TrafficClass, Integer> global,
        @DefaultValue SystemProperties system,
        @DefaultValue TokenStore tokenStore) {

    /**
     * @param requestsPerSecond per caller, in each endpoint group
     * @param concurrent requests in flight per caller, in each endpoint group
     * @param hotKeyRequestsPerSecond per caller and member or identifier; 0 for no hot-key limit
     */
    record ClassQuota(
            int requestsPerSecond,
            int concurrent,
            @DefaultValue("0") int hotKeyRequestsPerSecond) {}

    /** {@link FlowRules.SystemLimits}, as configured. */
    record SystemProperties(
            @DefaultValue("2000") int maxConcurrent,
            @DefaultValue("0.5") double marketingShedAt,
            @DefaultValue("0.75") double defaultShedAt,
            @DefaultValue("0") double cpuShedAt) {}

    /**
     * Where the global caps are counted ({@link GlobalCaps}).
     *
     * @param redisUrl the Redis every instance shares (the local profile: Redis A); empty for none, in which case
     *     every instance keeps to its local share of each cap
     * @param instances the instance count assumed for the local share until the token store has told the real one
     * @param commandTimeout how long a lease may take before the store counts as unreachable
     * @param heartbeat how often an instance tells the store it is alive (and learns how many are)
     */
    record TokenStore(
            @DefaultValue("") String redisUrl,
            @DefaultValue("2") int instances,
            @DefaultValue("100ms") Duration commandTimeout,
            @DefaultValue("250ms") Duration heartbeat) {}

    FlowProperties {
        classes = classes == null ? Map.of() : Map.copyOf(classes);
        global = global == null ? Map.of() : Map.copyOf(global);
        List<String> problems = new ArrayList<>();
        for (TrafficClass c : TrafficClass.values()) {
            ClassQuota q = classes.get(c);
            String name = c.name().toLowerCase(Locale.ROOT);
            String at = "classes." + name + ".";
            if (q == null) {
                problems.add(at + "requests-per-second and concurrent are required");
            } else {
                if (q.requestsPerSecond() < 1) problems.add(at + "requests-per-second must be at least 1");
                if (q.concurrent() < 1) problems.add(at + "concurrent must be at least 1");
                if (q.hotKeyRequestsPerSecond() < 0) problems.add(at + "hot-key-requests-per-second must be 0 or more");
            }
            Integer cap = global.get(c);
            if (cap == null || cap < 1) problems.add("global." + name + " must be at least 1 (requests/s)");
        }
        if (system != null) {
            List<String> bad = new ArrayList<>();
            FlowRulesJson.checkSystem(limits(system), (field, message) -> bad.add("system." + field + " " + message));
            problems.addAll(bad);
        }
        if (tokenStore != null && tokenStore.instances() < 1) problems.add("token-store.instances must be at least 1");
        if (!problems.isEmpty()) {
            throw new IllegalStateException("member-center.flow is invalid: " + String.join("; ", problems));
        }
    }

    private static FlowRules.SystemLimits limits(SystemProperties s) {
        return new FlowRules.SystemLimits(s.maxConcurrent(), s.marketingShedAt(), s.defaultShedAt(), s.cpuShedAt());
    }

    FlowRules rules() {
        Map<TrafficClass, FlowRules.Quota> quotas = new EnumMap<>(TrafficClass.class);
        classes.forEach((c, q) -> {
            Map<EndpointGroup, FlowRules.GroupLimit> groups = new EnumMap<>(EndpointGroup.class);
            for (EndpointGroup g : EndpointGroup.values()) {
                groups.put(g, new FlowRules.GroupLimit(q.requestsPerSecond(), q.concurrent()));
            }
            FlowRules.HotKey hotKey = q.hotKeyRequestsPerSecond() == 0
                    ? null
                    : new FlowRules.HotKey(q.hotKeyRequestsPerSecond(), List.of());
            quotas.put(c, new FlowRules.Quota(groups, hotKey));
        });
        return new FlowRules(quotas, Map.of(), global, limits(system));
    }
}
