package io.membercenter.bench.keys;

import java.util.random.RandomGenerator;

/** Picks an index in {@code [0, keyCount)}; index 0 is the hottest key of a skewed sampler. */
public interface KeySampler {

    int keyCount();

    int nextIndex(RandomGenerator random);

    /** Every key equally likely. */
    static KeySampler uniform(int keyCount) {
        if (keyCount < 1) throw new IllegalArgumentException("keyCount must be at least 1, was " + keyCount);
        return new KeySampler() {
            @Override
            public int keyCount() {
                return keyCount;
            }

            @Override
            public int nextIndex(RandomGenerator random) {
                return random.nextInt(keyCount);
            }

            @Override
            public String toString() {
                return "uniform over " + keyCount + " keys";
            }
        };
    }

    /** The key of rank k (1-based) with probability proportional to {@code 1 / k^exponent}. */
    static KeySampler zipfian(int keyCount, double exponent) {
        return new ZipfianSampler(keyCount, exponent);
    }
}
