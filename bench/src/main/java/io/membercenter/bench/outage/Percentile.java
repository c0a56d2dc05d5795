package io.membercenter.bench.outage;

import io.membercenter.bench.load.Latency;
import java.util.Arrays;

/**
 * Percentiles of answer times by nearest rank over every sample (a run holds tens of thousands, so no
 * histogram is needed): the p99 of 3 values is the largest, never an interpolation between them, which
 * keeps the p99 of a 250 ms bucket with a handful of writes an answer time a caller really had.
 */
final class Percentile {

    private Percentile() {}

    /** The value at {@code percent} (0 < percent ≤ 100) of {@code sortedNanos}, by nearest rank; 0 when empty. */
    static long of(long[] sortedNanos, double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("a percentile is above 0 and at most 100, was " + percent);
        }
        if (sortedNanos.length == 0) return 0;
        int rank = (int) Math.ceil(percent / 100 * sortedNanos.length);
        return sortedNanos[Math.max(rank, 1) - 1];
    }

    /** The bench's latency record of these answer times (any order). */
    static Latency latency(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        if (sorted.length == 0) return new Latency(0, 0, 0, 0, 0, 0, 0);
        return new Latency(
                sorted.length,
                of(sorted, 50),
                of(sorted, 90),
                of(sorted, 99),
                of(sorted, 99.9),
                sorted[sorted.length - 1],
                Arrays.stream(sorted).average().orElse(0));
    }
}
