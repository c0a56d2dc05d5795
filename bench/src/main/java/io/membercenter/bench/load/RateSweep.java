package io.membercenter.bench.load;

import io.membercenter.bench.load.SweepResult.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;

/**
 * The sweep mode: the highest constant arrival rate at which a system keeps its p99 latency under a bound.
 * One number that says how much load a system carries at the latency callers accept, where a closed loop's
 * maximum throughput says only how much it carries when callers wait as long as it takes.
 *
 * <p>Each step is an {@link OpenLoop} at one rate, measuring at least {@link #MIN_SAMPLES} requests. A step
 * <em>holds</em> when its p99 is within the bound, no request failed or was dropped, and its throughput
 * reached 95 % of the asked rate. The sweep doubles the rate from {@code startRate} while the system keeps
 * up (see {@link #search}), up to {@code maxRate}, then bisects between the highest rate that held and the
 * next one above it that did not. Every step is a point of the latency-against-throughput chart.
 *
 * <p>The midpoint is geometric ({@code √(held × failed)}), because how far a rate is from the limit is a
 * ratio, not a difference: the bracket starts at a factor of at most 2 and each refinement takes the square
 * root, so after n refinements the limit lies within a factor {@code 2^(1/2^n)} above the sustainable rate
 * (3 refinements: 9 %, 4: 4.4 %, 5: 2.2 %). Each refinement costs one more step of warm-up + measured.
 *
 * <p>A step is short, so a rate slightly above capacity can hold: its queue grows only by the excess rate
 * times the step's duration. A longer step finds the limit more closely; p99 needs some hundreds of measured
 * requests per step (rate × measured) to mean anything at all.
 *
 * @param p99Bound    the p99 latency a step must stay within, e.g. 10 ms
 * @param startRate   the first rate, per second: one the system should carry
 * @param maxRate     the sweep never asks for more (a guard for the load generator and the machine)
 * @param refinements bisection steps after the doubling has bracketed the limit; 0 for none
 * @param maxInFlight each step's bound on requests in flight (see {@link OpenLoop}); reaching it fails a step
 * @param warmup      each step's warm-up
 * @param measured    each step's measured window
 */
