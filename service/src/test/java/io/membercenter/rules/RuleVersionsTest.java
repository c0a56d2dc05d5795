package io.membercenter.rules;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.Problems;
import io.membercenter.support.SecondInstance;
import io.membercenter.support.ServiceTest;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Rules are versioned in the database: a change has a version, who and when, and a diff in the history; it is in
 * force on the instance in data center B within 1 s and after B restarts; a bad change changes nothing.
 */
@ServiceTest
class RuleVersionsTest {

    private static SecondInstance instanceInB;
    private final ApiClient a;
    private JsonNode original;

    RuleVersionsTest(ApiClient api) {
        this.a = api;
    }

    @BeforeAll
    static void startTheInstanceInB() {
        instanceInB = SecondInstance.start();
    }

    @AfterAll
    static void stopTheInstanceInB() {
        if (instanceInB != null) instanceInB.close();
    }

    @BeforeEach
    void rememberTheRules() {
        original = a.get("/admin/flow-rules", ADMIN_KEY).json();
    }

    @AfterEach
    void restoreTheRules() {
        Response restored =
                put("{\"degradation\": " + original.path("degradation") + ", \"flow\": " + original.path("flow") + "}");
        assertThat(restored.status()).as(restored.text()).isEqualTo(200);
    }

    @Test
    void aChangeIsTheNextVersionInTheHistoryAndInForceInBWithinOneSecond() {
        long before = original.path("version").asLong();
        int errorCount =
                original.path("degradation").path("mysql-a").path("errorCount").asInt();

        Response changed = put(ruleOfMysqlA(errorCount + 4));

        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        assertThat(changed.json().path("version").asLong()).isEqualTo(before + 1);
        assertThat(changed.json().path("changedBy").asString()).isEqualTo("ops-admin");
        long start = System.nanoTime();
        await("B applies version " + (before + 1))
                .atMost(Duration.ofSeconds(1))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    JsonNode inB = instanceInB
                            .api()
                            .get("/admin/flow-rules", ADMIN_KEY)
                            .json();
                    return inB.path("version").asLong() == before + 1
                            && inB.path("degradation")
                                            .path("mysql-a")
                                            .path("errorCount")
                                            .asInt()
                                    == errorCount + 4;
                });
        System.out.println("rule version in force in B after " + (System.nanoTime() - start) / 1_000_000 + " ms");

        JsonNode newest = a.get("/admin/flow-rules/history?limit=5", ADMIN_KEY)
                .json()
                .path("items")
                .get(0);
        assertThat(newest.path("version").asLong()).isEqualTo(before + 1);
        assertThat(newest.path("changedBy").asString()).isEqualTo("ops-admin");
        assertThat(newest.path("changedAt").asString()).isNotBlank();
        assertThat(newest.path("diff")).hasSize(1);
        JsonNode change = newest.path("diff").get(0);
        assertThat(change.path("path").asString()).isEqualTo("degradation.mysql-a.errorCount");
        assertThat(change.path("from").asInt()).isEqualTo(errorCount);
        assertThat(change.path("to").asInt()).isEqualTo(errorCount + 4);
    }

    @Test
    void persistedRulesAreInForceAfterARestart() {
        JsonNode flow = original.path("flow").deepCopy();
        String quota = "{\"groups\": {\"reads\": {\"requestsPerSecond\": 7, \"concurrent\": 3},"
                + " \"writes\": {\"requestsPerSecond\": 7, \"concurrent\": 3},"
                + " \"search\": {\"requestsPerSecond\": 7, \"concurrent\": 3},"
                + " \"batch\": {\"requestsPerSecond\": 7, \"concurrent\": 3}}, \"hotKey\": null}";
        String body = "{\"flow\": {\"classes\": " + flow.path("classes") + ", \"callers\": {\"restart-check\": " + quota
                + "}}}";
        Response changed = put(body);
        assertThat(changed.status()).as(changed.text()).isEqualTo(200);
        long version = changed.json().path("version").asLong();

        instanceInB.close();
        instanceInB = SecondInstance.start();

        JsonNode inB = instanceInB.api().get("/admin/flow-rules", ADMIN_KEY).json();
        assertThat(inB.path("version").asLong()).isEqualTo(version);
        assertThat(inB.path("flow")
                        .path("callers")
                        .path("restart-check")
                        .path("groups")
                        .path("reads")
                        .path("requestsPerSecond")
                        .asInt())
                .isEqualTo(7);
    }

    @Test
    void aBadChangeChangesNeitherTheRulesNorTheVersion() {
        Response bad = put(ruleOfMysqlA(0));

        Problems.assertProblem(bad, 400);
        assertThat(bad.json().path("errors").get(0).path("field").asString())
                .isEqualTo("degradation.mysql-a.errorCount");
        assertThat(a.get("/admin/flow-rules", ADMIN_KEY).json()).isEqualTo(original);
        JsonNode newest =
                a.get("/admin/flow-rules/history?limit=1", ADMIN_KEY).json().path("items");
        if (original.path("version").asLong() > 0) {
            assertThat(newest.get(0).path("version").asLong())
                    .isEqualTo(original.path("version").asLong());
        }
        assertBadLimit(a.get("/admin/flow-rules/history?limit=0", ADMIN_KEY));
    }

    private static void assertBadLimit(Response response) {
        Problems.assertProblem(response, 400);
        assertThat(response.json().path("errors").get(0).path("field").asString())
                .isEqualTo("limit");
    }

    /** mysql-a's rule in force with another error count. */
    private String ruleOfMysqlA(int errorCount) {
        ObjectNode rule =
                (ObjectNode) original.path("degradation").path("mysql-a").deepCopy();
        rule.put("errorCount", errorCount);
        return "{\"degradation\": {\"mysql-a\": " + rule + "}}";
    }

    private Response put(String body) {
        return a.request("PUT", "/admin/flow-rules").key(ADMIN_KEY).json(body).send();
    }
}
