package io.membercenter.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.membercenter.bench.load.SweepResult.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.function.DoubleFunction;
import org.junit.jupiter.api.Test;

class RateSweepTest {

    private static final Duration BOUND = Duration.ofMillis(10);
    private static final double LIMIT = 1_000;
    /** The fake systems carry at most this rate, whatever their latency. */
    private static final double SATURATION = 2_000;

    /** The search on fake steps: from 100/s, up to 100,000/s, 4 refinements; warm-up and window unused. */
    private final RateSweep sweep = new RateSweep(BOUND, 100, 100_000, 4, 1_000, Duration.ZERO, Duration.ofSeconds(1));

    private final List<Double> asked = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();

    @Test
    void doublesTheRateWhileTheSystemKeepsUpThenBisectsBetweenTheHighestThatHeldAndTheNextThatDidNot() {
        sweep.search(slowAbove(LIMIT), progress::add);

        // 1,600/s misses the bound but is carried; 3,200/s is past the saturation at 2,000/s.
        assertThat(asked.subList(0, 6)).containsExactly(100.0, 200.0, 400.0, 800.0, 1_600.0, 3_200.0);
        assertThat(asked).hasSize(6 + 4);
        assertThat(asked.get(6)).isEqualTo(Math.sqrt(800 * 1_600));
        assertThat(asked.subList(6, asked.size()))
                .allSatisfy(rate -> assertThat(rate).isBetween(800.0, 1_600.0));
    }

    /** Durable writes: a slow fsync is the p99 of a few requests a second, group commit hides it at more. */
    @Test
    void keepsGoingPastALowRateWhoseP99MissedTheBoundWhileTheSystemKeepsUp() {
        SweepResult result = sweep.search(
                recordingRates(rate -> measured(
                        rate, millis(rate < 300 ? 30 : rate <= LIMIT ? 2 : 50), 0, 0, Math.min(rate, SATURATION))),
                progress::add);

        assertThat(result.steps()).filteredOn(step -> step.askedRate() < 300).noneMatch(Step::held);
        assertThat(result.sustainableRate())
                .hasValueSatisfying(rate -> assertThat(rate).isBetween(800.0, LIMIT));
        assertThat(result.limitFound()).isTrue();
    }

    @Test
    void measuresEnoughRequestsAtLowRatesForAP99ToMeanSomething() {
        assertThat(sweep.measuredAt(10)).isEqualTo(Duration.ofSeconds(20));
        assertThat(sweep.measuredAt(10_000)).isEqualTo(Duration.ofSeconds(1));
    }

    /** The bracket [800, 1,600] has a ratio of 2; four geometric refinements leave 2^(1/16), 4.4 %. */
    @Test
    void findsTheHighestRateWhoseP99StaysUnderTheBound() {
        SweepResult result = sweep.search(slowAbove(LIMIT), progress::add);

        double tolerance = Math.pow(2, 1.0 / 16);
        assertThat(result.sustainableRate())
                .hasValueSatisfying(rate -> assertThat(rate).isBetween(LIMIT / tolerance, LIMIT));
        assertThat(result.atSustainableRate().orElseThrow().askedRate())
                .isEqualTo(result.sustainableRate().get());
        assertThat(result.limitFound()).isTrue();
        assertThat(result.p99Bound()).isEqualTo(BOUND);
        assertThat(progress.getLast()).startsWith("sustainable: ");
    }

    @Test
    void keepsEveryStepSortedByAskedRateSayingWhetherItHeld() {
        SweepResult result = sweep.search(slowAbove(LIMIT), progress::add);

        assertThat(result.steps()).extracting(Step::askedRate).isSorted().containsExactlyInAnyOrderElementsOf(asked);
        assertThat(result.steps()).allSatisfy(step -> assertThat(step.held()).isEqualTo(step.askedRate() <= LIMIT));
    }

    @Test
    void neverAsksForMoreThanTheMaxRate() {
        RateSweep capped = new RateSweep(BOUND, 100, 1_000, 4, 1_000, Duration.ZERO, Duration.ofSeconds(1));

        SweepResult result = capped.search(slowAbove(10_000), progress::add);

        assertThat(asked).containsExactly(100.0, 200.0, 400.0, 800.0, 1_000.0);
        assertThat(result.sustainableRate()).hasValue(1_000.0);
        assertThat(result.limitFound()).isFalse();
        assertThat(progress.getLast()).contains("the limit lies above it");
    }

    @Test
    void reportsNoSustainableRateWhenNoRateUpToSaturationHeld() {
        SweepResult result = sweep.search(slowAbove(50), progress::add);

        assertThat(asked).containsExactly(100.0, 200.0, 400.0, 800.0, 1_600.0, 3_200.0);
        assertThat(result.sustainableRate()).isEmpty();
        assertThat(result.atSustainableRate()).isEmpty();
        assertThat(result.limitFound()).isTrue();
        assertThat(progress.getLast()).isEqualTo("no rate held from 100/s to 3,200/s");
    }

