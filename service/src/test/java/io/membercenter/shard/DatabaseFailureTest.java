package io.membercenter.shard;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.replication.Relay;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.Problems;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Stores;
import io.membercenter.support.TestData;
import io.membercenter.topology.LocalTopology;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationContext;

/** What callers see when the real MariaDB servers stop, and that nothing acknowledged is lost. */
@ServiceTest
class DatabaseFailureTest {

    private final ApiClient api;
    private final Stores stores;
    private final ApplicationContext context;

    DatabaseFailureTest(ApiClient api, Stores stores, ApplicationContext context) {
        this.api = api;
        this.stores = stores;
        this.context = context;
    }

    @Test
    void masterDownAnswers503WithRetryAfterAndLosesNothingAcknowledged() {
        Response acknowledged = api.newMember();
        String mobile = TestData.mobile();
        LocalTopology.shared().awaitReplicaCaughtUp(Duration.ofSeconds(10));

        Response create;
        Response patch;
        Response read;
        try (Stores.StoppedStore master = stores.stop("mysql-a")) {
            create = api.create(RequestBody.create(mobile, null));
            patch = api.patch(
                    "/v1/members/" + acknowledged.memberId(),
                    APP_KEY,
                    RequestBody.object().with("nickname", "during"));
            read = api.get("/v1/members/" + acknowledged.memberId(), APP_KEY);
        }

        for (Response failed : new Response[] {create, patch}) {
            Problems.assertProblem(failed, 503);
            assertThat(failed.header("Retry-After")).isPresent();
        }
        // Reads do not fail because the master did: the other data center's replica answers, flagged stale.
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("X-Member-Source")).contains("db@B");
        assertThat(read.header("X-Member-Stale")).contains("true");
        assertThat(read.json()).isEqualTo(acknowledged.json());
        Response after = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> api.get("/v1/members/" + acknowledged.memberId(), APP_KEY),
                        r -> r.status() == 200 && r.header("X-Member-Source").equals(java.util.Optional.of("db@A")));
        assertThat(after.json()).isEqualTo(acknowledged.json());
        assertThat(api.get("/v1/members/by-mobile/" + mobile, APP_KEY).status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.create(RequestBody.create(mobile, null)).status() == 201);
    }

    /**
     * Data center B's replica has received the member (semi-sync acknowledged it) but not applied it, and search
     * has not got it (the relay is stopped): with the master down, a read by id or mobile must not be that
     * replica's "not found" — the member exists — but a 503 the caller retries. A 404 that stands (a member nobody
     * registered, read once the master is back) says which copy answered it.
     */
    @Test
    void whileTheMasterIsDownAReplicaThatHasNotAppliedAMemberYetNeverAnswers404ForIt() throws Exception {
        LocalTopology.shared().awaitReplicaCaughtUp(Duration.ofSeconds(10));
        Relay relay = new Relay(context);
        Response member;
        Response byId;
        Response byMobile;
        relay.stop();
        try {
            onReplicaB("STOP SLAVE SQL_THREAD");
            Stores.StoppedStore master = null;
            try {
                member = api.newMember();
                master = stores.stop("mysql-a");
                byId = api.get("/v1/members/" + member.memberId(), APP_KEY);
                byMobile = api.get(
                        "/v1/members/by-mobile/" + member.json().path("mobile").asString(), APP_KEY);
            } finally {
                // Before the master's return, which waits until the replica has applied everything.
                onReplicaB("START SLAVE SQL_THREAD");
                if (master != null) master.close();
            }
        } finally {
            relay.start();
        }

        for (Response read : new Response[] {byId, byMobile}) {
            Problems.assertProblem(read, 503);
            assertThat(read.header("Retry-After")).isPresent();
        }
        Response back = await().atMost(Duration.ofSeconds(20))
                .until(() -> api.get("/v1/members/" + member.memberId(), APP_KEY), r -> r.status() == 200);
        assertThat(back.json()).isEqualTo(member.json());
        Response nobody = api.get("/v1/members/by-mobile/" + TestData.mobile(), APP_KEY);
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(nobody.header("X-Member-Source")).as("which copy said so").isPresent();
        assertThat(nobody.header("X-Member-Stale")).isEmpty();
    }

    private static void onReplicaB(String statement) throws SQLException {
        LocalTopology topology = LocalTopology.shared();
        try (Connection c = DriverManager.getConnection(
                        topology.jdbcUrl("mysql-b", "member_0"), topology.adminUser(), topology.adminPassword());
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void aCachedMemberIsStillServedWhileTheMasterIsDown() {
        Response acknowledged = api.newMember();
        Response warm = api.get("/v1/members/" + acknowledged.memberId(), APP_KEY);

        Response duringOutage;
        try (Stores.StoppedStore master = stores.stop("mysql-a")) {
            duringOutage = api.get("/v1/members/" + acknowledged.memberId(), APP_KEY);
        }

        assertThat(warm.header("X-Member-Source")).contains("db@A");
        assertThat(duringOutage.status()).isEqualTo(200);
        assertThat(duringOutage.header("X-Member-Source")).contains("cache@A");
        assertThat(duringOutage.json()).isEqualTo(acknowledged.json());
    }

    @Test
    void healthIsDownWhileTheMasterIsDownAndUpWhenItReturns() {
        Response down;
        try (Stores.StoppedStore master = stores.stop("mysql-a")) {
            down = api.get("/actuator/health", null);
        }

        assertThat(down.status()).isEqualTo(503);
        assertThat(down.text()).contains("DOWN");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.get("/actuator/health", null).status() == 200);
    }

    @Test
    void withTheReplicaDownDataCenterAStillCreatesAndReadsFromItsMaster() {
        stores.stop("mysql-b");

        Response created = api.newMember();
        Response read = api.get("/v1/members/" + created.memberId(), APP_KEY);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("X-Member-Source")).contains("db@A");
    }
}
