package io.membercenter.degradation;

import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRuleManager;
import com.alibaba.csp.sentinel.slots.block.degrade.circuitbreaker.CircuitBreaker;
import com.alibaba.csp.sentinel.slots.block.degrade.circuitbreaker.EventObserverRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one class that touches Sentinel's static degrade rule manager: every dependency's breaker, its
 * rule, its state, and the bulkheads of the database pools. Sentinel keeps its rules in static
 * managers (one per JVM); this wraps them so the rest of the service sees an object it was given,
 * and so the flow-control rules of issue 13 can be added here next to them.
 */
public final class Breakers {

    private static final Logger log = LoggerFactory.getLogger(Breakers.class);
    private static final String OBSERVER = "member-center-breakers";

    /** The three Sentinel grades we use, each a signal of its own. */
    private static final int[] SIGNALS = {
        RuleConstant.DEGRADE_GRADE_RT,
        RuleConstant.DEGRADE_GRADE_EXCEPTION_RATIO,
        RuleConstant.DEGRADE_GRADE_EXCEPTION_COUNT
    };

    private final DegradationProperties properties;
    private final MeterRegistry meters;
    private final Map<String, DependencyBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, BreakerRule> rules = new ConcurrentHashMap<>();
    /** Per dependency, the state of each signal's circuit breaker, as Sentinel's observer reports it. */
    private final Map<String, Map<Integer, BreakerState>> signalStates = new ConcurrentHashMap<>();

    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();

    Breakers(DegradationProperties properties, MeterRegistry meters) {
        this.properties = properties;
        this.meters = meters;
        EventObserverRegistry.getInstance().addStateChangeObserver(OBSERVER, this::onStateChange);
    }

    /**
     * Sentinel writes its own logs (its record log, per-second metric files) to {@code
     * csp.sentinel.log.dir}, read once when its logging class loads; by default that is
     * {@code ~/logs/csp}. Called before any Sentinel class is touched: under the working directory's
     * {@code target/} unless the JVM was started with the property.
     */
    static void keepSentinelLogsUnderTarget() {
        if (System.getProperty("csp.sentinel.log.dir") == null) {
            System.setProperty(
                    "csp.sentinel.log.dir",
                    Path.of("target", "sentinel").toAbsolutePath().toString());
        }
        if (System.getProperty("csp.sentinel.app.name") == null) {
            System.setProperty("csp.sentinel.app.name", "member-center");
        }
    }

    /** The breaker of a dependency, created (with its configured rule) on first use. */
    public DependencyBreaker breaker(String dependency) {
        return breakers.computeIfAbsent(dependency, this::register);
    }

    /** A bulkhead over a pool of {@code connections}, shared out by traffic class. */
    public TrafficBulkhead bulkhead(String pool, int connections) {
        return new TrafficBulkhead(pool, connections, properties.bulkhead());
    }

    /** The state of a dependency's breaker; empty for a name no adapter registered. */
    public Optional<BreakerState> state(String dependency) {
        return breakers.containsKey(dependency) ? Optional.of(stateOf(dependency)) : Optional.empty();
    }

    /** Every registered dependency's rule, by name, in name order. */
    public Map<String, BreakerRule> rules() {
        Map<String, BreakerRule> sorted = new LinkedHashMap<>();
        rules.keySet().stream().sorted().forEach(name -> sorted.put(name, rules.get(name)));
        return Collections.unmodifiableMap(sorted);
    }

    /**
     * Replaces the rules of the named dependencies, all or nothing: every name must be registered and
     * every rule valid, else nothing changes and the problems are returned, each naming its field.
     * A changed rule starts its breaker closed (Sentinel builds new circuit breakers for it).
     */
    synchronized List<BreakerRule.FieldProblem> replaceRules(Map<String, BreakerRule> changes, String prefix) {
        List<BreakerRule.FieldProblem> problems = new ArrayList<>();
        changes.forEach((name, rule) -> {
            if (!rules.containsKey(name)) {
                problems.add(
                        new BreakerRule.FieldProblem(prefix + name, "is not a dependency; known: " + rules().keySet()));
            } else {
                problems.addAll(rule.problems(prefix + name + "."));
            }
        });
        if (!problems.isEmpty()) {
            return problems;
        }
        changes.forEach((name, rule) -> {
            if (!rule.equals(rules.put(name, rule))) {
                signalStates.remove(name);
                log.info("event=breaker_rule_changed dependency={} rule={}", name, rule);
            }
        });
        loadIntoSentinel();
        return List.of();
    }