public record RateSweep(
        Duration p99Bound,
        double startRate,
        double maxRate,
        int refinements,
        int maxInFlight,
        Duration warmup,
        Duration measured) {

    /** Below this share of the asked rate, a step's throughput says the system fell behind. */
    static final double THROUGHPUT_SHARE = 0.95;
    /** A p99 this many times the bound: the system is queueing, and doubling again would only queue more. */
    static final int OVERLOAD_FACTOR = 20;
    /** A step measures at least this many requests: below that its p99 is just its slowest request. */
    static final int MIN_SAMPLES = 200;

    /** Validates everything a step needs up front: a sweep should fail before its first step, not in its tenth. */
    public RateSweep {
        Objects.requireNonNull(p99Bound, "p99Bound");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(measured, "measured");
        if (p99Bound.isNegative() || p99Bound.isZero()) {
            throw new IllegalArgumentException("p99Bound must be positive, was " + p99Bound);
        }
        if (!(startRate > 0) || Double.isInfinite(startRate)) {
            throw new IllegalArgumentException("startRate must be a positive number, was " + startRate);
        }
        if (!(maxRate >= startRate) || Double.isInfinite(maxRate)) {
            throw new IllegalArgumentException(
                    "maxRate must be a number of at least startRate " + startRate + ", was " + maxRate);
        }
        if (refinements < 0) throw new IllegalArgumentException("refinements must not be negative, was " + refinements);
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        if (warmup.isNegative()) throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
        if (measured.isNegative() || measured.isZero()) {
            throw new IllegalArgumentException("measured must be positive, was " + measured);
        }
    }

    /** Runs the sweep against the operation, one open loop after another; says what it does as it goes. */
    public SweepResult run(Operation operation, Consumer<String> progress) {
        Objects.requireNonNull(operation, "operation");
        return search(rate -> new OpenLoop(rate, maxInFlight, warmup, measuredAt(rate)).run(operation), progress);
    }

    /**
     * The search alone, with {@code runStep} measuring one rate: testable without waiting for real steps.
     *
     * <p>It doubles the rate while the system keeps up (no error, no drop, throughput kept), not only while
     * p99 holds: latency is not monotonic in the rate. Durable writes show it plainly: at a few requests a
     * second every commit waits for its own fsync and one slow fsync is the p99, while at hundreds a second
     * group commit shares them. Stopping at the first p99 miss would report the disk's worst moment as the
     * limit. Then it bisects between the highest rate that held and the next rate above it that did not.
     */
    SweepResult search(DoubleFunction<LoadResult> runStep, Consumer<String> progress) {
        Steps steps = new Steps(runStep, progress);
        double rate = startRate;
        Step step = steps.at(rate);
        while (keptUp(step) && rate < maxRate) {
            rate = Math.min(rate * 2, maxRate);
            step = steps.at(rate);
        }
        Optional<Step> best = steps.taken.stream().filter(Step::held).max(Comparator.comparingDouble(Step::askedRate));
        if (best.isPresent()) {
            double held = best.get().askedRate();
            steps.taken.stream()
                    .filter(s -> !s.held() && s.askedRate() > held)
                    .min(Comparator.comparingDouble(Step::askedRate))
                    .ifPresent(failed -> bisect(steps, held, failed.askedRate()));
        }
        SweepResult result = new SweepResult(p99Bound, steps.taken);
        progress.accept(conclusion(result, rate));
        return result;
    }

    /**
     * Whether the system carried the rate at all, whatever its latency; a p99 far beyond the bound means
     * requests are queueing, and the next doubling would only queue more.
     */
    private boolean keptUp(Step step) {
        LoadResult result = step.result();
        return result.errors() == 0
                && result.dropped() == 0
                && result.throughputPerSecond() >= THROUGHPUT_SHARE * step.askedRate()
                && result.latency().p99Nanos() <= OVERLOAD_FACTOR * p99Bound.toNanos();
    }

    private void bisect(Steps steps, double held, double failed) {
        for (int i = 0; i < refinements; i++) {
            double middle = Math.sqrt(held * failed);
            if (steps.at(middle).held()) {
                held = middle;
            } else {
                failed = middle;
            }
        }
    }

    /** The measured window at a rate: at least {@link #MIN_SAMPLES} requests, at least {@code measured}. */
    Duration measuredAt(double rate) {
        Duration forSamples = Duration.ofMillis((long) Math.ceil(MIN_SAMPLES * 1000.0 / rate));
        return forSamples.compareTo(measured) > 0 ? forSamples : measured;
    }

    /** Why a step did not hold; empty when it did. */
    List<String> shortfalls(double askedRate, LoadResult result) {
        List<String> shortfalls = new ArrayList<>();
        if (result.latency().p99Nanos() > p99Bound.toNanos()) {
            shortfalls.add("p99 " + millis(result.latency().p99Nanos()) + " > " + millis(p99Bound.toNanos()));
        }
        if (result.errors() > 0) {
            shortfalls.add(result.errors() + " errors"
                    + result.firstError().map(e -> " (" + e + ")").orElse(""));
        }
        if (result.dropped() > 0) {
            shortfalls.add(result.dropped() + " dropped");
        }
        if (result.throughputPerSecond() < THROUGHPUT_SHARE * askedRate) {
            shortfalls.add(String.format(
                    Locale.ROOT,
                    "%,.0f ops/s < %.0f %% of the asked rate",
                    result.throughputPerSecond(),
                    THROUGHPUT_SHARE * 100));
        }
        return shortfalls;
    }

    private String conclusion(SweepResult result, double highestTried) {
        if (result.sustainableRate().isEmpty()) {
            return String.format(Locale.ROOT, "no rate held from %,.0f/s to %,.0f/s", startRate, highestTried);
        }
        LoadResult at = result.atSustainableRate().orElseThrow();
        return String.format(
                Locale.ROOT,
                "sustainable: %,.0f/s with p99 %s within %s%s",
                result.sustainableRate().orElseThrow(),
                millis(at.latency().p99Nanos()),
                millis(p99Bound.toNanos()),
                result.limitFound() ? "" : " (the maximum rate: the limit lies above it)");
    }

    private static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    /** The steps run so far, each told to the progress consumer before and after it runs. */
    private final class Steps {
        private final List<Step> taken = new ArrayList<>();
        private final DoubleFunction<LoadResult> runStep;
        private final Consumer<String> progress;

        Steps(DoubleFunction<LoadResult> runStep, Consumer<String> progress) {
            this.runStep = runStep;
            this.progress = progress;
        }

        Step at(double rate) {
            progress.accept(String.format(
                    Locale.ROOT,
                    "open loop at %,.0f/s: %d ms warm-up + %d ms measured ...",
                    rate,
                    warmup.toMillis(),
                    measuredAt(rate).toMillis()));
            LoadResult result = runStep.apply(rate);
            List<String> shortfalls = shortfalls(rate, result);
            Step step = new Step(rate, result, shortfalls.isEmpty());
            taken.add(step);
            progress.accept(String.format(
                    Locale.ROOT,
                    "open loop at %,.0f/s: %s (%,.0f ops/s, p50 %s, p99 %s)",
                    rate,
                    shortfalls.isEmpty() ? "held" : "did not hold: " + String.join(", ", shortfalls),
                    result.throughputPerSecond(),
                    millis(result.latency().p50Nanos()),
                    millis(result.latency().p99Nanos())));
            return step;
        }
    }
}
