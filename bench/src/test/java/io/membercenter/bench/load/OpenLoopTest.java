package io.membercenter.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

    private static final Duration STALL = Duration.ofMillis(200);
    /** An in-flight bound no test reaches, even when a crowded machine is slow to run the virtual threads. */
    private static final int ROOMY = 10_000;

    @Test
    void sendsRequestsAtTheAskedRate() {
        ConcurrentLinkedQueue<Long> startTimes = new ConcurrentLinkedQueue<>();
        long before = System.nanoTime();

        LoadResult result = new OpenLoop(2_000, ROOMY, Duration.ZERO, Duration.ofSeconds(2))
                .run(() -> startTimes.add(System.nanoTime()));

        double elapsedSeconds = (System.nanoTime() - before) / 1e9;
        assertThat(result.attempted()).isCloseTo(4_000, within(120L));
        assertThat(startTimes).hasSize((int) result.succeeded());
        assertThat(result.errors()).isZero();
        assertThat(result.dropped()).isZero();
        assertThat(result.throughputPerSecond()).isCloseTo(2_000, within(60.0));
        // The schedule is paced in real time, not sent in a burst: about half the requests start in each second.
        long firstSecond =
                startTimes.stream().filter(t -> t - before < 1_000_000_000L).count();
        assertThat(firstSecond).isCloseTo(2_000, within(100L));
        assertThat(elapsedSeconds).isBetween(1.95, 2.5);
    }

    @Test
    void excludesTheWarmupFromTheResult() {
        AtomicInteger calls = new AtomicInteger();

        LoadResult result =
                new OpenLoop(1_000, ROOMY, Duration.ofMillis(500), Duration.ofSeconds(1)).run(calls::incrementAndGet);

        assertThat(calls.get()).isCloseTo(1_500, within(2));
        assertThat(result.attempted()).isCloseTo(1_000, within(2L));
        assertThat(result.succeeded()).isEqualTo(result.attempted());
    }

    /**
     * A system that serves one request at a time freezes once for 200 ms in a 1,000/s stream. About 200
     * requests were due during the freeze; each waited for it, from 200 ms down to 0. That is 10 % of the
     * 2,000 requests, so p99 is near 200 ms. A generator that waits for each answer before sending the next
     * (coordinated) records one slow sample among ~1,800 and a p99 of almost nothing.
     */
    @Test
    void chargesAStallToEveryRequestScheduledBehindIt() {
        LoadResult openLoop = new OpenLoop(1_000, ROOMY, Duration.ZERO, Duration.ofSeconds(2))
                .run(new SingleServerWithOneStall(Duration.ofMillis(500)));

        Histogram coordinated = coordinatedMeasurement(
                1_000, Duration.ofSeconds(2), new SingleServerWithOneStall(Duration.ofMillis(500)));

        assertThat(openLoop.latency().p99()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(openLoop.latency().max()).isGreaterThanOrEqualTo(STALL);
        assertThat(openLoop.dropped()).isZero();
        assertThat(coordinated.getMaxValue()).isGreaterThanOrEqualTo(STALL.toNanos());
        assertThat(Duration.ofNanos(coordinated.getValueAtPercentile(99))).isLessThan(Duration.ofMillis(50));
    }

    @Test
    void dropsRequestsDueWhileTheInFlightBoundIsReached() {
        LoadResult result = new OpenLoop(1_000, 5, Duration.ZERO, Duration.ofMillis(500)).run(() -> Thread.sleep(100));

        // 5 slots, each busy 100 ms: at most ~5 per 100 ms get through, the rest of the ~500 are dropped.
        assertThat(result.dropped()).isGreaterThan(400);
        assertThat(result.succeeded()).isBetween(5L, 40L);
        assertThat(result.attempted()).isCloseTo(500, within(15L));
    }

    @Test
    void countsFailedRequestsWithoutTimingThem() {
        AtomicInteger calls = new AtomicInteger();

        LoadResult result = new OpenLoop(1_000, ROOMY, Duration.ZERO, Duration.ofMillis(500)).run(() -> {
            if (calls.incrementAndGet() % 5 == 0) {
                throw new IllegalStateException("every fifth fails");
            }
        });

        assertThat(result.errors()).isCloseTo(100, within(5L));
        assertThat(result.latency().count()).isEqualTo(result.succeeded());
        assertThat(result.firstError()).hasValue("IllegalStateException: every fifth fails");
    }

    @Test
    void refusesANonPositiveRate() {
        assertThatThrownBy(() -> new OpenLoop(0, 10, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ratePerSecond");
    }

    /** The naive way: pace sends at the rate, but wait for each answer and time from the actual send. */
    private static Histogram coordinatedMeasurement(double ratePerSecond, Duration duration, Operation operation) {
        Histogram latency = new Histogram(3);
        long intervalNanos = (long) (1e9 / ratePerSecond);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (long next = start; next < end; next += intervalNanos) {
            while (System.nanoTime() < next) {
                Thread.onSpinWait();
            }
            long sent = System.nanoTime();
            try {
                operation.call();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            latency.recordValue(System.nanoTime() - sent);
        }
        return latency;
    }

    /** A server that answers one request at a time, instantly, except once, after a delay, when it freezes. */
    private static final class SingleServerWithOneStall implements Operation {
        private final ReentrantLock server = new ReentrantLock();
        private final AtomicBoolean stalled = new AtomicBoolean();
        private final long stallAt;

        SingleServerWithOneStall(Duration stallAfter) {
            this.stallAt = System.nanoTime() + stallAfter.toNanos();
        }

        @Override
        public void call() throws InterruptedException {
            server.lock();
            try {
                if (System.nanoTime() - stallAt >= 0 && stalled.compareAndSet(false, true)) {
                    Thread.sleep(STALL);
                }
            } finally {
                server.unlock();
            }
        }
    }
}