    @Test
    void countsAStepWithErrorsAsFailingWhateverItsLatency() {
        SweepResult result = sweep.search(
                recordingRates(rate -> measured(rate, millis(1), rate > LIMIT ? 3 : 0, 0, rate)), progress::add);

        assertThat(result.sustainableRate().orElseThrow()).isLessThanOrEqualTo(LIMIT);
        assertThat(progress).anyMatch(line -> line.contains("did not hold: 3 errors (IOException: refused)"));
    }

    @Test
    void countsAStepWithDroppedRequestsAsFailingWhateverItsLatency() {
        SweepResult result = sweep.search(
                recordingRates(rate -> measured(rate, millis(1), 0, rate > LIMIT ? 7 : 0, rate)), progress::add);

        assertThat(result.sustainableRate().orElseThrow()).isLessThanOrEqualTo(LIMIT);
        assertThat(progress).anyMatch(line -> line.contains("did not hold: 7 dropped"));
    }

    /** Throughput capped at 1,000/s still reaches 95 % of rates up to 1,000 / 0.95 = 1,053/s. */
    @Test
    void countsAStepWhoseThroughputFallsShortOfTheAskedRateAsFailing() {
        SweepResult result = sweep.search(
                recordingRates(rate -> measured(rate, millis(1), 0, 0, Math.min(rate, LIMIT))), progress::add);

        assertThat(result.sustainableRate().orElseThrow()).isBetween(LIMIT, LIMIT / RateSweep.THROUGHPUT_SHARE);
    }

    @Test
    void refusesAMaxRateBelowTheStartRate() {
        assertThatThrownBy(() -> new RateSweep(BOUND, 1_000, 500, 3, 100, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRate");
    }

    @Test
    void refusesANonPositiveBound() {
        assertThatThrownBy(() -> new RateSweep(Duration.ZERO, 100, 500, 3, 100, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("p99Bound");
    }

    /**
     * A real queue: 4 servers (fair permits), each busy 2 ms per request and a little more (sleeps overshoot),
     * so at most 2,000/s. Arrivals are evenly spaced: below capacity a request hardly waits; above it the queue
     * grows with the excess until p99 passes the bound. The rates asked are 300, 600, 1,200, 2,400 (20 % over
     * capacity: p99 in the hundreds of ms), then 1,697 and either 2,018 (over capacity: its queue reaches
     * tens of ms within the 700 ms step) or 1,427. A quarter of the capacity is clearly safe.
     */
    @Test
    void findsARateBetweenASafeLoadAndTheCapacityOfARealQueue() {
        Semaphore servers = new Semaphore(4, true);
        Operation queuedService = () -> {
            servers.acquire();
            try {
                Thread.sleep(2);
            } finally {
                servers.release();
            }
        };
        double capacity = 4 / 0.002;
        RateSweep realSweep = new RateSweep(
                Duration.ofMillis(20), 300, 5_000, 2, 10_000, Duration.ofMillis(200), Duration.ofMillis(500));

        SweepResult result = realSweep.run(queuedService, progress::add);

        assertThat(result.sustainableRate())
                .as(String.join("\n", progress))
                .hasValueSatisfying(rate -> assertThat(rate).isBetween(capacity / 4, capacity));
        assertThat(result.limitFound()).isTrue();
    }

    /** Answers in 2 ms up to {@code limit} per second and in 50 ms above it; records the rates asked. */
    /** p99 within the bound up to {@code limit}, over it above; carried up to {@link #SATURATION}. */
    private DoubleFunction<LoadResult> slowAbove(double limit) {
        return recordingRates(rate -> measured(rate, millis(rate <= limit ? 2 : 50), 0, 0, Math.min(rate, SATURATION)));
    }

    /** Records the rates asked, then measures with {@code system}. */
    private DoubleFunction<LoadResult> recordingRates(DoubleFunction<LoadResult> system) {
        return rate -> {
            asked.add(rate);
            return system.apply(rate);
        };
    }

    /** One second measured: {@code throughput} successes, half of them under p99 / 2. */
    private static LoadResult measured(double rate, long p99Nanos, long errors, long dropped, double throughput) {
        long succeeded = Math.round(throughput);
        Latency latency = new Latency(succeeded, p99Nanos / 2, p99Nanos, p99Nanos, p99Nanos, p99Nanos, p99Nanos / 2.0);
        return new LoadResult(
                "open",
                1_000,
                rate,
                Duration.ofSeconds(1),
                succeeded,
                errors,
                dropped,
                latency,
                errors > 0 ? Optional.of("IOException: refused") : Optional.empty());
    }

    private static long millis(long millis) {
        return Duration.ofMillis(millis).toNanos();
    }
}
