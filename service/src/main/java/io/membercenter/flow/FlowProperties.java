package io.membercenter.flow;

import io.membercenter.traffic.TrafficClass;
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
 * every endpoint group; finer rules (per group, per caller, per-key exceptions) are set at run time
 * through {@code PUT /admin/flow-rules}. Validated once at start.
 */
@ConfigurationProperties("member-center.flow")
record FlowProperties(@DefaultValue Map<TrafficClass, ClassQuota> classes) {

    /**
     * @param requestsPerSecond per caller, in each endpoint group
     * @param concurrent requests in flight per caller, in each endpoint group
     * @param hotKeyRequestsPerSecond per caller and member or identifier; 0 for no hot-key limit
     */
    record ClassQuota(
            int requestsPerSecond,
            int concurrent,
            @DefaultValue("0") int hotKeyRequestsPerSecond) {}

    FlowProperties {
        classes = classes == null ? Map.of() : Map.copyOf(classes);
        List<String> problems = new ArrayList<>();
        for (TrafficClass c : TrafficClass.values()) {
            ClassQuota q = classes.get(c);
            String at = "classes." + c.name().toLowerCase(Locale.ROOT) + ".";
            if (q == null) {
                problems.add(at + "requests-per-second and concurrent are required");
                continue;
            }
            if (q.requestsPerSecond() < 1) problems.add(at + "requests-per-second must be at least 1");
            if (q.concurrent() < 1) problems.add(at + "concurrent must be at least 1");
            if (q.hotKeyRequestsPerSecond() < 0) problems.add(at + "hot-key-requests-per-second must be 0 or more");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("member-center.flow is invalid: " + String.join("; ", problems));
        }
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
        return new FlowRules(quotas, Map.of());
    }
}
