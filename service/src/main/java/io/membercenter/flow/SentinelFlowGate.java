package io.membercenter.flow;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.EntryType;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRule;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRuleManager;
import com.alibaba.csp.sentinel.slots.block.flow.param.ParamFlowException;
import com.alibaba.csp.sentinel.slots.block.flow.param.ParamFlowItem;
import com.alibaba.csp.sentinel.slots.block.flow.param.ParamFlowRule;
import com.alibaba.csp.sentinel.slots.block.flow.param.ParamFlowRuleManager;
import io.membercenter.traffic.TrafficClass;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one class that touches Sentinel's flow control. Its rule managers are static (one per JVM) and
 * each {@code loadRules} replaces all rules of its kind, so this class owns every {@code FlowRule} and
 * {@code ParamFlowRule} of the JVM (degradation owns the {@code DegradeRule}s) and rebuilds them whole
 * from our {@link FlowRules} when the rules change or a caller is seen for the first time.
 *
 * <p>Resources: {@code flow:caller:<caller>:<group>} carries a QPS rule and a thread (concurrency) rule;
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

    /** An admitted request's entries, left in the reverse order on close (Sentinel requires it). */
    static final class Passage implements AutoCloseable {
        private final Entry caller;
        private final Entry hot;

        private Passage(Entry caller, Entry hot) {
            this.caller = caller;
            this.hot = hot;
        }

        @Override
        public void close() {
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

    SentinelFlowGate(FlowRules initial) {
        keepSentinelLogsUnderTarget();
        this.rules = initial;
        load();
    }

    /** Same as degradation's: Sentinel reads its log folder once, when its first class loads. */
    private static void keepSentinelLogsUnderTarget() {
        if (System.getProperty("csp.sentinel.log.dir") == null) {
            System.setProperty(
                    "csp.sentinel.log.dir",
                    Path.of("target", "sentinel").toAbsolutePath().toString());
        }
        if (System.getProperty("csp.sentinel.app.name") == null) {
            System.setProperty("csp.sentinel.app.name", "member-center");
        }
    }

    FlowRules rules() {
        return rules;
    }

    synchronized void replace(FlowRules next) {
        this.rules = next;
        load();
    }

    /**
     * Admits the request or says which rule blocked it. The caller rule is checked first: a caller over
     * its own rate is told so even when it also asks for a hot key.
     */
    Passage enter(String caller, TrafficClass trafficClass, EndpointGroup group, List<String> keys) throws Blocked {
        if (seen.putIfAbsent(caller, trafficClass) == null) {
            synchronized (this) {
                load();
            }
        }
        FlowRules.Quota quota = rules.quotaOf(caller, trafficClass);
        Entry callerEntry;
        try {
            callerEntry = SphU.entry(callerResource(caller, group), EntryType.IN);
        } catch (BlockException blocked) {
            throw new Blocked("caller");
        }
        if (quota == null || quota.hotKey() == null || keys.isEmpty()) return new Passage(callerEntry, null);
        List<String> limited = limitedKeys(quota.hotKey(), keys);
        if (limited.isEmpty()) return new Passage(callerEntry, null);
        try {
            return new Passage(callerEntry, SphU.entry(hotResource(caller), EntryType.IN, 1, limited));
        } catch (ParamFlowException blocked) {
            callerEntry.exit();
            throw new Blocked("hot-key");
        } catch (BlockException other) {
            callerEntry.exit();
            throw new Blocked("caller");
        }
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

    private static String callerResource(String caller, EndpointGroup group) {
        return "flow:caller:" + caller + ":" + group.json;
    }

    private static String hotResource(String caller) {
        return "flow:hot:" + caller;
    }

    /** Rebuilds every Sentinel flow and hot-key rule for the callers seen so far. Under this object's lock. */
    private void load() {
        FlowRules current = rules;
        List<FlowRule> flowRules = new ArrayList<>();
        List<ParamFlowRule> hotRules = new ArrayList<>();
        seen.forEach((caller, trafficClass) -> {
            FlowRules.Quota quota = current.quotaOf(caller, trafficClass);
            if (quota == null) return;
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
        FlowRuleManager.loadRules(flowRules);
        ParamFlowRuleManager.loadRules(hotRules);
    }
}
