package io.membercenter.bench.load;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Requests at a constant arrival rate: request i is due at {@code start + i / rate}, whether or not earlier
 * ones have answered, and its latency runs from that intended start (coordinated-omission corrected; see the
 * package documentation). Each request runs on its own virtual thread, at most {@code maxInFlight} at once;
 * a request due while that many are in flight is dropped and counted, never sent late.
 *
 * @param ratePerSecond requests per second, more than 0
 * @param maxInFlight   bound on requests in flight; a run with drops asked for more than the system answers
 * @param warmup        scheduled but not recorded
 * @param measured      recorded: requests due inside it
 */
public record OpenLoop(double ratePerSecond, int maxInFlight, Duration warmup, Duration measured) {

    /** How long to wait, after the last request was due, for those still in flight; then they count as errors. */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    public OpenLoop {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(measured, "measured");
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("ratePerSecond must be a positive number, was " + ratePerSecond);
        }
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        if (warmup.isNegative()) throw new IllegalArgumentException("warmup must not be negative, was " + warmup);
        if (measured.isNegative() || measured.isZero()) {
            throw new IllegalArgumentException("measured must be positive, was " + measured);
        }
    }

    /** Schedules the whole run from the calling thread; returns when every request has answered (or timed out). */
    public LoadResult run(Operation operation) {
        Outcomes outcomes = new Outcomes();
        Semaphore inFlight = new Semaphore(maxInFlight);
        double intervalNanos = 1e9 / ratePerSecond;
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long measureUntil = measureFrom + measured.toNanos();
        for (long i = 0; ; i++) {
            // From i, not by adding intervals: rounding never accumulates into a drifting rate.
            long due = start + (long) (i * intervalNanos);
            if (due - measureUntil >= 0) {
                break;
            }
            sleepUntil(due);
            boolean measuredRequest = due - measureFrom >= 0;
            if (!inFlight.tryAcquire()) {
                if (measuredRequest) {
                    outcomes.dropped();
                }
                continue;
            }
            Thread.ofVirtual().start(() -> send(operation, due, measuredRequest, outcomes, inFlight));
        }
        awaitInFlight(inFlight, outcomes);
        return outcomes.result("open", maxInFlight, ratePerSecond, measured);
    }

    private static void send(
            Operation operation, long due, boolean measuredRequest, Outcomes outcomes, Semaphore inFlight) {
        try {
            operation.call();
            if (measuredRequest) {
                outcomes.succeeded(System.nanoTime() - due);
            }
        } catch (Exception e) {
            outcomes.noteError(e);
            if (measuredRequest) {
                outcomes.failed();
            }
        } finally {
            inFlight.release();
        }
    }

    /** parkNanos may wake early, never meaningfully late (tens of microseconds); loop until the time has come. */
    private static void sleepUntil(long due) {
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    /**
     * Requests that have not answered within the drain timeout are charged as errors (they may be measured
     * or warm-up ones; at that point the run has failed anyway and the count says so).
     */
    private void awaitInFlight(Semaphore inFlight, Outcomes outcomes) {
        try {
            if (!inFlight.tryAcquire(maxInFlight, DRAIN_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                outcomes.failed(maxInFlight - inFlight.availablePermits());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for requests in flight", e);
        }
    }
}
