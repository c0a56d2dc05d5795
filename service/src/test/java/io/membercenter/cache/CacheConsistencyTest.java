package io.membercenter.cache;

import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.ApiClient.ORDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.search.Indexing;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.ApiTestBase;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.TestData;
import io.membercenter.topology.LocalTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
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
class CacheConsistencyTest extends ApiTestBase {

    private static final int MEMBERS = 8;
    private static final int WRITERS = 4;
    private static final int READERS = 12;

    @Autowired
    MemberCache cache;

    @Autowired
    ApplicationContext context;

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
    void guardOnRedisUpAndEveryClusterIndexing() {
        cache.setWriteBackGuard(true);
        new Indexing(context).startAll();
        LocalTopology.shared().start("redis-a");
        LocalTopology.shared().start("redis-b");
    }

    @Test
    void noStaleReadInAHundredThousandWithTheGuardOn() throws Exception {
        Outcome outcome = race(100_000, null);

        assertThat(outcome.checked()).isGreaterThanOrEqualTo(100_000);
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

        assertThat(outcome.stale())
                .as("stale reads out of %d with the guard off", outcome.checked())
                .isPositive();
    }

    @Test
    void stoppingAndRestartingEitherRedisUnderLoadFailsNoReadAndServesNothingStale() throws Exception {
        Outcome outcome = race(25_000, () -> {
            for (String redis : List.of("redis-a", "redis-b")) {
                pause(1_500);
                LocalTopology.shared().stop(redis);
                pause(2_000);
                LocalTopology.shared().start(redis);
            }
        });

        assertThat(outcome.failed()).as("failed reads").isZero();
        assertThat(outcome.stale())
                .as("stale reads out of %d", outcome.checked())
                .isZero();
    }

    record Outcome(long checked, long stale, long failed, long cacheHits) {}

    private Outcome race(long reads, Runnable fault) throws Exception {
        return race(reads, fault, false);
    }

    /** Runs writers and readers until enough reads are checked (or, if asked, the first stale one). */
    private Outcome race(long reads, Runnable fault, boolean stopAtFirstStale) throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> identities = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            String externalId = TestData.externalId();
            ids.add(api.create("{\"email\":\"" + TestData.email() + "\",\"identities\":[{\"platform\":\"app\","
                            + "\"externalId\":\"" + externalId + "\"}]}")
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
        List<String> examples = new java.util.concurrent.CopyOnWriteArrayList<>();

        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + READERS + 1);
        for (int w = 0; w < WRITERS; w++) {
            pool.submit(() -> {
                while (running.get()) {
                    int m = ThreadLocalRandom.current().nextInt(MEMBERS);
                    Response patched = api.patch(
                            "/v1/members/" + ids.get(m),
                            APP_KEY,
                            "{\"nickname\":\"n" + ThreadLocalRandom.current().nextInt() + "\"}");
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
                    if (checked.incrementAndGet() >= reads) running.set(false);
                }
                return null;
            });
        }
        if (fault != null) pool.submit(fault);
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.MINUTES)).isTrue();
        if (!examples.isEmpty()) System.out.println("stale examples: " + examples);
        return new Outcome(checked.get(), stale.get(), failed.get(), cacheHits.get());
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
