package io.membercenter.sentinel;

import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import com.alibaba.csp.sentinel.slots.block.degrade.circuitbreaker.CircuitBreaker.State;
import com.alibaba.csp.sentinel.slots.block.degrade.circuitbreaker.EventObserverRegistry;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRule;
import com.alibaba.csp.sentinel.slots.block.flow.FlowRuleManager;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One service instance's part of Sentinel: the names of its resources and its rules. Sentinel keeps
 * rules, statistics and breaker observers in static managers, one per JVM, and each {@code loadRules}
 * replaces every rule of its kind. Two instances in one JVM (the local profile's data-center-B instance,
 * every test context with properties of its own) would otherwise share the counters of {@code mysql-a}
 * and wipe each other's rules: the breaker of one instance then never opened, because the other had
 * replaced its rules and its state observer ({@code MasterBreakerTest} failed after the rest of the suite
 * and passed alone). So each instance gets a scope of its own: a prefix on every resource name, its rules
 * kept here by scope and loaded into Sentinel as the union of all open scopes, and an observer that hears
 * only its own resources.
 *
 * <p>Invariants: a scope's rules stay in force until the scope replaces them or is closed, whatever other
 * scopes load; a scope's observer is told of its own resources only, by their unscoped names. Tests:
 * {@code SentinelScopeTest}.
 */
public final class SentinelScope implements AutoCloseable {

    /** Told when one of the scope's circuit breakers changes state; {@code resource} is the unscoped name. */
    @FunctionalInterface
    public interface BreakerObserver {
        void stateChanged(String resource, DegradeRule rule, State from, State to, Double snapshotValue);
    }

    private static final AtomicInteger SCOPES = new AtomicInteger();
    private static final Map<String, List<DegradeRule>> DEGRADE = new ConcurrentHashMap<>();
    private static final Map<String, List<FlowRule>> FLOW = new ConcurrentHashMap<>();

    private final String prefix;

    private SentinelScope(String prefix) {
        this.prefix = prefix;
    }

    /** A new scope, with a prefix no other scope of this JVM has. */
    public static SentinelScope open() {
        keepSentinelLogsUnderTarget();
        return new SentinelScope("i" + SCOPES.incrementAndGet() + "/");
    }

    /** The Sentinel resource of {@code name} in this scope. */
    public String resource(String name) {
        return prefix + name;
    }

    public void degradeRules(List<DegradeRule> rules) {
        synchronized (SentinelScope.class) {
            DegradeRuleManager.loadRules(replace(DEGRADE, rules));
        }
    }

    public void flowRules(List<FlowRule> rules) {
        synchronized (SentinelScope.class) {
            FlowRuleManager.loadRules(replace(FLOW, rules));
        }
    }

    /** Registers the observer of this scope's circuit breakers (one per scope; a second replaces the first). */
    public void onBreakerStateChange(BreakerObserver observer) {
        EventObserverRegistry.getInstance().addStateChangeObserver(prefix, (from, to, rule, value) -> {
            String resource = rule.getResource();
            if (resource.startsWith(prefix)) {
                observer.stateChanged(resource.substring(prefix.length()), rule, from, to, value);
            }
        });
    }

    /** Takes the scope's rules out of Sentinel and stops telling its observer. */
    @Override
    public void close() {
        EventObserverRegistry.getInstance().removeStateChangeObserver(prefix);
        degradeRules(List.of());
        flowRules(List.of());
    }

    /** Puts this scope's rules of one kind and returns the union of every scope's rules of that kind. */
    private <R> List<R> replace(Map<String, List<R>> rulesByScope, List<R> rules) {
        if (rules.isEmpty()) {
            rulesByScope.remove(prefix);
        } else {
            rulesByScope.put(prefix, List.copyOf(rules));
        }
        List<R> union = new ArrayList<>();
        rulesByScope.values().forEach(union::addAll);
        return union;
    }

    /**
     * Sentinel writes its own logs (its record log, per-second metric files) to {@code
     * csp.sentinel.log.dir}, read once when its logging class loads; by default that is {@code ~/logs/csp}.
     * Called before any Sentinel class is touched: under the working directory's {@code target/} unless the
     * JVM was started with the property.
     */
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
}
