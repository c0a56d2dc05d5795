package io.membercenter.shard;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.ApiTestBase;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.TestData;
import io.membercenter.topology.LocalTopology;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What callers see when the real MariaDB servers stop, and that nothing acknowledged is lost. */
@ServiceTest
class DatabaseFailureTest extends ApiTestBase {

    private final LocalTopology topology = LocalTopology.shared();

    @AfterEach
    void restartEverything() {
        topology.start("mysql-a");
        topology.start("mysql-b");
        // The master's breaker closes on its first successful probe, up to one open time after the return.
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.create(createBody(TestData.mobile(), null)).status() == 201);
    }

    @Test
    void masterDownAnswers503WithRetryAfterAndLosesNothingAcknowledged() {
        Response acknowledged = newMember();
        String mobile = TestData.mobile();
        topology.awaitReplicaCaughtUp(Duration.ofSeconds(10));

        topology.stop("mysql-a");
        Response create = api.create(createBody(mobile, null));
        Response patch = api.patch("/v1/members/" + acknowledged.memberId(), APP_KEY, "{\"nickname\":\"during\"}");
        Response read = api.get("/v1/members/" + acknowledged.memberId(), APP_KEY);
        topology.start("mysql-a");

        for (Response failed : new Response[] {create, patch}) {
            io.membercenter.support.Problems.assertProblem(failed, 503);
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
                .until(() -> api.create(createBody(mobile, null)).status() == 201);
    }

    @Test
    void aCachedMemberIsStillServedWhileTheMasterIsDown() {
        Response acknowledged = newMember();
        Response warm = api.get("/v1/members/" + acknowledged.memberId(), APP_KEY);

        topology.stop("mysql-a");
        Response duringOutage = api.get("/v1/members/" + acknowledged.memberId(), APP_KEY);
        topology.start("mysql-a");

        assertThat(warm.header("X-Member-Source")).contains("db@A");
        assertThat(duringOutage.status()).isEqualTo(200);
        assertThat(duringOutage.header("X-Member-Source")).contains("cache@A");
        assertThat(duringOutage.json()).isEqualTo(acknowledged.json());
    }

    @Test
    void healthIsDownWhileTheMasterIsDownAndUpWhenItReturns() {
        topology.stop("mysql-a");
        Response down = api.get("/actuator/health", null);
        topology.start("mysql-a");

        assertThat(down.status()).isEqualTo(503);
        assertThat(down.text()).contains("DOWN");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> api.get("/actuator/health", null).status() == 200);
    }

    @Test
    void replicaDownDoesNotDisturbDataCenterA() {
        topology.stop("mysql-b");

        Response created = newMember();
        Response read = api.get("/v1/members/" + created.memberId(), APP_KEY);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("X-Member-Source")).contains("db@A");
    }
}
