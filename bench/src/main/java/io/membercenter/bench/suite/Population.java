package io.membercenter.bench.suite;

import io.membercenter.bench.keys.KeySampler;
import io.membercenter.bench.population.SeedMembers;
import java.util.BitSet;
import java.util.random.RandomGenerator;

/**
 * The loaded members as keys: key {@code k} of a sampler (0 = the hottest) is member
 * {@code k × 2654435761 mod n} of {@link SeedMembers}, a permutation (the factor is a prime above any int, so
 * coprime with every population size), so hot members are not the first loaded ones, adjacent in every index.
 * Public for the outage benchmark ({@code bench.outage}), which draws the same keys as the suite's ORDER mix.
 */
public final class Population {

    private static final long SPREAD = 2_654_435_761L;

    private final int size;
    private final KeySampler zipfian;
    /** Keys the hit-rate warm-up read; the others are cold: in no cache, only in MySQL and search. */
    private final BitSet warm = new BitSet();

    public Population(int size, double zipfExponent) {
        if (size < 1) throw new IllegalArgumentException("population size must be at least 1, was " + size);
        this.size = size;
        this.zipfian = KeySampler.zipfian(size, zipfExponent);
    }

    public int size() {
        return size;
    }

    KeySampler zipfian() {
        return zipfian;
    }

    int memberIndex(int key) {
        return (int) (key * SPREAD % size);
    }

    long memberId(int key) {
        return SeedMembers.memberId(memberIndex(key));
    }

    String mobile(int key) {
        return SeedMembers.mobile(memberIndex(key));
    }

    public long zipfianMemberId(RandomGenerator random) {
        return memberId(zipfian.nextIndex(random));
    }

    public String zipfianMobile(RandomGenerator random) {
        return mobile(zipfian.nextIndex(random));
    }

    public long uniformMemberId(RandomGenerator random) {
        return memberId(random.nextInt(size));
    }

    synchronized void markWarm(BitSet keys) {
        warm.or(keys);
    }

    /** A key no warm-up read (uniform among those); any key when all are warm. Read only after the warm-up. */
    int coldKey(RandomGenerator random) {
        for (int attempt = 0; attempt < 64; attempt++) {
            int key = random.nextInt(size);
            if (!warm.get(key)) return key;
        }
        return random.nextInt(size);
    }
}
