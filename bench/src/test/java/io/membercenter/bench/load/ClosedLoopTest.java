package io.membercenter.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {

    /**
     * 4 workers on a 10 ms operation: each call takes 10 ms and a little, so at most 400/s; and whatever the
     * machine adds, throughput and latency must agree (Little's law: workers = throughput × mean latency).
     */
    @Test
    void measuresTheThroughputAndLatencyOfWhatItIsGiven() {
        LoadResult result =
                new ClosedLoop(4, Duration.ofMillis(200), Duration.ofSeconds(1)).run(() -> Thread.sleep(10));

        assertThat(result.latency().p50()).isBetween(Duration.ofMillis(10), Duration.ofMillis(15));
        assertThat(result.throughputPerSecond()).isBetween(250.0, 401.0);
        double workersBusy = result.throughputPerSecond() * result.latency().meanNanos() / 1e9;
        assertThat(workersBusy).isCloseTo(4.0, within(0.5));
        assertThat(result.latency().count()).isEqualTo(result.succeeded());
        assertThat(result.errors()).isZero();
        assertThat(result.dropped()).isZero();
        assertThat(result.concurrency()).isEqualTo(4);
    }

    @Test
    void runsExactlyTheAskedNumberOfWorkersConcurrently() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();

        new ClosedLoop(3, Duration.ZERO, Duration.ofMillis(300)).run(() -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(5);
            running.decrementAndGet();
        });

        assertThat(mostAtOnce.get()).isEqualTo(3);
    }

    /**
     * Calls started in the warm-up take 400 ms, later ones 1 ms: none of the slow ones may be recorded, even
     * those that end inside the measured window. (250 ms of margin for a busy machine's scheduling delays.)
     */
    @Test
    void excludesRequestsStartedInTheWarmup() {
        long warmupEnds = System.nanoTime() + Duration.ofMillis(200).toNanos();

        LoadResult result = new ClosedLoop(2, Duration.ofMillis(200), Duration.ofMillis(800)).run(() -> {
            boolean inWarmup = System.nanoTime() - warmupEnds < 0;
            Thread.sleep(inWarmup ? 400 : 1);
        });

        assertThat(result.latency().max()).isLessThan(Duration.ofMillis(350));
        assertThat(result.succeeded()).isPositive();
    }

    @Test
    void countsErrorsApartFromLatencies() {
        AtomicInteger calls = new AtomicInteger();

        LoadResult result = new ClosedLoop(2, Duration.ZERO, Duration.ofMillis(300)).run(() -> {
            Thread.sleep(1);
            if (calls.incrementAndGet() % 4 == 0) {
                throw new IllegalStateException("every fourth fails");
            }
        });

        double errorShare = (double) result.errors() / result.attempted();
        assertThat(errorShare).isBetween(0.2, 0.3);
        assertThat(result.latency().count()).isEqualTo(result.succeeded());
        assertThat(result.firstError()).hasValue("IllegalStateException: every fourth fails");
    }

    @Test
    void refusesZeroWorkers() {
        assertThatThrownBy(() -> new ClosedLoop(0, Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("workers");
    }
}
