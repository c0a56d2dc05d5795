package io.membercenter.flow;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.EntryType;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRule;
import io.membercenter.sentinel.SentinelScope;
import io.membercenter.traffic.TrafficClass;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one class that makes Sentinel's flow control rules, and the gate every {@code /v1} request passes. Each
 * {@code loadRules} of Sentinel replaces all rules of its kind, so this class owns every {@code FlowRule} of
 * its instance's {@link SentinelScope} (degradation owns the {@code DegradeRule}s) and rebuilds them whole from
 * our {@link FlowRules} when the rules change or a caller is seen for the first time. The scope keeps another
 * instance in the same JVM (data center B's local instance, a test's second context) from sharing this
 * one's counters or dropping its rules.
 *
 * <p>Resources (in the scope): {@code flow:caller:<caller>:<group>} carries a QPS rule and a thread (concurrency)
 * rule. The hot-key limits are each caller's {@link HotKeys}, rebuilt with the rules (why not Sentinel's
 * {@code ParamFlowRule}: there); keys that are never limited are left out of the request's list here.
 *
 * <p>The counters never hold a key, only its {@link #token}: a key may be a mobile or an e-mail address. The
 * token is a salted 64-bit hash (the salt is random per JVM and never written), so a heap dump holds no
 * personal data and a token cannot be reversed by trying all mobiles.
 */
final class SentinelFlowGate {

    /** What blocked a request: the kind of rule, as the 429 body and the metrics name it. */
    static final class Blocked extends Exception {
        final String rule;

        Blocked(String rule) {
            super(rule, null, false, false);
            this.rule = rule;
        }
    }

    /**
     * An admitted request's Sentinel entry, left on close, and its place
     * among the requests in flight that system protection counts.
     */
    static final class Passage implements AutoCloseable {
        private final Entry caller;
        private final SystemProtection system;

        private Passage(Entry caller, SystemProtection system) {
            this.caller = caller;
            this.system = system;
        }

        @Override
        public void close() {
            system.exit();
            caller.exit();
        }
    }

    private static final long SALT = new SecureRandom().nextLong();

    /**
     * What a key is counted under. Not a cryptographic hash: a 64-bit FNV-1a over the key, salted and mixed
     * (SplitMix64's finaliser) — a few nanoseconds per key, which matters for a 100-id batch; two keys share a
     * counter only with odds of about n²/2⁶⁴.
     */
    static long token(String key) {
        long h = 0xcbf29ce484222325L ^ SALT;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }

    /** The callers seen so far, with their traffic class: Sentinel's rules are per caller's resource. */
    private final Map<String, TrafficClass> seen = new ConcurrentHashMap<>();

    private volatile FlowRules rules;
    /** The callers' own quotas from the caller registry; the rules' {@code callers} section wins over them. */
    private volatile Map<String, FlowRules.Quota> registryQuotas = Map.of();
    /** The hot-key counters of the callers seen so far that have a hot-key rule; rebuilt with the rules. */
    private volatile Map<String, HotKeys> hotKeys = Map.of();

    private final SentinelScope sentinel;
    private final GlobalCaps global;
    private final SystemProtection system;
    /** The rules of configuration: what a PUT without {@code global} or {@code system} puts in force for them. */
    private final FlowRules configured;

    SentinelFlowGate(FlowRules initial, SentinelScope sentinel, GlobalCaps global, SystemProtection system) {
        this.sentinel = sentinel;
        this.global = global;
        this.system = system;
        this.configured = initial;
        this.rules = initial;
        load();
    }

    FlowRules rules() {
        return rules;
    }

    FlowRules configured() {
        return configured;
    }

    synchronized void replace(FlowRules next) {
        this.rules = next;
        global.caps(next.global());
        system.limits(next.system());
        load();
    }

    synchronized void useRegistryQuotas(Map<String, FlowRules.Quota> quotas) {
        if (quotas.equals(registryQuotas)) return;
        this.registryQuotas = Map.copyOf(quotas);
        load();
    }

    /** The rules' own quota for the caller, else the registry's, else its class's. */
    private FlowRules.Quota quotaOf(FlowRules current, String caller, TrafficClass trafficClass) {
        FlowRules.Quota override = current.callers().get(caller);
        if (override != null) return override;
        FlowRules.Quota own = registryQuotas.get(caller);
        return own != null ? own : current.classes().get(trafficClass);
    }

    /**
     * Admits the request or says which rule blocked it, in this order: the caller rule (a caller over its own
     * rate is told so even when it also asks for a hot key), the hot-key rule, system protection, the global
     * cap. Each later check only sees requests the earlier ones admitted, so a request refused for its caller
     * or key takes no global token and no place among the requests in flight.
     */
    Passage enter(String caller, TrafficClass trafficClass, EndpointGroup group, List<String> keys) throws Blocked {
        // A caller's class can change at run time (the registry): its Sentinel rules follow at once. A read first:
        // a put on every request wrote the map's bin under its lock, every request of a caller contending on one.
        if (seen.get(caller) != trafficClass && seen.put(caller, trafficClass) != trafficClass) {
            synchronized (this) {
                load();
            }
        }
        FlowRules.Quota quota = quotaOf(rules, caller, trafficClass);
        Entry callerEntry;
        try {
            callerEntry = SphU.entry(callerResource(caller, group), EntryType.IN);
        } catch (BlockException blocked) {
            throw new Blocked("caller");
        }
        HotKeys counters = keys.isEmpty() || quota == null || quota.hotKey() == null ? null : hotKeys.get(caller);
        if (counters != null && !counters.pass(limitedKeys(quota.hotKey(), keys))) {
            callerEntry.exit();
            throw new Blocked("hot-key");
        }
        if (!system.enter(trafficClass)) {
            callerEntry.exit();
            throw new Blocked("system");
        }
        if (!global.tryAcquire(trafficClass)) {
            system.exit();
            callerEntry.exit();
            throw new Blocked("global");
        }
        return new Passage(callerEntry, system);
    }

    /** The tokens of the keys to count: every key but those excepted as never limited. */
    private static List<Long> limitedKeys(FlowRules.HotKey hotKey, List<String> keys) {
        boolean anyUnlimited = hotKey.exceptions().stream().anyMatch(FlowRules.KeyException::unlimited);
        List<Long> limited = new ArrayList<>(keys.size());
        for (String key : keys) {
            boolean unlimited = anyUnlimited
                    && hotKey.exceptions().stream()
                            .anyMatch(e -> e.unlimited() && e.key().equals(key));
            if (!unlimited) limited.add(token(key));
        }
        return limited;
    }

    private String callerResource(String caller, EndpointGroup group) {
        return sentinel.resource("flow:caller:" + caller + ":" + group.json);
    }

    /** Rebuilds every Sentinel flow and hot-key rule of this instance's scope for the callers seen so far. */
    private void load() {
        FlowRules current = rules;
        Map<String, FlowRules.Quota> quotas = new LinkedHashMap<>();
        seen.forEach((caller, trafficClass) -> {
            FlowRules.Quota quota = quotaOf(current, caller, trafficClass);
            if (quota != null) quotas.put(caller, quota);
        });
        loadIntoSentinel(quotas);
    }

    private void loadIntoSentinel(Map<String, FlowRules.Quota> quotas) {
        List<FlowRule> flowRules = new ArrayList<>();
        Map<String, HotKeys> hot = new HashMap<>();
        quotas.forEach((caller, quota) -> {
            quota.groups().forEach((group, limit) -> {
                String resource = callerResource(caller, group);
                flowRules.add(new FlowRule(resource)
                        .setGrade(RuleConstant.FLOW_GRADE_QPS)
                        .setCount(limit.requestsPerSecond()));
                flowRules.add(new FlowRule(resource)
                        .setGrade(RuleConstant.FLOW_GRADE_THREAD)
                        .setCount(limit.concurrent()));
            });
            if (quota.hotKey() != null) hot.put(caller, hotKeysOf(quota.hotKey(), hotKeys.get(caller)));
        });
        sentinel.flowRules(flowRules);
        hotKeys = Map.copyOf(hot);
    }

    /**
     * The caller's counters for its hot-key rule: the ones it has when the rule is unchanged (a rule load for
     * another caller must not refill this caller's windows), else new ones.
     */
    private static HotKeys hotKeysOf(FlowRules.HotKey rule, HotKeys current) {
        Map<Long, Integer> own = new HashMap<>();
        for (FlowRules.KeyException e : rule.exceptions()) {
            if (!e.unlimited()) own.put(token(e.key()), e.requestsPerSecond());
        }
        if (current != null && current.limits(rule.requestsPerSecond(), own)) return current;
        return new HotKeys(rule.requestsPerSecond(), own, HotKeys.MONOTONIC_MILLIS);
    }
}
