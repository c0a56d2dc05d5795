package io.membercenter.bench.load;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/** What measured requests did, recorded from many threads at once. */
final class Outcomes {

    /** Auto-resizing: a run never fails on an unexpectedly long stall. */
    private final ConcurrentHistogram latencyNanos = new ConcurrentHistogram(3);

    private final LongAdder errors = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    void succeeded(long latencyNanos) {
        this.latencyNanos.recordValue(Math.max(0, latencyNanos));
    }

    void failed() {
        errors.increment();
    }

    void failed(long count) {
        errors.add(count);
    }

    void dropped() {
        dropped.increment();
    }

    /** Kept for every request, measured or not: a benchmark that fails in its warm-up should say why. */
    void noteError(Exception error) {
        firstError.compareAndSet(null, error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    LoadResult result(String mode, int concurrency, double askedRate, Duration measured) {
        Latency latency = Latency.of(latencyNanos.copy());
        return new LoadResult(
                mode,
                concurrency,
                askedRate,
                measured,
                latency.count(),
                errors.sum(),
                dropped.sum(),
                latency,
                Optional.ofNullable(firstError.get()));
    }
}
