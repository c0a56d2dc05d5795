package io.membercenter.replication;

import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.support.TestData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every committed change, and only a committed change, leaves one outbox row in its own transaction. */
@ServiceTest
class OutboxTest {

    private final ApiClient api;

    OutboxTest(ApiClient api) {
        this.api = api;
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @org.springframework.beans.factory.annotation.Autowired
    private OutboxRelay relay;

    @Test
    void everyCommittedChangeHasExactlyOneOutboxRowWithItsVersion() {
        Response created = api.newMember();
        String id = created.memberId();
        String newMobile = TestData.mobile();
        api.patch("/v1/members/" + id, APP_KEY, "{\"nickname\":\"second\"}");
        api.patch("/v1/members/" + id, APP_KEY, "{\"nickname\":\"second\"}");
        api.patch("/v1/members/" + id, APP_KEY, RequestBody.object().with("mobile", newMobile));
        api.post("/v1/members/" + id + "/identities", APP_KEY, RequestBody.bind("qq", "q-" + id));
        api.delete("/v1/members/" + id + "/identities/qq/q-" + id, APP_KEY);
        api.request("PATCH", "/v1/members/" + id)
                .key(APP_KEY)
                .header("If-Match", "\"1\"")
                .json("{\"level\":\"GOLD\"}")
                .send();

        List<Map<String, Object>> rows = outbox(id);

        assertThat(rows)
                .extracting(r -> ((Number) r.get("version")).longValue())
                .containsExactly(1L, 2L, 3L, 4L, 5L);
        JsonNode mobileChange = JSON.readTree((String) rows.get(2).get("payload"));
        assertThat(mobileChange.path("mobile").asString()).isEqualTo(newMobile);
        assertThat(mobileChange.path("version").asLong()).isEqualTo(3);
        assertThat(mobileChange.path("removedIdentifiers").get(0).path("value").asString())
                .isEqualTo(created.json().path("mobile").asString());
        assertThat(rows).allMatch(r -> r.get("sent_at") == null || ((Number) r.get("sent_at")).longValue() > 0);
    }

    /**
     * The oldest unsent change is asked for every 100 ms on every database (the replication checkpoint), and
     * the relay asks for the next unsent rows all the time: both must be answered from an index, never by
     * reading the rows of an outbox that holds every sent change of the retention period.
     */
    @Test
    void theUnsentChangeQueriesAreAnsweredFromTheIndex() {
        // MIN answered by one index lookup: "Select tables optimized away" when an unsent row exists, "No matching
        // min/max row" when none does; a covering scan says "Using index". Row reads ("Using index condition",
        // "Using where" alone) are what the index is there to avoid.
        java.util.regex.Pattern indexOnly = java.util.regex.Pattern.compile(
                "Using index(?! condition)|Select tables optimized away|No matching min/max row");
        relay.stop();
        try {
            api.newMember(); // an unsent row in one of the databases while the plans are read
            assertIndexOnlyPlans(indexOnly);
        } finally {
            relay.start();
        }
    }

    private static void assertIndexOnlyPlans(java.util.regex.Pattern indexOnly) {
        for (String database : Sql.DATABASES) {
            List<Map<String, Object>> oldest = Sql.query(
                    "mysql-a", database, "EXPLAIN SELECT MIN(created_at) FROM member_outbox WHERE sent_at IS NULL");
            List<Map<String, Object>> next = Sql.query(
                    "mysql-a",
                    database,
                    "EXPLAIN SELECT id, member_id, version, payload FROM member_outbox"
                            + " WHERE sent_at IS NULL ORDER BY id LIMIT 500");

            assertThat(oldest).hasSize(1);
            assertThat(String.valueOf(oldest.getFirst().get("Extra")))
                    .as(oldest.toString())
                    .containsPattern(indexOnly);
            assertThat(next).hasSize(1);
            assertThat(next.getFirst().get("key")).as(next.toString()).isEqualTo("outbox_unsent");
            assertThat(String.valueOf(next.getFirst().get("Extra")))
                    .as(next.toString())
                    .doesNotContain("filesort");
        }
    }

    @Test
    void refusedRequestsLeaveNoOutboxRow() {
        Response owner = api.newMember();
        Response other = api.newMember();

        api.patch(
                "/v1/members/" + other.memberId(),
                APP_KEY,
                RequestBody.object().with("mobile", owner.json().path("mobile").asString()));
        api.create(
                RequestBody.object().with("mobile", owner.json().path("mobile").asString()));

        assertThat(outbox(other.memberId())).hasSize(1);
        assertThat(outbox(owner.memberId())).hasSize(1);
    }

    @Test
    void concurrentChangesEachLeaveOneOutboxRowWithTheirOwnVersion() throws Exception {
        String id = api.newMember().memberId();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<Response>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int n = i;
                answers.add(pool.submit(() -> api.patch(
                        "/v1/members/" + id, APP_KEY, RequestBody.object().with("nickname", "w" + n))));
            }
            for (Future<Response> answer : answers)
                assertThat(answer.get().status()).isEqualTo(200);
        }

        assertThat(outbox(id))
                .extracting(r -> ((Number) r.get("version")).longValue())
                .containsExactlyElementsOf(
                        java.util.stream.LongStream.rangeClosed(1, 9).boxed().toList());
    }

    static List<Map<String, Object>> outbox(String memberId) {
        return Sql.everywhere(
                "mysql-a",
                "SELECT version, payload, sent_at FROM member_outbox WHERE member_id = ? ORDER BY id",
                Long.parseLong(memberId));
    }
}
