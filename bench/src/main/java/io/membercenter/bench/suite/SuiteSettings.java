package io.membercenter.bench.suite;

import io.membercenter.bench.load.ClosedLoop;
import io.membercenter.bench.load.RateSweep;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * How the suite runs; validated when built, before any server starts.
 *
 * @param scenarios          which scenarios, in the suite's order; empty: all
 * @param members            the population loaded before any scenario
 * @param zipfExponent       the skew of every Zipfian key choice
 * @param concurrency        closed-loop workers, the same for a service and its baselines
 * @param warmup             unrecorded time before each closed-loop row
 * @param measured           measured time of each closed-loop row
 * @param sweep              whether to find each system's sustainable rate (open loop) and draw the charts
 * @param p99Bound           what "sustainable" means: p99 at most this, no errors, no drops
 * @param sweepWarmup        unrecorded time of each sweep step
 * @param sweepMeasured      measured time of each sweep step
 * @param sweepRefinements   bisection steps after the first rate that failed
 * @param hitRateWarmupReads the length of the simulated read stream that warms the cache before the hit rate
 * @param lagDuration        how long the sustained write load of the replication-lag scenario lasts
 * @param lagRate            its arrival rate (writes per second)
 * @param fanOutShards       shards of the identifier index copy on which routed and fan-out lookups are compared
 * @param loadWorkers        threads loading the population
 */
record SuiteSettings(
        List<String> scenarios,
        int members,
        double zipfExponent,
        int concurrency,
        Duration warmup,
        Duration measured,
        boolean sweep,
        Duration p99Bound,
        Duration sweepWarmup,
        Duration sweepMeasured,
        int sweepRefinements,
        long hitRateWarmupReads,
        Duration lagDuration,
        double lagRate,
        int fanOutShards,
        int loadWorkers) {

    static final List<String> ALL = List.of(
            "hit-rate",
            "cached-reads",
            "lookup-by-mobile",
            "routed-vs-fan-out",
            "marketing-mix",
            "order-mix",
            "default-mix",
            "writes",
            "replication-lag",
            "creates");
    /** The open loop's bound on requests in flight during sweeps. */
    static final int MAX_IN_FLIGHT = 1024;
    /** No sweep goes above this rate: far beyond what one 2-core machine answers. */
    static final double MAX_SWEEP_RATE = 100_000;

    SuiteSettings {
        scenarios = scenarios == null || scenarios.isEmpty() ? ALL : List.copyOf(scenarios);
        for (String scenario : scenarios) {
            if (!ALL.contains(scenario)) {
                throw new IllegalArgumentException(
                        "unknown scenario " + scenario + "; known: " + String.join(", ", ALL));
            }
        }
        if (members < 1_000) throw new IllegalArgumentException("members must be at least 1,000, was " + members);
        if (hitRateWarmupReads < 0) throw new IllegalArgumentException("hit-rate warm-up reads must not be negative");
        if (!(lagRate > 0)) throw new IllegalArgumentException("lag rate must be positive, was " + lagRate);
        if (fanOutShards < 1 || fanOutShards > 64) throw new IllegalArgumentException("fan-out shards must be 1..64");
        if (loadWorkers < 1) throw new IllegalArgumentException("load workers must be at least 1");
        // The fields are not set yet in a compact constructor: the parts are checked from the parameters.
        new ClosedLoop(concurrency, warmup, measured);
        new RateSweep(p99Bound, 1, MAX_SWEEP_RATE, sweepRefinements, MAX_IN_FLIGHT, sweepWarmup, sweepMeasured);
        if (lagDuration.isNegative() || lagDuration.isZero())
            throw new IllegalArgumentException("lag duration must be positive");
    }

    boolean runs(String scenario) {
        return Set.copyOf(scenarios).contains(scenario);
    }

    ClosedLoop closedLoop() {
        return new ClosedLoop(concurrency, warmup, measured);
    }

    RateSweep sweepAt(double startRate) {
        return new RateSweep(
                p99Bound, startRate, MAX_SWEEP_RATE, sweepRefinements, MAX_IN_FLIGHT, sweepWarmup, sweepMeasured);
    }
}
