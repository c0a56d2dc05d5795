package io.membercenter.bench.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ZipfianSamplerTest {

    private static final int KEYS = 10_000;
    private static final int SAMPLES = 2_000_000;

    @ParameterizedTest(name = "s={0}, seed={1}")
    @CsvSource({"0.99, 42", "0.99, 7", "0.5, 42", "1.0, 42", "1.3, 42"})
    void rankOneHasItsZipfProbability(double exponent, long seed) {
        long[] counts = sample(new ZipfianSampler(KEYS, exponent), seed);

        double expected = 1 / generalizedHarmonic(KEYS, exponent);
        double observed = (double) counts[1] / SAMPLES;
        assertThat(observed / expected)
                .as("rank-1 frequency / expected, seed %d", seed)
                .isCloseTo(1.0, within(0.02));
    }

    /** log(frequency) against log(rank) is a line of slope -s; fitted over the ranks with thousands of hits. */
    @ParameterizedTest(name = "s={0}, seed={1}")
    @CsvSource({"0.99, 42", "0.99, 7", "0.5, 42", "1.0, 42", "1.3, 42"})
    void frequencyFallsWithRankAsAPowerLaw(double exponent, long seed) {
        long[] counts = sample(new ZipfianSampler(KEYS, exponent), seed);

        double slope = logLogSlope(counts, 1, 100);
        assertThat(slope).as("log-log slope, seed %d", seed).isCloseTo(-exponent, within(0.03));
    }

    @Test
    void staysWithinTheKeysAndRepeatsForASeed() {
        ZipfianSampler sampler = new ZipfianSampler(50, 0.99);
        SplittableRandom first = new SplittableRandom(3);
        SplittableRandom second = new SplittableRandom(3);

        int[] a = IntStream.range(0, 10_000).map(i -> sampler.nextIndex(first)).toArray();
        int[] b = IntStream.range(0, 10_000).map(i -> sampler.nextIndex(second)).toArray();

        assertThat(a).isEqualTo(b);
        assertThat(IntStream.of(a).min().orElseThrow()).isZero();
        assertThat(IntStream.of(a).max().orElseThrow()).isEqualTo(49);
    }

    @Test
    void aSingleKeyIsAlwaysChosen() {
        ZipfianSampler sampler = new ZipfianSampler(1, 0.99);

        assertThat(IntStream.range(0, 1_000).map(i -> sampler.nextRank(new SplittableRandom(i))))
                .containsOnly(1);
    }

    @Test
    void refusesANonPositiveExponent() {
        assertThatThrownBy(() -> new ZipfianSampler(10, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exponent");
    }

    @Test
    void uniformSamplerHasNoFavourite() {
        KeySampler sampler = KeySampler.uniform(10);
        SplittableRandom random = new SplittableRandom(11);
        long[] counts = new long[10];
        for (int i = 0; i < 100_000; i++) {
            counts[sampler.nextIndex(random)]++;
        }

        assertThat(java.util.Arrays.stream(counts).boxed().toList())
                .allSatisfy(count -> assertThat(count).isCloseTo(10_000L, within(500L)));
    }

    /** counts[rank], 1-based. */
    private static long[] sample(ZipfianSampler sampler, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] counts = new long[sampler.keyCount() + 1];
        for (int i = 0; i < SAMPLES; i++) {
            counts[sampler.nextRank(random)]++;
        }
        return counts;
    }

    private static double generalizedHarmonic(int n, double exponent) {
        double sum = 0;
        for (int k = n; k >= 1; k--) {
            sum += Math.pow(k, -exponent);
        }
        return sum;
    }

    /** Least-squares slope of log(counts[k]) over log(k) for k in [from, to]. */
    private static double logLogSlope(long[] counts, int from, int to) {
        int n = to - from + 1;
        double sumX = 0, sumY = 0, sumXY = 0, sumXX = 0;
        for (int k = from; k <= to; k++) {
            double x = Math.log(k);
            double y = Math.log(counts[k]);
            sumX += x;
            sumY += y;
            sumXY += x * y;
            sumXX += x * x;
        }
        return (n * sumXY - sumX * sumY) / (n * sumXX - sumX * sumX);
    }
}
