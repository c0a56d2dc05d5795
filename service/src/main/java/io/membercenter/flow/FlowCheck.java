package io.membercenter.flow;

import io.membercenter.sentinel.SentinelScope;
import io.membercenter.traffic.TrafficClass;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The bench's door (issue 13's "overhead of the flow-control check per request"): the check that
 * {@link FlowControlFilter} makes for each request — {@link SentinelFlowGate#enter} and the passage's close — on a
 * gate of its own, outside Spring and HTTP, so a JMH benchmark can time exactly that.
 *
 * <p>The gate is the service's: the same Sentinel rules (in a {@link SentinelScope} of its own), system protection and
 * global caps, with a {@link RedisTokenStore} when a URL is given and the local share otherwise. Only the limits
 * differ: every limit is far above what one machine can send ({@link #LIMIT}), so every check of a benchmark takes the
 * path of an admitted request; how long Sentinel takes to count a request does not depend on the number it compares
 * the count with. MARKETING and DEFAULT have a hot-key rule (as in the local profile), ORDER none.
 */
public final class FlowCheck implements AutoCloseable {

    /** Every limit of {@link #withLimitsOutOfReach}: requests/s, concurrent requests and global caps. */
    public static final int LIMIT = 1_000_000_000;

    /** One request's shape as flow control classifies it, resolved once so that a benchmark times the check only. */
    public static final class Request {
        final String caller;
        final TrafficClass trafficClass;
        final EndpointGroup group;
        final List<String> keys;

        private Request(String caller, TrafficClass trafficClass, EndpointGroup group, List<String> keys) {
            this.caller = caller;
            this.trafficClass = trafficClass;
            this.group = group;
            this.keys = keys;
        }
    }

    private final SentinelScope scope;
    private final GlobalCaps global;
    private final SentinelFlowGate gate;

    private FlowCheck(SentinelScope scope, GlobalCaps global, SentinelFlowGate gate) {
        this.scope = scope;
        this.global = global;
        this.gate = gate;
    }

    /**
     * A gate whose limits no benchmark reaches.
     *
     * @param tokenStoreRedisUrl the Redis the global caps lease from ({@code redis://host:port}), or empty for none:
     *     then the global caps keep to their local share, as an instance does while its token store is unreachable
     */
    public static FlowCheck withLimitsOutOfReach(String tokenStoreRedisUrl) {
        Map<TrafficClass, FlowRules.Quota> classes = new EnumMap<>(TrafficClass.class);
        Map<TrafficClass, Integer> caps = new EnumMap<>(TrafficClass.class);
        Map<EndpointGroup, FlowRules.GroupLimit> groups = new EnumMap<>(EndpointGroup.class);
        for (EndpointGroup g : EndpointGroup.values()) groups.put(g, new FlowRules.GroupLimit(LIMIT, LIMIT));
        for (TrafficClass c : TrafficClass.values()) {
            FlowRules.HotKey hotKey = c == TrafficClass.ORDER ? null : new FlowRules.HotKey(LIMIT, List.of());
            classes.put(c, new FlowRules.Quota(groups, hotKey));
            caps.put(c, LIMIT);
        }
        FlowRules rules = new FlowRules(classes, Map.of(), caps, new FlowRules.SystemLimits(LIMIT, 0.5, 0.75, 0));
        GlobalCaps.TokenStore store = tokenStoreRedisUrl.isBlank()
                ? null
                // The service's own timeout (FlowProperties.TokenStore): a lease that takes longer is a store gone.
                : new RedisTokenStore(tokenStoreRedisUrl, Duration.ofMillis(100));
        GlobalCaps global = new GlobalCaps(store, caps, 1, System::currentTimeMillis);
        // The first heartbeat is made here, before any check: with a store that answers, the first check leases.
        global.start(250);
        SentinelScope scope = SentinelScope.open();
        SystemProtection system = new SystemProtection(rules.system(), () -> 0);
        return new FlowCheck(scope, global, new SentinelFlowGate(rules, scope, global, system));
    }

    /**
     * A request of {@code caller} in an endpoint group ({@code reads}, {@code writes}, {@code search}, {@code batch})
     * asking for {@code keys} ({@code member:<id>}, ...; empty for none).
     */
    public static Request request(String caller, TrafficClass trafficClass, String group, List<String> keys) {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(trafficClass, "trafficClass");
        EndpointGroup resolved = null;
        for (EndpointGroup g : EndpointGroup.values()) {
            if (g.json.equals(group)) resolved = g;
        }
        if (resolved == null) {
            throw new IllegalArgumentException("unknown endpoint group '" + group + "'; one of "
                    + List.of(EndpointGroup.values()).stream().map(g -> g.json).toList());
        }
        return new Request(caller, trafficClass, resolved, List.copyOf(keys));
    }

    /**
     * One check: enters the gate and, if admitted, leaves it at once, as a request that was answered.
     *
     * @return null when admitted, else the rule that blocked ({@code caller}, {@code hot-key}, {@code system},
     *     {@code global}), as the 429 names it
     */
    public String pass(Request request) {
        try {
            gate.enter(request.caller, request.trafficClass, request.group, request.keys)
                    .close();
            return null;
        } catch (SentinelFlowGate.Blocked blocked) {
            return blocked.rule;
        }
    }

    /** Whether the global caps are counted in the token store now (false: on the local share). */
    public boolean tokenStoreReachable() {
        return global.reachable();
    }

    /** Takes the gate's rules out of Sentinel and stops the token store's heartbeat. */
    @Override
    public void close() {
        scope.close();
        global.close();
    }
}
