package io.membercenter.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * N workers, each sending its next request as soon as the previous one answers, for a warm-up and then a
 * measured window: the maximum throughput at that concurrency. Workers are platform threads, so N is the
 * real number of callers, whatever the operation does inside.
 *
 * @param workers  concurrent callers, at least 1
 * @param warmup   run but not recorded (JIT, pools, caches)
 * @param measured recorded: requests that start inside it
 */
public record ClosedLoop(int workers, Duration warmup, Duration measured) {

    public ClosedLoop {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(measured, "measured");
        if (workers < 1) throw new IllegalArgumentException("workers must be at least 1, was " + workers);
        if (warmup.isNegative()) throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
        if (measured.isNegative() || measured.isZero()) {
            throw new IllegalArgumentException("measured must be positive, was " + measured);
        }
    }

    /** Runs the operation until the measured window has passed; returns when every worker has stopped. */
    public LoadResult run(Operation operation) {
        Outcomes outcomes = new Outcomes();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureUntil = measureFrom + measured.toNanos();
        List<Thread> threads = new ArrayList<>(workers);
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofPlatform()
                    .name("closed-loop-" + i)
                    .start(() -> work(operation, outcomes, measureFrom, measureUntil)));
        }
        threads.forEach(ClosedLoop::join);
        return outcomes.result("closed", workers, 0, measured);
    }

    private static void work(Operation operation, Outcomes outcomes, long measureFrom, long measureUntil) {
        while (true) {
            long start = System.nanoTime();
            if (start - measureUntil >= 0) {
                return;
            }
            boolean measuredRequest = start - measureFrom >= 0;
            try {
                operation.call();
                if (measuredRequest) {
                    outcomes.succeeded(System.nanoTime() - start);
                }
            } catch (Exception e) {
                outcomes.noteError(e);
                if (measuredRequest) {
                    outcomes.failed();
                }
            }
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + thread.getName(), e);
        }
    }
}
