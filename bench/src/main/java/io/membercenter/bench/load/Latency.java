package io.membercenter.bench.load;

import java.time.Duration;
import org.HdrHistogram.AbstractHistogram;

/** The latency percentiles of one run, in nanoseconds, taken from its histogram. */
public record Latency(
        long count, long p50Nanos, long p90Nanos, long p99Nanos, long p999Nanos, long maxNanos, double meanNanos) {

    static Latency of(AbstractHistogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0, 0);
        }
        return new Latency(
                histogram.getTotalCount(),
                histogram.getValueAtPercentile(50.0),
                histogram.getValueAtPercentile(90.0),
                histogram.getValueAtPercentile(99.0),
                histogram.getValueAtPercentile(99.9),
                histogram.getMaxValue(),
                histogram.getMean());
    }

    public Duration p50() {
        return Duration.ofNanos(p50Nanos);
    }

    public Duration p90() {
        return Duration.ofNanos(p90Nanos);
    }

    public Duration p99() {
        return Duration.ofNanos(p99Nanos);
    }

    public Duration p999() {
        return Duration.ofNanos(p999Nanos);
    }

    public Duration max() {
        return Duration.ofNanos(maxNanos);
    }
}
