package io.membercenter.bench.skeleton;

import io.membercenter.bench.keys.KeySampler;
import io.membercenter.bench.load.ClosedLoop;
import io.membercenter.bench.load.OpenLoop;
import java.time.Duration;
import java.util.Locale;

/**
 * How the skeleton runs; validated when built, before any server starts (the generator and sampler check
 * their own parts).
 *
 * @param warmup           per row, not recorded
 * @param measured         per row, recorded
 * @param concurrency      closed-loop workers, for the service and its baseline alike
 * @param members          members created through the API before the reads, the keys they ask for
 * @param keys             which of them each read asks for
 * @param zipfExponent     the skew of {@link KeyDistribution#ZIPFIAN}
 * @param openLoopFraction open-loop rows at this fraction of the service's closed-loop throughput (0: none)
 * @param maxInFlight      the open loop's bound on requests in flight
 * @param apiKey           the caller the service sees
 */
record SkeletonSettings(Duration warmup, Duration measured, int concurrency, int members, KeyDistribution keys,
        double zipfExponent, double openLoopFraction, int maxInFlight, String apiKey) {

    enum KeyDistribution { UNIFORM, ZIPFIAN }

    SkeletonSettings {
        if (members < 1) throw new IllegalArgumentException("members must be at least 1, was " + members);
        if (!(openLoopFraction >= 0)) {
            throw new IllegalArgumentException("open-loop fraction must not be negative, was " + openLoopFraction);
        }
        // The fields are not set yet in a compact constructor: the parts are checked from the parameters.
        new ClosedLoop(concurrency, warmup, measured);
        if (openLoopFraction > 0) {
            new OpenLoop(1, maxInFlight, warmup, measured);
        }
        keySampler(members, keys, zipfExponent);
    }

    ClosedLoop closedLoop() {
        return new ClosedLoop(concurrency, warmup, measured);
    }

    /** At a rate known only once the service's closed loop has run. */
    OpenLoop openLoopAt(double ratePerSecond) {
        return new OpenLoop(ratePerSecond, maxInFlight, warmup, measured);
    }

    KeySampler keySampler() {
        return keySampler(members, keys, zipfExponent);
    }

    private static KeySampler keySampler(int members, KeyDistribution keys, double zipfExponent) {
        return keys == KeyDistribution.ZIPFIAN ? KeySampler.zipfian(members, zipfExponent) : KeySampler.uniform(members);
    }

    String describeKeys() {
        return keys == KeyDistribution.ZIPFIAN
                ? String.format(Locale.ROOT, "Zipfian (s = %s)", zipfExponent)
                : "uniform";
    }
}
