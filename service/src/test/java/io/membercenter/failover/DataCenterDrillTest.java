package io.membercenter.failover;

import static io.membercenter.failover.FailoverServers.missingOn;
import static io.membercenter.failover.FailoverServers.writeRoute;
import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.ORDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.SearchDocs;
import io.membercenter.support.SecondInstance;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.TestData;
import io.membercenter.topology.LocalTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole-data-center drill of {@code ./mc drill dc-a}, as a test: every server of data center A goes at once —
 * the service instance in A, {@code mysql-a} (the master), {@code redis-a}, Kafka, {@code search-primary},
 * {@code search-marketing} and A's ZooKeeper node, each with SIGKILL — while ORDER reads and registrations run
 * against the instance in B. This class's own context is that instance in B (node id 1); the instance in A is a
 * second context ({@link SecondInstance#startIn}), started after it, so the failover leader is in B, as it must be
 * for B to act on A's loss at once (a leader lost with A would hand over only when its ZooKeeper session ends,
 * {@code session-timeout}, 4 s). ZooKeeper keeps its quorum: its third node is in a third site.
 */
@ServiceTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DataCenterDrillTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    /** Every server of data center A the service uses, in the shared topology. */
    private static final List<String> STORES_OF_A =
            List.of("mysql-a", "redis-a", "kafka", "search-primary", "search-marketing");

    private static LocalTopology ensemble;
    private static SecondInstance instanceInA;

    private final ApiClient instanceInB;

    DataCenterDrillTest(ApiClient api) {
        this.instanceInB = api;
    }

    private static synchronized LocalTopology ensemble() {
        if (ensemble == null) {
            ensemble = FailoverServers.startEnsemble("drill-zookeeper");
        }
        return ensemble;
    }

    @DynamicPropertySource
    static void inDataCenterBWithTheFailoverOn(DynamicPropertyRegistry registry) {
        registry.add(
                "member-center.failover.zookeeper-connect", () -> ensemble().zooKeeperConnectString());
        registry.add("member-center.shard.data-center", () -> "B");
        registry.add("member-center.member.node-id", () -> "1");
    }

    @AfterEach
    void dataCenterABackAsBefore() {
        LocalTopology topology = LocalTopology.shared();
        if (!topology.isUp("mysql-a")) topology.startAsReplica("mysql-a");
        STORES_OF_A.stream().filter(store -> !topology.isUp(store)).forEach(topology::start);
        if (!ensemble().isUp("zk-1")) ensemble().start("zk-1");
        if (instanceInA == null) instanceInA = startTheInstanceInA();
        await().atMost(PATIENCE).until(() -> writable("mysql-a") || writable("mysql-b"));
        if (!writable("mysql-a")) {
            await("A caught up and no longer stale")
                    .atMost(PATIENCE)
                    .until(() -> instanceInB
                            .get("/admin/failover/history", ADMIN_KEY)
                            .json()
                            .path("record")
                            .path("stale")
                            .isNull());
            assertThat(instanceInB
                            .post("/admin/failback/db", ADMIN_KEY, "{\"reason\": \"drill cleanup\"}")
                            .status())
                    .isEqualTo(200);
        }
        topology.awaitReplicaCaughtUp(PATIENCE);
        await().atMost(PATIENCE)
                .until(() -> instanceInA
                                .api()
                                .create(RequestBody.create(TestData.mobile(), null))
                                .status()
                        == 201);
    }

    @AfterAll
    static void stopEverythingThisClassStarted() {
        FailoverServers.gtidStrictModeOff();
        if (instanceInA != null) instanceInA.close();
        instanceInA = null;
        if (ensemble != null) ensemble.close();
    }

    @Test
    void losingDataCenterAUnderLoadBServesEveryReadTakesWritesAfterThePromotionAndFailsBackByHand() throws Exception {
        if (instanceInA == null) instanceInA = startTheInstanceInA();
        List<Known> known = membersKnownToBothDataCenters(20);
        assertThat(instanceInB
                        .get("/admin/failover/history", ADMIN_KEY)
                        .json()
                        .path("leader")
                        .asString())
                .as("the failover leader, started first")
                .startsWith("B-");
        Readers readers = new Readers(instanceInB, known);
        Writers writers = new Writers(List.of(instanceInB, instanceInB), PATIENCE);
        readers.start(2);
        writers.start();
        long lostAt;
        try {
            writers.awaitAcknowledged(20);
            lostAt = loseDataCenterA();

            await("writes routed to B's copy").atMost(PATIENCE).until(() -> "B".equals(writeRoute(instanceInB)));
            writers.awaitAcknowledgedAfter(lostAt, 20);
            long writesBackMillis = (writers.firstAcknowledgedAfter(lostAt) - lostAt) / 1_000_000;
            System.out.printf(
                    "data center A lost: writes acknowledged in B again after %d ms; %d reads, %d writes failed%n",
                    writesBackMillis,
                    readers.failures().size(),
                    writers.failures().size());

            bringBackDataCenterA();
            instanceInA = startTheInstanceInA();
            await("A fenced, following B, caught up and no longer stale")
                    .atMost(PATIENCE)
                    .untilAsserted(() -> {
                        assertThat(writable("mysql-a")).isFalse();
                        assertThat(instanceInB
                                        .get("/admin/failover/history", ADMIN_KEY)
                                        .json()
                                        .path("record")
                                        .path("stale")
                                        .isNull())
                                .isTrue();
                    });
            writers.awaitAcknowledged(writers.acknowledgedSoFar().size() + 20);
            Response failback = instanceInB.post("/admin/failback/db", ADMIN_KEY, "{\"reason\": \"drill over\"}");
            assertThat(failback.status()).as(failback.text()).isEqualTo(200);
            writers.awaitAcknowledged(writers.acknowledgedSoFar().size() + 20);
        } finally {
            readers.stop();
            writers.stop();
        }

        assertThat(readers.failures())
                .as("reads that failed in B through the drill")
                .isEmpty();
        assertThat(readers.reads()).as("reads made in B").isGreaterThan(100);
        assertThat(writers.failures())
                .as("what a writer sees until B is promoted: a clean 503")
                .allSatisfy(failure -> assertThat(failure).startsWith("503"));
        assertThat(writable("mysql-a")).as("A is the master again").isTrue();
        assertThat(writable("mysql-b")).as("B is a replica again").isFalse();
        for (ApiClient instance : List.of(instanceInB, instanceInA.api())) {
            assertThat(writeRoute(instance))
                    .as("where an instance routes writes after the failback")
                    .isEqualTo("A");
        }
        LocalTopology.shared().awaitReplicaCaughtUp(PATIENCE);
        assertThat(missingOn("mysql-a", writers.acknowledgedSoFar()))
                .as("acknowledged writes missing on A, the master again")
                .isEmpty();
        assertThat(missingOn("mysql-b", writers.acknowledgedSoFar()))
                .as("acknowledged writes missing on B, its replica")
                .isEmpty();
        List<String> history = new ArrayList<>();
        instanceInB
                .get("/admin/failover/history", ADMIN_KEY)
                .json()
                .path("items")
                .forEach(item -> history.add(
                        item.path("from").asString() + ">" + item.path("to").asString() + " by "
                                + item.path("by").asString().replaceAll(" .*", "")));
        assertThat(history).startsWith("B>A by ops-admin", "A>B by failover-leader");
    }

    private static SecondInstance startTheInstanceInA() {
        return SecondInstance.startIn(
                "A",
                0,
                "--member-center.failover.zookeeper-connect=" + ensemble().zooKeeperConnectString());
    }

    /**
     * A power cut: SIGKILL for every server of A, and the instance in A gone with it; returns when the master was
     * killed ({@code System.nanoTime()}).
     */
    private static long loseDataCenterA() {
        long masterKilledAt = System.nanoTime();
        STORES_OF_A.forEach(LocalTopology.shared()::kill);
        ensemble().kill("zk-1");
        SecondInstance lost = instanceInA;
        instanceInA = null;
        lost.close();
        return masterKilledAt;
    }

    /** A's servers back; its database as a replica (it may hold commits B never acknowledged: they are undone). */
    private static void bringBackDataCenterA() {
        ensemble().start("zk-1");
        LocalTopology.shared().startAsReplica("mysql-a");
        STORES_OF_A.stream().filter(store -> !store.equals("mysql-a")).forEach(LocalTopology.shared()::start);
    }

    /** Members registered through A before the drill, readable in B by id and by mobile. */
    private List<Known> membersKnownToBothDataCenters(int count) {
        List<Known> known = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String mobile = TestData.mobile();
            Response created = instanceInA.api().create(RequestBody.create(mobile, null));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            known.add(new Known(created.memberId(), mobile));
        }
        await("the members searchable in B's cluster")
                .atMost(PATIENCE)
                .until(() -> known.stream()
                        .allMatch(member -> SearchDocs.identifierSearchable(
                                "search-backup",
                                IdentifierKey.mobile(member.mobile).searchKey())));
        LocalTopology.shared().awaitReplicaCaughtUp(PATIENCE);
        return known;
    }

    private static boolean writable(String server) {
        return LocalTopology.shared().isUp(server) && !FailoverServers.readOnly(server);
    }

    private record Known(String memberId, String mobile) {}

    /** Against one instance until stopped: ORDER reads by id and lookups by mobile of members known before. */
    private static final class Readers {
        private final ApiClient instance;
        private final List<Known> known;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final AtomicInteger reads = new AtomicInteger();
        private final List<Thread> threads = new ArrayList<>();

        Readers(ApiClient instance, List<Known> known) {
            this.instance = instance;
            this.known = known;
        }

        void start(int count) {
            for (int i = 0; i < count; i++) threads.add(Thread.ofVirtual().start(this::read));
        }

        private void read() {
            while (running.get()) {
                Known member = known.get(ThreadLocalRandom.current().nextInt(known.size()));
                Response byId = instance.get("/v1/members/" + member.memberId, ORDER_KEY);
                Response byMobile = instance.get("/v1/members/by-mobile/" + member.mobile, ORDER_KEY);
                reads.addAndGet(2);
                for (Response read : List.of(byId, byMobile)) {
                    if (read.status() != 200 || !read.memberId().equals(member.memberId)) {
                        failures.add(read.status() + " " + read.text());
                    }
                }
            }
        }

        int reads() {
            return reads.get();
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) thread.join();
        }
    }
}
