package io.membercenter.cache;

import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.ApiClient.ORDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.search.Indexing;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Stores;
import io.membercenter.support.TestData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Writers and readers race on a few members, by id and by identifier. A read is stale when it
 * returns a version older than one acknowledged before the read was sent. With the write-back guard
 * (pending marker + version floor) on there must be none; with it off the same workload must show
 * some — proof that the test can see the race it guards against.
 */
@ServiceTest
class CacheConsistencyTest {

    private static final int MEMBERS = 8;
    private static final int WRITERS = 4;
    private static final int READERS = 12;

    private final ApiClient api;
    private final Stores stores;

    @Autowired
    MemberCache cache;

    @Autowired
    ApplicationContext context;

    CacheConsistencyTest(ApiClient api, Stores stores) {
        this.api = api;
        this.stores = stores;
    }

    /**
     * The race is between writes, both caches, MySQL and search-primary (ORDER lookups read it). The
     * backup's and the marketing cluster's indexers would only take the cores that the readers need
     * (on 2 cores, indexing every write three times was 40 % of the machine); they catch up afterwards.
     */
    @BeforeEach
    void onlyThePrimaryClusterIndexes() {
        new Indexing(context).stopAllBut("search-primary");
    }

    @AfterEach
    void guardOnAndEveryClusterIndexing() {
        cache.setWriteBackGuard(true);
        new Indexing(context).startAll();
    }

    /**
     * 40,000 reads: with the guard off the same race serves its first stale read within a few thousand (the next
     * test prints how many), so this is many times the reads that find the race. It was 100,000, a minute of the
     * suite's 2 cores for no more certainty than that margin gives.
     */
    @Test
    void noStaleReadInFortyThousandWithTheGuardOn() throws Exception {
        Outcome outcome = race(40_000, null);

        assertThat(outcome.checked()).isGreaterThanOrEqualTo(40_000);
        assertThat(outcome.failed()).isZero();
        assertThat(outcome.stale())
                .as("stale reads out of %d", outcome.checked())
                .isZero();
        assertThat(outcome.cacheHits()).as("reads answered by the cache").isPositive();
    }

    @Test
    void theSameRaceWithTheGuardOffServesStaleReads() throws Exception {
        cache.setWriteBackGuard(false);

        Outcome outcome = race(100_000, null, true);
        System.out.printf("guard off: first stale read after %d checked reads%n", outcome.checked());

        assertThat(outcome.stale())
                .as("stale reads out of %d with the guard off", outcome.checked())
                .isPositive();
    }

    /**
     * Each Redis in turn goes down after 2,000 more reads and comes back after another 3,000 (counted, not timed, so
     * the outage always falls inside the race however fast the machine reads).
     */
    @Test
    void stoppingAndRestartingEitherRedisUnderLoadFailsNoReadAndServesNothingStale() throws Exception {
        Outcome outcome = race(25_000, checked -> {
            for (String redis : List.of("redis-a", "redis-b")) {
                awaitMoreReads(checked, 2_000);
                try (Stores.StoppedStore down = stores.stop(redis)) {
                    awaitMoreReads(checked, 3_000);
                }
            }
        });

        assertThat(outcome.failed()).as("failed reads").isZero();
        assertThat(outcome.stale())
                .as("stale reads out of %d", outcome.checked())
                .isZero();
    }

    record Outcome(long checked, long stale, long failed, long cacheHits) {}

    private Outcome race(long reads, Consumer<AtomicLong> fault) throws Exception {
        return race(reads, fault, false);
    }

    /**
     * Runs writers and readers until enough reads are checked and the fault, if any, is over (or, if asked, until the
     * first stale read). The fault is given the count of checked reads.
     */
    private Outcome race(long reads, Consumer<AtomicLong> fault, boolean stopAtFirstStale) throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> identities = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            String externalId = TestData.externalId();
            ids.add(api.create(
                            RequestBody.object().with("email", TestData.email()).withIdentity("app", externalId))
                    .memberId());
            identities.add(externalId);
        }
        AtomicLongArray acknowledged = new AtomicLongArray(MEMBERS);
        for (int i = 0; i < MEMBERS; i++) acknowledged.set(i, 1);
        AtomicLong checked = new AtomicLong();
        AtomicLong stale = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong cacheHits = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean faultDone = new AtomicBoolean(fault == null);
        List<String> examples = new java.util.concurrent.CopyOnWriteArrayList<>();

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS + 1);
        for (int w = 0; w < WRITERS; w++) {
            pool.submit(() -> {
                while (running.get()) {
                    int m = ThreadLocalRandom.current().nextInt(MEMBERS);
                    Response patched = api.patch(
                            "/v1/members/" + ids.get(m),
                            APP_KEY,
                            RequestBody.object()
                                    .with(
                                            "nickname",
                                            "n" + ThreadLocalRandom.current().nextInt()));
                    if (patched.status() == 200) acknowledged.accumulateAndGet(m, patched.version(), Math::max);
                }
                return null;
            });
        }
        for (int r = 0; r < READERS; r++) {
            pool.submit(() -> {
                while (running.get()) {
                    int m = ThreadLocalRandom.current().nextInt(MEMBERS);
                    long floor = acknowledged.get(m);
                    boolean byId = ThreadLocalRandom.current().nextInt(10) < 7;
                    Response read = byId
                            ? api.get("/v1/members/" + ids.get(m), ORDER_KEY)
                            : api.get("/v1/members/by-identity/app/" + identities.get(m), ORDER_KEY);
                    if (read.status() != 200) {
                        failed.incrementAndGet();
                    } else if (read.version() < floor) {
                        stale.incrementAndGet();
                        if (stopAtFirstStale) running.set(false);
                        if (examples.size() < 5)
                            examples.add(read.header("X-Member-Source").orElse("?") + " v" + read.version() + " < v"
                                    + floor);
                    }
                    if (read.header("X-Member-Source").orElse("").startsWith("cache")) cacheHits.incrementAndGet();
                    if (checked.incrementAndGet() >= reads && faultDone.get()) running.set(false);
                }
                return null;
            });
        }
        Future<?> faultRun = null;
        if (fault != null) {
            faultRun = pool.submit(() -> {
                try {
                    fault.accept(checked);
                } finally {
                    faultDone.set(true);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
        if (faultRun != null) faultRun.get(); // a fault that failed fails the test
        if (!examples.isEmpty()) System.out.println("stale examples: " + examples);
        return new Outcome(checked.get(), stale.get(), failed.get(), cacheHits.get());
    }

    /** Returns once the race has checked {@code more} reads beyond those checked so far. */
    private static void awaitMoreReads(AtomicLong checked, long more) {
        long target = checked.get() + more;
        await().atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> checked.get() >= target);
    }
}
