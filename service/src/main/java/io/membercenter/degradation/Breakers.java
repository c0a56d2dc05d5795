package io.membercenter.degradation;

import com.alibaba.csp.sentinel.slots.block.RuleConstant;
import com.alibaba.csp.sentinel.slots.block.degrade.DegradeRule;
import com.alibaba.csp.sentinel.slots.block.degrade.circuitbreaker.CircuitBreaker;
import io.membercenter.sentinel.SentinelScope;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one class that makes Sentinel's degrade rules: every dependency's breaker, its rule, its state,
 * and the bulkheads of the database pools. The rules go into this instance's {@link SentinelScope}, so
 * another instance in the same JVM neither shares this one's breakers nor replaces its rules.
 */
public final class Breakers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Breakers.class);

    /** The three Sentinel grades we use, each a signal of its own. */
    private static final int[] SIGNALS = {
        RuleConstant.DEGRADE_GRADE_RT,
        RuleConstant.DEGRADE_GRADE_EXCEPTION_RATIO,
        RuleConstant.DEGRADE_GRADE_EXCEPTION_COUNT
    };

    private final DegradationProperties properties;
    private final MeterRegistry meters;
    private final SentinelScope sentinel;
    private final Map<String, DependencyBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, BreakerRule> rules = new ConcurrentHashMap<>();
    /** Per dependency, the state of each signal's circuit breaker, as Sentinel's observer reports it. */
    private final Map<String, Map<Integer, BreakerState>> signalStates = new ConcurrentHashMap<>();

    private final Map<String, Counter> skipped = new ConcurrentHashMap<>();
    /** Looks for hung dependencies ({@link HangDetector}) ten times a second. */
    private final ScheduledExecutorService hangWatch = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("breaker-hang-watch").factory());

    Breakers(DegradationProperties properties, MeterRegistry meters, SentinelScope sentinel) {
        this.properties = properties;
        this.meters = meters;
        this.sentinel = sentinel;
        sentinel.onBreakerStateChange(this::onStateChange);
        hangWatch.scheduleWithFixedDelay(this::lookForHangs, 100, 100, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        hangWatch.shutdownNow();
    }

    /**
     * A call out longer than twice the slow-call time, with nothing come back meanwhile: hung. A held
     * dependency with a health probe: probed.
     */
    private void lookForHangs() {
        long now = System.nanoTime();
        breakers.forEach((name, breaker) -> {
            BreakerRule rule = rules.get(name);
            if (rule == null) return;
            long overdue = TimeUnit.MILLISECONDS.toNanos(2L * rule.slowCallMillis());
            switch (breaker.hangDetector().check(now, overdue, openNanos(name))) {
                case HUNG ->
                    log.info(
                            "event=breaker_open dependency={} signal=hung overdueMillis={}",
                            name,
                            2 * rule.slowCallMillis());
                case ANSWERS_AGAIN -> log.info("event=breaker_released dependency={} signal=health-probe", name);
                case NOTHING -> {}
            }
        });
    }

    /** The open time of a dependency's rule, in nanoseconds. */
    long openNanos(String dependency) {
        BreakerRule rule = rules.get(dependency);
        return TimeUnit.SECONDS.toNanos(rule == null ? 1 : rule.openSeconds());
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
        return new DependencyBreaker(dependency, sentinel.resource(dependency), this);
    }

    private void loadIntoSentinel() {
        List<DegradeRule> sentinelRules = new ArrayList<>();
        rules.forEach((dependency, rule) -> {
            for (int grade : SIGNALS) {
                sentinelRules.add(sentinelRule(sentinel.resource(dependency), rule, grade));
            }
        });
        sentinel.degradeRules(sentinelRules);
    }

    /** One signal of a rule as Sentinel's DegradeRule; {@code count} means something else per grade. */
    private static DegradeRule sentinelRule(String resource, BreakerRule rule, int grade) {
        DegradeRule sentinel = new DegradeRule(resource)
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
        DependencyBreaker breaker = breakers.get(dependency);
        BreakerState worst =
                breaker == null ? BreakerState.CLOSED : breaker.hangDetector().state();
        Map<Integer, BreakerState> signals = signalStates.get(dependency);
        if (signals == null) {
            return worst;
        }
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
            String dependency,
            DegradeRule rule,
            CircuitBreaker.State from,
            CircuitBreaker.State to,
            Double snapshotValue) {
        BreakerState state = switch (to) {
            case OPEN -> BreakerState.OPEN;
            case HALF_OPEN -> BreakerState.HALF_OPEN;
            case CLOSED -> BreakerState.CLOSED;
        };
        signalStates.computeIfAbsent(dependency, d -> new ConcurrentHashMap<>()).put(rule.getGrade(), state);
        DependencyBreaker breaker = breakers.get(dependency);
        if (to == CircuitBreaker.State.OPEN && breaker != null) {
            breaker.hangDetector().hold(System.nanoTime(), openNanos(dependency));
        }
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
