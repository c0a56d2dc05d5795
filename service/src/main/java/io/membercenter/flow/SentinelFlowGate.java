package io.membercenter.flow;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.EntryType;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRule;
import com.alibaba.csp.sentinel.slots.block.flow.param.ParamFlowException;
import com.alibaba.csp.sentinel.slots.block.flow.param.ParamFlowItem;
import com.alibaba.csp.sentinel.slots.block.flow.param.ParamFlowRule;
import io.membercenter.sentinel.SentinelScope;
import io.membercenter.traffic.TrafficClass;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one class that makes Sentinel's flow control rules. Each {@code loadRules} of Sentinel replaces all
 * rules of its kind, so this class owns every {@code FlowRule} and {@code ParamFlowRule} of its instance's
 * {@link SentinelScope} (degradation owns the {@code DegradeRule}s) and rebuilds them whole from our
 * {@link FlowRules} when the rules change or a caller is seen for the first time. The scope keeps another
 * instance in the same JVM (data center B's local instance, a test's second context) from sharing this
 * one's counters or dropping its rules.
 *
 * <p>Resources (in the scope): {@code flow:caller:<caller>:<group>} carries a QPS rule and a thread (concurrency) rule;
 * {@code flow:hot:<caller>} carries the caller's {@code ParamFlowRule}, entered with the request's keys
 * as its one parameter (a list: Sentinel checks every element, so each id of a batch counts). Keys that
 * are never limited are left out of that list here; keys with a limit of their own are
 * {@code ParamFlowItem}s. Sentinel's hot-key counter is a token bucket refilled whole after each full
 * second (not a sliding window): for one key, a caller gets at most {@code limit × (1 + whole seconds
 * elapsed)} passes, the bound {@code FlowControlTest} asserts under concurrency.
 *
 * <p>Sentinel never sees a key, only its {@link #token}: Sentinel writes the parameter values of blocked
 * calls to its block log and every rule (exceptions included) to its record log, and a key may be a
 * mobile or an e-mail address. The token is a salted 64-bit hash (the salt is random per JVM and never
 * written), so the logs hold no personal data and a token cannot be reversed by trying all mobiles.
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
     * An admitted request's entries, left in the reverse order on close (Sentinel requires it), and its place
     * among the requests in flight that system protection counts.
     */
    static final class Passage implements AutoCloseable {
        private final Entry caller;
        private final Entry hot;
        private final SystemProtection system;

        private Passage(Entry caller, Entry hot, SystemProtection system) {
            this.caller = caller;
            this.hot = hot;
            this.system = system;
        }

        @Override
        public void close() {
            system.exit();
            if (hot != null) hot.exit();
            caller.exit();
        }
    }

    private static final long SALT = new SecureRandom().nextLong();

    /**
     * What Sentinel counts a key under. Not a cryptographic hash: a 64-bit FNV-1a over the key, salted and
     * mixed (SplitMix64's finaliser) — a few nanoseconds per key, which matters for a 100-id batch; two keys
     * share a counter only with odds of about n²/2⁶⁴.
     */
    static String token(String key) {
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
        return Long.toHexString(h);
    }

    /** The callers seen so far, with their traffic class: Sentinel's rules are per caller's resource. */
    private final Map<String, TrafficClass> seen = new ConcurrentHashMap<>();

    private volatile FlowRules rules;
    /** The callers' own quotas from the caller registry; the rules' {@code callers} section wins over them. */
    private volatile Map<String, FlowRules.Quota> registryQuotas = Map.of();

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
        Entry hotEntry = null;
        List<String> limited = quota == null || quota.hotKey() == null || keys.isEmpty()
                ? List.of()
                : limitedKeys(quota.hotKey(), keys);
        if (!limited.isEmpty()) {
            try {
                hotEntry = SphU.entry(hotResource(caller), EntryType.IN, 1, limited);
            } catch (ParamFlowException blocked) {
                callerEntry.exit();
                throw new Blocked("hot-key");
            } catch (BlockException other) {
                callerEntry.exit();
                throw new Blocked("caller");
            }
        }
        if (!system.enter(trafficClass)) {
            leave(callerEntry, hotEntry);
            throw new Blocked("system");
        }
        if (!global.tryAcquire(trafficClass)) {
            system.exit();
            leave(callerEntry, hotEntry);
            throw new Blocked("global");
        }
        return new Passage(callerEntry, hotEntry, system);
    }

    private static void leave(Entry callerEntry, Entry hotEntry) {
        if (hotEntry != null) hotEntry.exit();
        callerEntry.exit();
    }

    /** The tokens of the keys to count: every key but those excepted as never limited. */
    private static List<String> limitedKeys(FlowRules.HotKey hotKey, List<String> keys) {
        boolean anyUnlimited = hotKey.exceptions().stream().anyMatch(FlowRules.KeyException::unlimited);
        List<String> limited = new ArrayList<>(keys.size());
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

    private String hotResource(String caller) {
        return sentinel.resource("flow:hot:" + caller);
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
        List<ParamFlowRule> hotRules = new ArrayList<>();
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
            if (quota.hotKey() != null) {
                List<ParamFlowItem> items = new ArrayList<>();
                for (FlowRules.KeyException e : quota.hotKey().exceptions()) {
                    if (!e.unlimited()) {
                        items.add(new ParamFlowItem()
                                .setObject(token(e.key()))
                                .setClassType(String.class.getName())
                                .setCount(e.requestsPerSecond()));
                    }
                }
                hotRules.add(new ParamFlowRule(hotResource(caller))
                        .setParamIdx(0)
                        .setGrade(RuleConstant.FLOW_GRADE_QPS)
                        .setCount(quota.hotKey().requestsPerSecond())
                        .setDurationInSec(1)
                        .setParamFlowItemList(items));
            }
        });
        sentinel.flowRules(flowRules);
        sentinel.hotKeyRules(hotRules);
    }
}
