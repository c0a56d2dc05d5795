package io.membercenter.bench.keys;

import java.util.random.RandomGenerator;

/**
 * Zipf-distributed ranks by rejection-inversion (W. Hörmann, G. Derflinger, "Rejection-inversion to generate
 * variates from monotone discrete distributions", ACM TOMACS 6(3), 1996), as Apache Commons uses it.
 *
 * <p>Why this method: O(1) memory and set-up for any key count (a precomputed table of 10^7 keys would be
 * 80 MB), exact rather than YCSB's approximation, valid for every exponent above 0 including 1, and about
 * one uniform draw per sample (rejections are rare). The idea: invert the integral H of the continuous
 * density h(x) = x^-s, which is easy, round to the nearest rank k, and accept unless u falls in the thin
 * sliver where the continuous area over [k - 1/2, k + 1/2] exceeds h(k).
 */
public final class ZipfianSampler implements KeySampler {

    private final int keyCount;
    private final double exponent;
    private final double hIntegralX1;
    private final double hIntegralKeyCount;
    /** Ranks closer than this to their real-valued inverse are always accepted: a shortcut, not a bias. */
    private final double acceptanceShortcut;

    public ZipfianSampler(int keyCount, double exponent) {
        if (keyCount < 1) throw new IllegalArgumentException("keyCount must be at least 1, was " + keyCount);
        if (!(exponent > 0) || Double.isInfinite(exponent)) {
            throw new IllegalArgumentException("exponent must be a positive number, was " + exponent);
        }
        this.keyCount = keyCount;
        this.exponent = exponent;
        this.hIntegralX1 = hIntegral(1.5) - 1;
        this.hIntegralKeyCount = hIntegral(keyCount + 0.5);
        this.acceptanceShortcut = 2 - hIntegralInverse(hIntegral(2.5) - h(2));
    }

    @Override
    public int keyCount() {
        return keyCount;
    }

    public double exponent() {
        return exponent;
    }

    /** A rank in {@code [1, keyCount]}: rank 1 is the most frequent. */
    public int nextRank(RandomGenerator random) {
        while (true) {
            double u = hIntegralKeyCount + random.nextDouble() * (hIntegralX1 - hIntegralKeyCount);
            double x = hIntegralInverse(u);
            int k = (int) Math.clamp(Math.round(x), 1, keyCount);
            if (k - x <= acceptanceShortcut || u >= hIntegral(k + 0.5) - h(k)) {
                return k;
            }
        }
    }

    @Override
    public int nextIndex(RandomGenerator random) {
        return nextRank(random) - 1;
    }

    @Override
    public String toString() {
        return "Zipfian s=" + exponent + " over " + keyCount + " keys";
    }

    /** h(x) = x^-s, the unnormalized density. */
    private double h(double x) {
        return Math.exp(-exponent * Math.log(x));
    }

    /** H(x) = (x^(1-s) - 1) / (1 - s), written so that s = 1 (where H is log x) needs no special case. */
    private double hIntegral(double x) {
        double logX = Math.log(x);
        return expm1OverX((1 - exponent) * logX) * logX;
    }

    private double hIntegralInverse(double x) {
        // Rounding can push t a hair below -1, where log1p is undefined.
        double t = Math.max(-1, x * (1 - exponent));
        return Math.exp(log1pOverX(t) * x);
    }

    /** log(1 + x) / x, by its Taylor series near 0 where the division loses precision. */
    private static double log1pOverX(double x) {
        return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - x * 0.25));
    }

    /** (e^x - 1) / x, by its Taylor series near 0. */
    private static double expm1OverX(double x) {
        return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + x * 0.25));
    }
}
