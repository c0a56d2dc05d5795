package io.membercenter.bench.suite;

import io.membercenter.bench.population.ProgressBar;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.bench.report.ResultRow.Measured;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The cache's hit rate on a Zipfian read workload over the whole population, in steady state.
 *
 * <p>Why the warm-up is replayed, not run: with s ≈ 0.99 over a million members the hottest quarter of a
 * million carry about 90 % of reads, so a cache is warm only after millions of reads — in production, seconds
 * of peak traffic; here, at a few thousand reads a second, most of an hour. What a warm-up leaves behind is
 * exactly the set of members it read (entries live 10 minutes, longer than this scenario; nothing is evicted).
 * So the scenario draws the warm-up's {@code hitRateWarmupReads} keys from the same seeded sampler, and reads
 * each distinct member once through the API, which caches it as any read would. Then it measures real Zipfian
 * reads and counts which were answered by the cache ({@code X-Member-Source: cache@…}).
 */
final class HitRate {

    private static final long WARMUP_SEED = 20261129L;
    private static final int WARMUP_READERS = 32;

    private final Suite suite;

    HitRate(Suite suite) {
        this.suite = suite;
    }

    ScenarioResult run() throws Exception {
        Population keys = suite.population;
        suite.progress.accept(String.format(
                Locale.ROOT,
                "hit-rate: drawing a warm-up stream of %,d Zipfian reads ...",
                suite.settings.hitRateWarmupReads()));
        BitSet warm = new BitSet(keys.size());
        SplittableRandom random = new SplittableRandom(WARMUP_SEED);
        for (long i = 0; i < suite.settings.hitRateWarmupReads(); i++) {
            warm.set(keys.zipfian().nextIndex(random));
        }
        int distinct = warm.cardinality();
        readOnce(warm, distinct);
        keys.markWarm(warm);

        LongAdder cached = new LongAdder();
        LongAdder all = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean();
        Thread.ofVirtual().start(() -> startCountingAfterWarmup(counting));
        Measured measured = suite.comparison.measure(
                "service-get-by-id (hit rate)",
                suite.settings.warmup(),
                suite.settings.measured(),
                suite.settings.closedLoop()::run,
                () -> {
                    String source = suite.orderApi.get(keys.zipfianMemberId(ThreadLocalRandom.current()));
                    if (counting.get()) {
                        all.increment();
                        if (source.startsWith("cache@")) cached.increment();
                    }
                });
        double hitRate = all.sum() == 0 ? 0 : (double) cached.sum() / all.sum();
        suite.progress.accept(String.format(
                Locale.ROOT, "hit-rate: %.1f %% of %,d reads answered by the cache", hitRate * 100, all.sum()));
        List<String> notes = List.of(
                String.format(
                        Locale.ROOT,
                        "**Hit rate: %.1f %%** of %,d measured reads (`GET /v1/members/{id}` as `order-service`, "
                                + "Zipfian s = %s over %,d members) were answered by the local Redis (`X-Member-Source: cache@A`).",
                        hitRate * 100,
                        all.sum(),
                        suite.settings.zipfExponent(),
                        keys.size()),
                String.format(
                        Locale.ROOT,
                        "Warm-up: a stream of %,d Zipfian reads from the same sampler, replayed as one read of each "
                                + "of its %,d distinct members (%.1f %% of the population); `redis-a` then held %,d keys (members, "
                                + "identifier entries, version floors). Why replayed: see `HitRate` in the bench module.",
                        suite.settings.hitRateWarmupReads(),
                        distinct,
                        100.0 * distinct / keys.size(),
                        suite.redis.keyCount()),
                "Misses are members the warm-up never read: each is read from MySQL and written back, so the rate "
                        + "keeps rising as a real cache's does.");
        return new ScenarioResult(
                "hit-rate",
                "cache hit rate on Zipfian reads over the population",
                notes,
                List.of(ResultRow.baseline("service-get-by-id (hit rate)", measured)),
                List.of());
    }

    private void startCountingAfterWarmup(AtomicBoolean counting) {
        try {
            Thread.sleep(suite.settings.warmup());
            counting.set(true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Every warm-up member read once through the API by a few readers; a failed read fails the scenario. */
    private void readOnce(BitSet warm, int distinct) throws Exception {
        ProgressBar bar = new ProgressBar("warming the cache", distinct, System.out);
        AtomicInteger next = new AtomicInteger(warm.nextSetBit(0));
        AtomicLong done = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int r = 0; r < WARMUP_READERS; r++) {
                readers.submit(() -> {
                    for (int key = claim(warm, next); key >= 0; key = claim(warm, next)) {
                        try {
                            suite.orderApi.get(suite.population.memberId(key));
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                        bar.show(done.incrementAndGet());
                    }
                    return null;
                });
            }
        }
        if (failures.get() > 0) throw new IllegalStateException(failures.get() + " warm-up reads failed");
    }

    private static synchronized int claim(BitSet warm, AtomicInteger next) {
        int key = next.get();
        if (key >= 0) next.set(warm.nextSetBit(key + 1));
        return key;
    }
}
