package io.membercenter.bench.load;

import io.membercenter.bench.load.SweepResult.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.DoubleFunction;

/**
 * The sweep mode: the highest constant arrival rate at which a system keeps its p99 latency under a bound.
 * One number that says how much load a system carries at the latency callers accept, where a closed loop's
 * maximum throughput says only how much it carries when callers wait as long as it takes.
 *
 * <p>Each step is an {@link OpenLoop} at one rate. A step <em>holds</em> when its p99 is within the bound,
 * no request failed or was dropped, and its throughput reached 95 % of the asked rate; anything else means
 * the system did not keep up. The sweep doubles the rate from {@code startRate} while steps hold, up to
 * {@code maxRate}, then bisects between the last rate that held and the first that did not.
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
public record RateSweep(Duration p99Bound, double startRate, double maxRate, int refinements, int maxInFlight,
        Duration warmup, Duration measured) {

    /** Below this share of the asked rate, a step's throughput says the system fell behind. */
    static final double THROUGHPUT_SHARE = 0.95;

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
            throw new IllegalArgumentException("maxRate must be a number of at least startRate " + startRate
                    + ", was " + maxRate);
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
        return search(rate -> new OpenLoop(rate, maxInFlight, warmup, measured).run(operation), progress);
    }

    /** The search alone, with {@code runStep} measuring one rate: testable without waiting for real steps. */
    SweepResult search(DoubleFunction<LoadResult> runStep, Consumer<String> progress) {
        Steps steps = new Steps(runStep, progress);
        if (steps.holdsAt(startRate)) {
            double held = startRate;
            while (held < maxRate) {
                double next = Math.min(held * 2, maxRate);
                if (!steps.holdsAt(next)) {
                    bisect(steps, held, next);
                    break;
                }
                held = next;
            }
        }
        SweepResult result = new SweepResult(p99Bound, steps.taken);
        progress.accept(conclusion(result));
        return result;
    }

    private void bisect(Steps steps, double held, double failed) {
        for (int i = 0; i < refinements; i++) {
            double middle = Math.sqrt(held * failed);
            if (steps.holdsAt(middle)) {
                held = middle;
            } else {
                failed = middle;
            }
        }
    }

    /** Why a step did not hold; empty when it did. */
    List<String> shortfalls(double askedRate, LoadResult result) {
        List<String> shortfalls = new ArrayList<>();
        if (result.latency().p99Nanos() > p99Bound.toNanos()) {
            shortfalls.add("p99 " + millis(result.latency().p99Nanos()) + " > " + millis(p99Bound.toNanos()));
        }
        if (result.errors() > 0) {
            shortfalls.add(result.errors() + " errors" + result.firstError().map(e -> " (" + e + ")").orElse(""));
        }
        if (result.dropped() > 0) {
            shortfalls.add(result.dropped() + " dropped");
        }
        if (result.throughputPerSecond() < THROUGHPUT_SHARE * askedRate) {
            shortfalls.add(String.format(Locale.ROOT, "%,.0f ops/s < %.0f %% of the asked rate",
                    result.throughputPerSecond(), THROUGHPUT_SHARE * 100));
        }
        return shortfalls;
    }

    private String conclusion(SweepResult result) {
        if (result.sustainableRate().isEmpty()) {
            return String.format(Locale.ROOT, "no rate held: even %,.0f/s did not", startRate);
        }
        LoadResult at = result.atSustainableRate().orElseThrow();
        return String.format(Locale.ROOT, "sustainable: %,.0f/s with p99 %s within %s%s",
                result.sustainableRate().orElseThrow(), millis(at.latency().p99Nanos()), millis(p99Bound.toNanos()),
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

        boolean holdsAt(double rate) {
            progress.accept(String.format(Locale.ROOT, "open loop at %,.0f/s: %d ms warm-up + %d ms measured ...",
                    rate, warmup.toMillis(), measured.toMillis()));
            LoadResult result = runStep.apply(rate);
            List<String> shortfalls = shortfalls(rate, result);
            taken.add(new Step(rate, result, shortfalls.isEmpty()));
            progress.accept(String.format(Locale.ROOT, "open loop at %,.0f/s: %s (%,.0f ops/s, p50 %s, p99 %s)", rate,
                    shortfalls.isEmpty() ? "held" : "did not hold: " + String.join(", ", shortfalls),
                    result.throughputPerSecond(), millis(result.latency().p50Nanos()),
                    millis(result.latency().p99Nanos())));
            return shortfalls.isEmpty();
        }
    }
}
