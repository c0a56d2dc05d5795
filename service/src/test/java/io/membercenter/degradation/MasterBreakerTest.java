package io.membercenter.degradation;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.ApiClient.ORDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.TestData;
import io.membercenter.topology.LocalTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The master's breaker against a real MariaDB that is stopped, and one that is hung (SIGSTOP): it
 * opens and shows in /admin/topology and /actuator/prometheus, writes are refused with 503 +
 * Retry-After at once (p99 ≤ 100 ms; none waits a timeout), ORDER reads of cached members keep answering,
 * and writes are acknowledged again within a second of the master's return.
 */
@ServiceTest
class MasterBreakerTest {

    private final ApiClient api;

    MasterBreakerTest(ApiClient api) {
        this.api = api;
    }

    /**
     * Enough writers that a hung master's calls, which all end together at the socket timeout (5 s), are at
     * least the breaker's minimum number of calls inside one statistics window (2 s): with 4 they never were,
     * unless background work happened to add calls, and the breaker of a hung master stayed closed in the full
     * suite (it opened when the class ran alone).
     */
    private static final int WRITERS = 16;

    private static final int REFUSED_WRITES = 200;
    private final LocalTopology topology = LocalTopology.shared();

    @AfterEach
    void masterRunsAgain() {
        if (topology.isUp("mysql-a")) {
            resumeQuietly();
        }
        topology.start("mysql-a");
        // A create that fails is a 503 to retry here, not an assertion error that would end the wait at once.
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        api.create(RequestBody.create(TestData.mobile(), null)).status() == 201);
    }

    @Test
    void aStoppedMasterOpensItsBreakerWritesAre503AtOnceAndResumeAboutASecondAfterItsReturn() throws Exception {
        // A stopped server refuses connects: even the writes before the breaker opens need not wait (shard.Pool).
        outage(() -> topology.stop("mysql-a"), () -> topology.start("mysql-a"), true);
    }

    @Test
    void aHungMasterOpensItsBreakerWritesAre503AtOnceAndResumeAboutASecondAfterItResumes() throws Exception {
        // A hung one answers nothing: the first writes wait until the hang is detected (HangDetector).
        outage(() -> topology.pause("mysql-a"), () -> topology.resume("mysql-a"), false);
    }

    private void outage(Runnable fail, Runnable recover, boolean firstWritesRefusedAtOnce) throws Exception {
        Response member = api.newMember();
        List<String> cached = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String id = api.newMember().memberId();
            assertThat(api.get("/v1/members/" + id, ORDER_KEY).status()).isEqualTo(200);
            cached.add(id);
        }
        String patchPath = "/v1/members/" + member.memberId();
        List<Response> uncached = new ArrayList<>();
        for (int i = 0; i < 10; i++) uncached.add(api.newMember());
        topology.awaitReplicaCaughtUp(Duration.ofSeconds(10));

        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicBoolean opening = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> readFailures = new ConcurrentLinkedQueue<>();
        var pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            // Writers run before the failure too, as callers do: the writes measured are those sent once the master
            // is down (a stop has returned, a pause is in effect), on warm connections to the service.
            List<Future<?>> openers = new ArrayList<>();
            AtomicLong downSince = new AtomicLong(Long.MAX_VALUE);
            ConcurrentLinkedQueue<Long> firstMillis = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> firstNotRefused = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<Future<?>> pacedWrites = new ConcurrentLinkedQueue<>();
            Runnable measuredWrite = () -> {
                long start = System.nanoTime();
                Response write = api.patch(patchPath, APP_KEY, "{\"nickname\":\"during\"}");
                if (start < downSince.get()) return;
                firstMillis.add((System.nanoTime() - start) / 1_000_000);
                if (write.status() != 503 || write.header("Retry-After").isEmpty())
                    firstNotRefused.add(write.status() + " " + write.text());
            };
            if (firstWritesRefusedAtOnce) {
                // Paced, as callers send (one write every 10 ms): WRITERS writers in a closed loop would measure
                // how many refusals two cores can render at once, not whether a write waits for the master.
                openers.add(pool.submit(() -> {
                    while (opening.get()) {
                        pacedWrites.add(pool.submit(measuredWrite));
                        Thread.sleep(10);
                    }
                    return null;
                }));
            } else {
                for (int i = 0; i < WRITERS; i++) {
                    openers.add(pool.submit(() -> {
                        while (opening.get()) measuredWrite.run();
                    }));
                }
            }
            Thread.sleep(500);
            fail.run();
            downSince.set(System.nanoTime());
            Future<?> orderReads = pool.submit(() -> {
                while (reading.get()) {
                    String id = cached.get(reads.getAndIncrement() % cached.size());
                    long start = System.nanoTime();
                    Response read = api.get("/v1/members/" + id, ORDER_KEY);
                    long millis = (System.nanoTime() - start) / 1_000_000;
                    if (read.status() != 200 || millis > 1_000)
                        readFailures.add(read.status() + " in " + millis + " ms");
                }
            });

            // Writes against the failed master until its breaker opens (a hung master's first ones wait its deadline).
            await().atMost(Duration.ofSeconds(20)).until(() -> "open".equals(breakerOf("mysql-a")));
            opening.set(false);
            for (Future<?> opener : openers) opener.get();
            for (Future<?> write : pacedWrites) write.get();
            if (firstWritesRefusedAtOnce) {
                List<Long> sorted = firstMillis.stream().sorted().toList();
                assertThat(sorted)
                        .as("writes sent while the master was down, before its breaker opened")
                        .isNotEmpty();
                long firstP99 = sorted.get(sorted.size() * 99 / 100);
                System.out.printf(
                        "writes before the breaker opened: p50 %d ms, p99 %d ms, max %d ms, of %d%n",
                        sorted.get(sorted.size() / 2), firstP99, sorted.getLast(), sorted.size());
                assertThat(firstNotRefused).isEmpty();
                assertThat(firstP99)
                        .as("p99 ms of the writes before the breaker opened")
                        .isLessThanOrEqualTo(100);
            }

            // Open: every write is refused with 503 + Retry-After, none after a wait on the master.
            await().atMost(Duration.ofSeconds(5)).until(() -> "open".equals(breakerOf("mysql-a")));
            List<Long> refusedMillis = new ArrayList<>();
            List<String> notRefused = new ArrayList<>();
            for (int i = 0; i < REFUSED_WRITES; i++) {
                long start = System.nanoTime();
                Response write = api.patch(patchPath, APP_KEY, "{\"nickname\":\"during\"}");
                long millis = (System.nanoTime() - start) / 1_000_000;
                refusedMillis.add(millis);
                if (write.status() != 503 || write.header("Retry-After").isEmpty()) {
                    notRefused.add(write.status() + " " + write.text());
                }
            }
            assertThat(notRefused).isEmpty();
            refusedMillis.sort(null);
            long p99 = refusedMillis.get(refusedMillis.size() * 99 / 100);
            System.out.printf(
                    "refused writes while the master is down: p50 %d ms, p99 %d ms, max %d ms, of %d%n",
                    refusedMillis.get(refusedMillis.size() / 2), p99, refusedMillis.getLast(), refusedMillis.size());
            // No request is the breaker's probe (the pool's health probe is, off the request path): every refusal
            // is immediate, the 100 ms p99.
            assertThat(p99).as("p99 ms of refused writes").isLessThanOrEqualTo(100);
            // While the server is away the breaker is held open (2.0) until the health probe answers.
            await().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(
                                    api.get("/actuator/prometheus", null).text())
                            .contains("dependency_breaker_state{store=\"mysql-a\"} 2.0"));

            // Members in no cache: the other data center's replica answers at once, flagged as maybe stale.
            for (Response created : uncached) {
                long start = System.nanoTime();
                Response read = api.get("/v1/members/" + created.memberId(), ORDER_KEY);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(read.status()).as(read.text()).isEqualTo(200);
                assertThat(read.header("X-Member-Source")).contains("db@B");
                assertThat(read.header("X-Member-Stale")).contains("true");
                assertThat(read.json()).isEqualTo(created.json());
                assertThat(millis)
                        .as("ms for a read from the other data center")
                        .isLessThan(1_000);
            }

            // Back: writes are acknowledged again about one open time (1 s) after the master answers.
            recover.run();
            long back = System.nanoTime();
            Response write;
            do {
                write = api.patch(patchPath, APP_KEY, "{\"nickname\":\"after\"}");
                if (write.status() != 200) Thread.sleep(10);
            } while (write.status() != 200 && System.nanoTime() - back < 20_000_000_000L);
            long resumedMillis = (System.nanoTime() - back) / 1_000_000;
            System.out.printf("writes acknowledged again %d ms after the master's return%n", resumedMillis);
            assertThat(write.status()).isEqualTo(200);
            // Issue 11: within 1 s. The health probe (every 200 ms) releases the breaker and a renewed pool connects
            // at once (shard.Pool); measured 0.3-0.7 s.
            assertThat(resumedMillis).as("ms until writes succeed again").isLessThanOrEqualTo(1_000);
            await().atMost(Duration.ofSeconds(5)).until(() -> "closed".equals(breakerOf("mysql-a")));

            reading.set(false);
            orderReads.get();
        } finally {
            // However the test ends, its loops end, so the pool closes and the master is restored after it.
            opening.set(false);
            reading.set(false);
            pool.close();
        }
        assertThat(reads.get()).isGreaterThan(10);
        assertThat(readFailures)
                .as("ORDER reads of cached members that failed or took over 1 s")
                .isEmpty();
        // Once the master answers again, reads come from it, not flagged.
        Response afterwards = api.get("/v1/members/" + uncached.getFirst().memberId(), ORDER_KEY);
        assertThat(afterwards.header("X-Member-Source")).contains("db@A");
        assertThat(afterwards.header("X-Member-Stale")).isEmpty();
    }

    private String breakerOf(String store) {
        JsonNode topologyAnswer = api.get("/admin/topology", ADMIN_KEY).json();
        for (JsonNode shown : topologyAnswer.path("stores")) {
            if (shown.path("name").asString().equals(store))
                return shown.path("breaker").asString();
        }
        throw new AssertionError("no store " + store + " in " + topologyAnswer);
    }

    private void resumeQuietly() {
        try {
            topology.resume("mysql-a");
        } catch (IllegalStateException notRunning) {
            // it was stopped, not paused
        }
    }
}
