package io.membercenter.console;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Stores;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The admin API: topology as it is, and stopping and starting the real local servers. */
@ServiceTest
class AdminApiTest {

    private final ApiClient api;
    private final Stores stores;

    AdminApiTest(ApiClient api, Stores stores) {
        this.api = api;
        this.stores = stores;
    }

    @Test
    void topologyListsTheMasterInAAndTheReplicaInBAndWhereTrafficGoes() {
        Response topology = api.get("/admin/topology", ADMIN_KEY);

        assertThat(topology.status()).isEqualTo(200);
        JsonNode body = topology.json();
        assertThat(body.path("dc").asString()).isEqualTo("A");
        assertThat(store(body, "mysql-a").path("role").asString()).isEqualTo("master");
        assertThat(store(body, "mysql-a").path("dc").asString()).isEqualTo("A");
        assertThat(store(body, "mysql-a").path("kind").asString()).isEqualTo("db");
        assertThat(store(body, "mysql-b").path("role").asString()).isEqualTo("replica");
        assertThat(store(body, "mysql-b").path("dc").asString()).isEqualTo("B");
        assertThat(body.path("routes").path("db").path("writes").asString()).isEqualTo("A");
    }

    @Test
    void stoppingAndStartingAStoreShowsInTheTopology() {
        Response stopped = api.post("/admin/local/stores/mysql-b/stop", ADMIN_KEY, "{}");
        boolean upWhileStopped = store(api.get("/admin/topology", ADMIN_KEY).json(), "mysql-b")
                .path("up")
                .asBoolean();
        Response started = api.post("/admin/local/stores/mysql-b/start", ADMIN_KEY, "{}");

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().path("up").asBoolean()).isFalse();
        assertThat(upWhileStopped).isFalse();
        assertThat(started.json().path("up").asBoolean()).isTrue();
        assertThat(store(api.get("/admin/topology", ADMIN_KEY).json(), "mysql-b")
                        .path("up")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void unknownStoreAnswers404AndOnlyTheAdminMayStopStores() {
        assertProblem(api.post("/admin/local/stores/no-such-store/stop", ADMIN_KEY, "{}"), 404);
        assertProblem(api.post("/admin/local/stores/mysql-b/stop", APP_KEY, "{}"), 403);
        assertThat(stores.isUp("mysql-b")).isTrue();
    }

    @Test
    void healthAnswersUpAndPrometheusExposesRequestMetrics() {
        assertThat(api.get("/actuator/health", null).text()).contains("UP");
        assertThat(api.get("/actuator/prometheus", null).text()).contains("http_server_requests");
    }

    private static JsonNode store(JsonNode topology, String name) {
        for (JsonNode store : topology.path("stores")) {
            if (store.path("name").asString().equals(name)) return store;
        }
        throw new AssertionError("no store " + name + " in " + topology);
    }
}
