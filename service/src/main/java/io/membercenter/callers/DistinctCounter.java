package io.membercenter.callers;

import java.security.SecureRandom;

/**
 * How many distinct members (or identifiers) a caller asked for in one minute, estimated by a HyperLogLog of
 * 2^10 registers (1 KiB per caller and minute, about 3 % standard error): an exact set would hold every key —
 * personal data — and grow with the caller's enumeration. Keys are hashed with a per-JVM random salt and never
 * kept. Thread-safe; the registers only grow, so a lost race between two updates loses at most one rank.
 */
final class DistinctCounter {

    private static final int P = 10;
    private static final int M = 1 << P;
    private static final double ALPHA = 0.7213 / (1 + 1.079 / M);
    private static final long SALT = new SecureRandom().nextLong();

    private final byte[] registers = new byte[M];

    void add(String key) {
        long h = hash(key);
        int index = (int) (h >>> (64 - P));
        int rank = Long.numberOfLeadingZeros((h << P) | (1L << (P - 1))) + 1;
        synchronized (registers) {
            if (registers[index] < rank) registers[index] = (byte) rank;
        }
    }

    long estimate() {
        double sum = 0;
        int zeros = 0;
        synchronized (registers) {
            for (byte r : registers) {
                sum += 1.0 / (1L << r);
                if (r == 0) zeros++;
            }
        }
        double e = ALPHA * M * M / sum;
        if (e <= 2.5 * M && zeros > 0) e = M * Math.log((double) M / zeros); // linear counting for small sets
        return Math.round(e);
    }

    /** FNV-1a over the key, salted, then SplitMix64's finaliser: well spread over all 64 bits. */
    private static long hash(String key) {
        long h = 0xcbf29ce484222325L ^ SALT;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }
}
