package io.membercenter.bench.outage;

import io.membercenter.bench.outage.OrderCalls.Answer;
import io.membercenter.bench.outage.Sample.Kind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The open loop of {@code load.OpenLoop} (request i due at {@code origin + i / rate}, a virtual thread each,
 * at most {@code maxInFlight} at once, a request due while that many are in flight dropped, never sent late),
 * but keeping every request as a {@link Sample} with its kind, outcome and due time instead of one
 * histogram: the timeline needs to know when each request was due and how it ended. Answer times run from
 * the due time (coordinated omission corrected, as there).
 */
final class OutageLoad {

    /** After the last request was due, how long those still in flight may take (the client times out at 10 s). */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

    private final double ratePerSecond;
    private final int maxInFlight;
    private final Duration length;

    OutageLoad(double ratePerSecond, int maxInFlight, Duration length) {
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("the rate must be a positive number, was " + ratePerSecond);
        }
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1, was " + maxInFlight);
        if (length.isNegative() || length.isZero()) throw new IllegalArgumentException("length must be positive");
        this.ratePerSecond = ratePerSecond;
        this.maxInFlight = maxInFlight;
        this.length = length;
    }

    /** What the mix sends: drawn first (so a dropped request has a kind), sent later on its own thread. */
    interface Mix {
        Call next(RandomGenerator random);
    }

    record Call(Kind kind, Supplier<Answer> send) {}

    /**
     * @param samples     every request due in the run, in no particular order
     * @param unanswered  requests still in flight {@link #DRAIN_TIMEOUT} after the last was due (not in samples)
     */
    record Run(List<Sample> samples, int unanswered) {}

    /** Schedules from {@code originNanos} (a {@code System.nanoTime()}, now or soon) on the calling thread. */
    Run run(Mix mix, long originNanos) {
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        Semaphore inFlight = new Semaphore(maxInFlight);
        double intervalNanos = 1e9 / ratePerSecond;
        long lengthNanos = length.toNanos();
        RandomGenerator random = ThreadLocalRandom.current();
        for (long i = 0; ; i++) {
            // From i, not by adding intervals: rounding never accumulates into a drifting rate.
            long due = (long) (i * intervalNanos);
            if (due >= lengthNanos) break;
            sleepUntil(originNanos + due);
            Call call = mix.next(random);
            if (!inFlight.tryAcquire()) {
                samples.add(Sample.dropped(call.kind(), due));
                continue;
            }
            Thread.ofVirtual().start(() -> {
                try {
                    Answer answer;
                    try {
                        answer = call.send().get();
                    } catch (RuntimeException e) {
                        answer = Answer.NONE; // a bug of the client is still a request without an answer
                    }
                    long done = Math.max(System.nanoTime() - originNanos, due);
                    samples.add(new Sample(call.kind(), answer.outcome(), answer.status(), due, done, answer.source()));
                } finally {
                    inFlight.release();
                }
            });
        }
        int unanswered = awaitInFlight(inFlight);
        return new Run(List.copyOf(samples), unanswered);
    }

    private int awaitInFlight(Semaphore inFlight) {
        try {
            if (inFlight.tryAcquire(maxInFlight, DRAIN_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) return 0;
            return maxInFlight - inFlight.availablePermits();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for requests in flight", e);
        }
    }

    /** parkNanos may wake early, never meaningfully late; loop until the time has come. */
    static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
