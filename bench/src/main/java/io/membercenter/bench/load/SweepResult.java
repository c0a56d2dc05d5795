package io.membercenter.bench.load;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link RateSweep} measured: every step it ran, which is what a latency-vs-throughput chart plots, and
 * the highest rate that held.
 *
 * @param p99Bound the latency a step's p99 had to stay under
 * @param steps    every step, sorted by asked rate (the order a chart draws them in, not the order they ran)
 */
public record SweepResult(Duration p99Bound, List<Step> steps) {

    public SweepResult {
        Objects.requireNonNull(p99Bound, "p99Bound");
        steps = steps.stream()
                .sorted(Comparator.comparingDouble(Step::askedRate))
                .toList();
    }

    /** The highest asked rate that held; empty when even the first one did not. */
    public Optional<Double> sustainableRate() {
        return highestHeld().map(Step::askedRate);
    }

    /** What the system did at its {@link #sustainableRate()}: the latencies and throughput to report. */
    public Optional<LoadResult> atSustainableRate() {
        return highestHeld().map(Step::result);
    }

    /**
     * Whether some rate above the sustainable one did not hold. When none did, every rate up to the sweep's
     * maximum held: the sustainable rate is only a lower bound, and the system's real limit lies above it.
     */
    public boolean limitFound() {
        double sustainable = sustainableRate().orElse(0.0);
        return steps.stream().anyMatch(step -> !step.held() && step.askedRate() > sustainable);
    }

    private Optional<Step> highestHeld() {
        return steps.reversed().stream().filter(Step::held).findFirst();
    }

    /**
     * One constant-rate run of the sweep.
     *
     * @param askedRate the arrival rate asked for, per second
     * @param result    what the run measured
     * @param held      p99 within the bound, no errors, none dropped, and throughput close to the asked rate
     */
    public record Step(double askedRate, LoadResult result, boolean held) {

        public Step {
            Objects.requireNonNull(result, "result");
        }
    }
}
