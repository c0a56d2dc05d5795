package io.membercenter.failover;

import static io.membercenter.failover.FailoverServers.missingOn;
import static io.membercenter.failover.FailoverServers.readOnly;
import static io.membercenter.failover.FailoverServers.writeRoute;
import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.ApiClient.ORDER_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.CacheEntries;
import io.membercenter.support.RequestBody;
import io.membercenter.support.SecondInstance;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.support.TestData;
import io.membercenter.topology.LocalTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The topology record in a real ZooKeeper ensemble (three nodes, started for this class only: the rest of the suite
 * runs without one), two instances (A, and B in this JVM) following it, and planned switches of the real MariaDB
 * master under concurrent writers through both instances. Every test leaves A master and B its caught-up replica.
 */
@ServiceTest
// Closed after the class: its instance's failover leader gives the shared servers their own semi-synchronous
// timeout back (it guards them with a long one), and its ZooKeeper client stops.
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class DatabaseSwitchoverTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static LocalTopology ensemble;
    private static SecondInstance instanceInB;

    private final ApiClient api;

    DatabaseSwitchoverTest(ApiClient api) {
        this.api = api;
    }

    private static synchronized LocalTopology ensemble() {
        if (ensemble == null) {
            ensemble = FailoverServers.startEnsemble("failover-zookeeper");
        }
        return ensemble;
    }

    @DynamicPropertySource
    static void coordination(DynamicPropertyRegistry registry) {
        registry.add(
                "member-center.failover.zookeeper-connect", () -> ensemble().zooKeeperConnectString());
    }

    @BeforeAll
    static void startTheInstanceInB() {
        instanceInB = SecondInstance.start(
                "--member-center.failover.zookeeper-connect=" + ensemble().zooKeeperConnectString());
    }

    @AfterAll
    static void stopEverythingThisClassStarted() {
        FailoverServers.gtidStrictModeOff();
        if (instanceInB != null) instanceInB.close();
        if (ensemble != null) ensemble.close();
    }

    /** Whatever a test did: A is the master, B its caught-up replica, and both instances take writes. */
    @AfterEach
    void aIsMasterAgain() {
        if (!LocalTopology.shared().isUp("mysql-a")) LocalTopology.shared().startAsReplica("mysql-a");
        for (String node : List.of("zk-1", "zk-2", "zk-3")) {
            if (!ensemble().isUp(node)) ensemble().start(node);
        }
        await().atMost(PATIENCE)
                .until(() ->
                        api.create(RequestBody.create(TestData.mobile(), null)).status() == 201);
        if (readOnly("mysql-a")) {
            assertThat(switchDb("/admin/failback/db", "{}").status()).isEqualTo(200);
        }
        if (record().path("cacheFrom").isString()) {
            await().atMost(PATIENCE)
                    .until(() -> switchDb("/admin/failback/cache", "{}").status() == 200);
        }
        LocalTopology.shared().awaitReplicaCaughtUp(PATIENCE);
        // After a failback to a master that was killed and restarted, this instance's pool for it holds the
        // connections the kill broke: the first writes wait for new ones (a 503 once the pool wait passed, CI of
        // d223121). The next test starts with writes acknowledged by both instances again.
        await().atMost(PATIENCE)
                .until(() ->
                        api.create(RequestBody.create(TestData.mobile(), null)).status() == 201);
        await().atMost(PATIENCE)
                .until(() -> instanceInB
                                .api()
                                .create(RequestBody.create(TestData.mobile(), null))
                                .status()
                        == 201);
    }

    @Test
    void plannedSwitchoverAndFailbackUnderConcurrentWritersFailNoRequestAndLoseNoAcknowledgedWrite() throws Exception {
        Writers writers = new Writers(List.of(api, api, instanceInB.api(), instanceInB.api()), PATIENCE);
        writers.start();
        try {
            writers.awaitAcknowledged(50);

            Response failover = switchDb("/admin/failover/db", "{\"to\": \"B\", \"reason\": \"drill\"}");
            List<String> acknowledgedBeforeB = writers.acknowledgedSoFar();

            assertThat(failover.status()).as(failover.text()).isEqualTo(200);
            assertThat(failover.json().path("from").asString()).isEqualTo("A");
            assertThat(failover.json().path("to").asString()).isEqualTo("B");
            assertThat(readOnly("mysql-b")).as("B takes writes").isFalse();
            assertThat(readOnly("mysql-a")).as("A is fenced").isTrue();
            assertThat(missingOn("mysql-b", acknowledgedBeforeB)).isEmpty();
            for (ApiClient instance : List.of(api, instanceInB.api())) {
                assertThat(writeRoute(instance))
                        .as("where an instance routes writes after the switch")
                        .isEqualTo("B");
            }

            writers.awaitAcknowledged(acknowledgedBeforeB.size() + 50);
            Response failback = switchDb("/admin/failback/db", "{\"reason\": \"drill over\"}");
            assertThat(failback.status()).as(failback.text()).isEqualTo(200);
            assertThat(failback.json().path("epoch").asLong())
                    .isGreaterThan(failover.json().path("epoch").asLong());
            writers.awaitAcknowledged(writers.acknowledgedSoFar().size() + 50);
        } finally {
            writers.stop();
        }

        assertThat(writers.failures()).as("failed requests during the switches").isEmpty();
        assertThat(readOnly("mysql-a")).isFalse();
        assertThat(readOnly("mysql-b")).isTrue();
        assertThat(missingOn("mysql-a", writers.acknowledgedSoFar()))
                .as("acknowledged writes missing on the master")
                .isEmpty();
        List<String> history = new ArrayList<>();
        api.get("/admin/failover/history", ADMIN_KEY)
                .json()
                .path("items")
                .forEach(item -> history.add(item.path("from").asString() + ">"
                        + item.path("to").asString() + " by " + item.path("by").asString()));
        assertThat(history).startsWith("B>A by ops-admin", "A>B by ops-admin");
    }

    @Test
    void killingTheMasterUnderConcurrentWritersPromotesBLosesNoAcknowledgedWriteAndTheOldMasterRejoinsAsReplica()
            throws Exception {
        Writers writers = new Writers(List.of(api, api, instanceInB.api(), instanceInB.api()), PATIENCE);
        writers.start();
        long killedAt;
        List<String> acknowledgedBeforeKill;
        try {
            writers.awaitAcknowledged(50);
            acknowledgedBeforeKill = writers.acknowledgedSoFar();
            killedAt = System.nanoTime();
            LocalTopology.shared().kill("mysql-a");

            for (ApiClient instance : List.of(api, instanceInB.api())) {
                await("writes routed to B").atMost(PATIENCE).until(() -> "B".equals(writeRoute(instance)));
            }
            writers.awaitAcknowledged(writers.acknowledgedSoFar().size() + 50);
        } finally {
            writers.stop();
        }
        long resumedMillis = (writers.firstAcknowledgedAfter(killedAt) - killedAt) / 1_000_000;
        System.out.printf(
                "kill -9 of mysql-a: writes acknowledged again after %d ms; %d writes failed meanwhile%n",
                resumedMillis, writers.failures().size());

        List<String> acknowledged = writers.acknowledgedSoFar();
        assertThat(acknowledged).containsAll(acknowledgedBeforeKill);
        assertThat(readOnly("mysql-b")).as("B is the master").isFalse();
        assertThat(missingOn("mysql-b", acknowledged))
                .as("acknowledged writes missing on the new master")
                .isEmpty();
        assertThat(writers.failures())
                .as("what a caller sees while the master is lost: a clean 503")
                .allSatisfy(failure -> assertThat(failure).startsWith("503"));
        var latest = api.get("/admin/failover/history", ADMIN_KEY)
                .json()
                .path("items")
                .get(0);
        assertThat(latest.path("from").asString() + ">" + latest.path("to").asString())
                .isEqualTo("A>B");
        assertThat(latest.path("by").asString()).startsWith("failover-leader");
        assertThat(latest.path("reason").asString()).contains("automatic");

        long firstId =
                acknowledgedBeforeKill.stream().mapToLong(Long::parseLong).min().orElseThrow();
        LocalTopology.shared().startAsReplica("mysql-a");
        await("the old master fenced, following B, with exactly B's members")
                .atMost(PATIENCE)
                .untilAsserted(() -> {
                    assertThat(readOnly("mysql-a")).isTrue();
                    assertThat(memberIdsFrom("mysql-a", firstId))
                            .as("no write accepted by the old master after the promotion")
                            .isEqualTo(memberIdsFrom("mysql-b", firstId));
                });
        assertThat(missingOn("mysql-a", acknowledged)).isEmpty();
    }

    @Test
    void aReplicaThatMissedWritesIsRecordedStaleAndNeverPromotedWhenTheMasterDiesUntilItHasCaughtUp() {
        LocalTopology.shared().stop("mysql-b");
        await("B recorded stale once A acknowledges without it")
                .atMost(PATIENCE)
                .until(() -> "B".equals(record().path("stale").asString()));
        List<String> acknowledgedWithoutB = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Response created = api.create(RequestBody.create(TestData.mobile(), null));
            assertThat(created.status())
                    .as("writes go on with B down: %s", created.text())
                    .isEqualTo(201);
            acknowledgedWithoutB.add(created.memberId());
        }
        String historyBefore = api.get("/admin/failover/history", ADMIN_KEY)
                .json()
                .path("items")
                .toString();

        LocalTopology.shared().kill("mysql-a");
        LocalTopology.shared().start("mysql-b"); // back, but its master is gone: it cannot catch up
        await("B stays a read-only replica while it lacks acknowledged writes")
                .during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(10))
                .until(() -> readOnly("mysql-b")
                        && "A".equals(record().path("master").asString()));
        Response refused = instanceInB.api().create(RequestBody.create(TestData.mobile(), null));
        assertThat(refused.status()).as(refused.text()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isPresent();
        assertThat(api.get("/admin/failover/history", ADMIN_KEY)
                        .json()
                        .path("items")
                        .toString())
                .as("no switch")
                .isEqualTo(historyBefore);

        LocalTopology.shared().start("mysql-a"); // the master it still is
        await("writes on A again")
                .atMost(PATIENCE)
                .until(() ->
                        api.create(RequestBody.create(TestData.mobile(), null)).status() == 201);
        await("B caught up and no longer stale")
                .atMost(PATIENCE)
                .until(() -> record().path("stale").isNull()
                        && missingOn("mysql-b", acknowledgedWithoutB).isEmpty());
    }

    @Test
    void searchFailsOverToBByHandOnEveryInstanceAndFailsBackOnlyOnceTheConfiguredClustersHaveCaughtUp() {
        Response created = api.create(RequestBody.create(TestData.mobile(), null));
        String mobile = created.json().path("mobile").asString();
        String key = io.membercenter.replication.IdentifierKey.mobile(mobile).searchKey();

        Response moved = switchDb("/admin/failover/search", "{\"to\": \"B\", \"reason\": \"search-primary work\"}");

        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.json().path("kind").asString()).isEqualTo("search");
        assertThat(moved.json().path("from").asString() + ">"
                        + moved.json().path("to").asString())
                .isEqualTo("A>B");
        for (ApiClient instance : List.of(api, instanceInB.api())) {
            await("every traffic class searched in B")
                    .atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(searchRoutes(instance)).containsOnly("search-backup"));
        }
        Response lookup = await().atMost(PATIENCE)
                .until(
                        () -> {
                            CacheEntries.evict(created.memberId(), key);
                            return api.get("/v1/members/by-mobile/" + mobile, ORDER_KEY);
                        },
                        r -> r.header("X-Member-Source").equals(java.util.Optional.of("search-backup@B")));
        assertThat(lookup.json()).isEqualTo(created.json());

        LocalTopology.shared().stop("search-primary");
        Response refused;
        try {
            refused = switchDb("/admin/failback/search", "{}");
        } finally {
            LocalTopology.shared().start("search-primary");
        }
        assertThat(refused.status()).as(refused.text()).isEqualTo(503);
        assertThat(refused.text()).contains("search-primary").contains("not caught up");
        assertThat(searchRoutes(api)).containsOnly("search-backup");

        await("failback once search-primary has caught up")
                .atMost(Duration.ofSeconds(90))
                .until(() -> switchDb("/admin/failback/search", "{}").status() == 200);
        for (ApiClient instance : List.of(api, instanceInB.api())) {
            await("the configured routes again")
                    .atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(searchRoutes(instance))
                            .containsExactly("search-primary", "search-marketing", "search-primary"));
        }
        var latest = api.get("/admin/failover/history", ADMIN_KEY)
                .json()
                .path("items")
                .get(0);
        assertThat(latest.path("kind").asString() + " " + latest.path("from").asString() + ">"
                        + latest.path("to").asString())
                .isEqualTo("search B>A");
    }

    @Test
    void cacheFailsOverToBByHandOnEveryInstanceAndFailsBackOnlyOnceEveryRedisIsTrustedAgain() {
        String memberId = api.newMember().memberId();

        Response moved = switchDb("/admin/failover/cache", "{\"to\": \"B\", \"reason\": \"redis-a work\"}");

        assertThat(moved.status()).as(moved.text()).isEqualTo(200);
        assertThat(moved.json().path("kind").asString() + " "
                        + moved.json().path("to").asString())
                .isEqualTo("cache B");
        for (ApiClient instance : List.of(api, instanceInB.api())) {
            await("reads by id answered from B's Redis")
                    .atMost(PATIENCE)
                    .until(() -> instance.get("/v1/members/" + memberId, ORDER_KEY)
                            .header("X-Member-Source")
                            .equals(java.util.Optional.of("cache@B")));
        }

        LocalTopology.shared().stop("redis-a");
        Response refused;
        try {
            // A write's invalidation reaches every Redis: each instance finds redis-a gone and stops trusting it.
            for (ApiClient instance : List.of(api, instanceInB.api())) {
                assertThat(instance.patch(
                                        "/v1/members/" + memberId,
                                        ORDER_KEY,
                                        RequestBody.object().with("nickname", "while redis-a is away"))
                                .status())
                        .isEqualTo(200);
            }
            refused = switchDb("/admin/failback/cache", "{}");
            assertThat(api.get("/v1/members/" + memberId, ORDER_KEY).status())
                    .as("reads go on meanwhile")
                    .isEqualTo(200);
        } finally {
            LocalTopology.shared().start("redis-a");
        }
        assertThat(refused.status()).as(refused.text()).isEqualTo(503);
        assertThat(refused.text()).contains("redis-a").contains("not trusted");

        await("failback once redis-a is trusted again")
                .atMost(PATIENCE)
                .until(() -> switchDb("/admin/failback/cache", "{}").status() == 200);
        await("the instance in A reads its own Redis again")
                .atMost(PATIENCE)
                .until(() -> api.get("/v1/members/" + memberId, ORDER_KEY)
                        .header("X-Member-Source")
                        .equals(java.util.Optional.of("cache@A")));
        Response read = api.get("/v1/members/" + memberId, ORDER_KEY);
        assertThat(read.json().path("nickname").asString()).isEqualTo("while redis-a is away");
        var latest = api.get("/admin/failover/history", ADMIN_KEY)
                .json()
                .path("items")
                .get(0);
        assertThat(latest.path("kind").asString() + " " + latest.path("from").asString() + ">"
                        + latest.path("to").asString())
                .isEqualTo("cache B>own");
    }

    /** The cluster each traffic class is searched in first (ORDER, MARKETING, DEFAULT), as the instance says. */
    private static List<String> searchRoutes(ApiClient instance) {
        var routes =
                instance.get("/admin/topology", ADMIN_KEY).json().path("routes").path("search");
        List<String> clusters = new ArrayList<>();
        for (String trafficClass : List.of("ORDER", "MARKETING", "DEFAULT")) {
            clusters.add(routes.path(trafficClass).asString());
        }
        return clusters;
    }

    @Test
    void aBadKindOrTargetIsA400AndChangesNothing() {
        String before = api.get("/admin/failover/history", ADMIN_KEY).text();
        List<Response> answers = List.of(
                switchDb("/admin/failover/queue", "{\"to\": \"B\"}"),
                switchDb("/admin/failover/cache", "{\"to\": \"C\"}"),
                switchDb("/admin/failback/cache", "{}"),
                switchDb("/admin/failover/search", "{\"to\": \"C\"}"),
                switchDb("/admin/failback/search", "{}"),
                switchDb("/admin/failover/db", "{\"to\": \"C\"}"),
                switchDb("/admin/failover/db", "{\"to\": \"A\"}"),
                switchDb("/admin/failover/db", "{}"),
                switchDb("/admin/failover/db", "{\"to\": \"B\", \"force\": \"yes\"}"),
                switchDb("/admin/failover/db", "{\"to\": 2}"),
                switchDb("/admin/failback/db", "{\"to\": \"A\"}"));

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.text()).isEqualTo(400);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        });
        assertThat(api.get("/admin/failover/history", ADMIN_KEY).text()).isEqualTo(before);
        assertThat(readOnly("mysql-a")).isFalse();
        assertThat(readOnly("mysql-b")).isTrue();
        assertThat(api.post("/admin/failover/db", APP_KEY, "{\"to\": \"B\"}").status())
                .isEqualTo(403);
    }

    @Test
    void cutOffFromZooKeeperAnInstanceRefusesWritesKeepsReadingAndNoSecondMasterAppears() {
        String existing = api.newMember().memberId();
        for (String node : List.of("zk-1", "zk-2", "zk-3")) ensemble().stop(node);

        await("writes refused").atMost(PATIENCE).untilAsserted(() -> {
            Response refused = api.create(RequestBody.create(TestData.mobile(), null));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isPresent();
        });
        Response refusedInB = instanceInB.api().create(RequestBody.create(TestData.mobile(), null));
        Response read = api.get("/v1/members/" + existing, APP_KEY);
        Response readInB = instanceInB.api().get("/v1/members/" + existing, APP_KEY);
        Response failover = switchDb("/admin/failover/db", "{\"to\": \"B\"}");

        assertThat(refusedInB.status()).isEqualTo(503);
        assertThat(read.status()).isEqualTo(200);
        assertThat(readInB.status()).isEqualTo(200);
        assertThat(failover.status())
                .as("no switch without the coordination store")
                .isEqualTo(503);
        assertThat(readOnly("mysql-a")).isFalse();
        assertThat(readOnly("mysql-b")).as("never two masters").isTrue();

        for (String node : List.of("zk-1", "zk-2", "zk-3")) ensemble().start(node);
        await("writes accepted again")
                .atMost(PATIENCE)
                .until(() ->
                        api.create(RequestBody.create(TestData.mobile(), null)).status() == 201);
    }

    /** The leader runs switches; a non-leader answers 503 naming it, so try the other instance. */
    private Response switchDb(String path, String body) {
        Response answer = api.post(path, ADMIN_KEY, body);
        if (answer.status() == 503 && answer.text().contains("not the failover leader")) {
            answer = instanceInB.api().post(path, ADMIN_KEY, body);
        }
        return answer;
    }

    /** The topology record the answering instance routes by. */
    private tools.jackson.databind.JsonNode record() {
        return api.get("/admin/failover/history", ADMIN_KEY).json().path("record");
    }

    private static Set<Long> memberIdsFrom(String server, long firstId) {
        Set<Long> ids = new java.util.TreeSet<>();
        Sql.everywhere(server, "SELECT member_id FROM member WHERE member_id >= ?", firstId)
                .forEach(row -> ids.add(((Number) row.get("member_id")).longValue()));
        return ids;
    }
}