    private synchronized DependencyBreaker register(String dependency) {
        BreakerRule rule = properties.dependencies().getOrDefault(dependency, properties.defaults());
        rules.put(dependency, rule);
        loadIntoSentinel();
        Gauge.builder(
                        "dependency_breaker_state",
                        this,
                        b -> b.stateOf(dependency).gaugeValue())
                .tag("store", dependency)
                .description("breaker of the dependency: 0 closed, 1 half-open, 2 open")
                .register(meters);
        skipped.put(
                dependency,
                Counter.builder("dependency_breaker_skipped_total")
                        .tag("store", dependency)
                        .description("calls not made because the breaker was open")
                        .register(meters));
        return new DependencyBreaker(dependency, this);
    }

    private void loadIntoSentinel() {
        List<DegradeRule> sentinelRules = new ArrayList<>();
        rules.forEach((dependency, rule) -> {
            for (int grade : SIGNALS) {
                sentinelRules.add(sentinelRule(dependency, rule, grade));
            }
        });
        DegradeRuleManager.loadRules(sentinelRules);
    }

    /** One signal of a rule as Sentinel's DegradeRule; {@code count} means something else per grade. */
    private static DegradeRule sentinelRule(String dependency, BreakerRule rule, int grade) {
        DegradeRule sentinel = new DegradeRule(dependency)
                .setGrade(grade)
                .setTimeWindow(rule.openSeconds())
                .setMinRequestAmount(rule.minimumCalls())
                .setStatIntervalMs(rule.statIntervalMillis());
        return switch (grade) {
            case RuleConstant.DEGRADE_GRADE_RT ->
                sentinel.setCount(rule.slowCallMillis()).setSlowRatioThreshold(rule.slowCallRatio());
            case RuleConstant.DEGRADE_GRADE_EXCEPTION_RATIO -> sentinel.setCount(rule.errorRatio());
            default -> sentinel.setCount(rule.errorCount()).setMinRequestAmount(1);
        };
    }

    BreakerState stateOf(String dependency) {
        Map<Integer, BreakerState> signals = signalStates.get(dependency);
        if (signals == null) {
            return BreakerState.CLOSED;
        }
        BreakerState worst = BreakerState.CLOSED;
        for (BreakerState state : signals.values()) {
            worst = worst.worse(state);
        }
        return worst;
    }

    void countSkipped(String dependency) {
        Counter counter = skipped.get(dependency);
        if (counter != null) counter.increment();
    }

    private void onStateChange(
            CircuitBreaker.State from, CircuitBreaker.State to, DegradeRule rule, Double snapshotValue) {
        String dependency = rule.getResource();
        BreakerState state = switch (to) {
            case OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            case CLOSED -> BreakerState.CLOSED;
        };
        signalStates.computeIfAbsent(dependency, d -> new ConcurrentHashMap<>()).put(rule.getGrade(), state);
        if (to == CircuitBreaker.State.OPEN || from == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.CLOSED) {
            log.info(
                    "event=breaker_{} dependency={} signal={} value={}",
                    state.label(),
                    dependency,
                    signalName(rule.getGrade()),
                    snapshotValue);
        }
    }

    private static String signalName(int grade) {
        return switch (grade) {
            case RuleConstant.DEGRADE_GRADE_RT -> "slow-call-ratio";
            case RuleConstant.DEGRADE_GRADE_EXCEPTION_RATIO -> "error-ratio";
            default -> "error-count";
        };
    }
}
