package io.membercenter.shard;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.Problems;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Stores;
import io.membercenter.support.TestData;
import io.membercenter.topology.LocalTopology;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What callers see when the real MariaDB servers stop, and that nothing acknowledged is lost. */
@ServiceTest
class DatabaseFailureTest {

    private final ApiClient api;
    private final Stores stores;

    DatabaseFailureTest(ApiClient api, Stores stores) {
        this.api = api;
        this.stores = stores;
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
