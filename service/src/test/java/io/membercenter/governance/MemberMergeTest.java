package io.membercenter.governance;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardMap;
import io.membercenter.shard.ShardedDatabases;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.MutableClock;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.support.TestData;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Merges of two members who are one person, on the real service and databases: what moves, what is released, the
 * versions, the record and the trail, a retry that moves nothing again, refusals that change nothing, and merges
 * racing binds of the same identities.
 */
@ServiceTest
class MemberMergeTest {

    private final ApiClient api;

    @Autowired
    ShardedDatabases databases;

    @Autowired
    MutableClock clock;

    @Autowired
    RelationshipAudit audit;

    @Autowired
    AbuseFlags flags;

    MemberMergeTest(ApiClient api) {
        this.api = api;
    }

    @Test
    void aMergeMovesTheIdentitiesClosesTheMergedMemberAndARetryMovesNothingAgain() {
        String survivorMobile = TestData.mobile();
        String wechat = TestData.externalId();
        String survivor = created(RequestBody.create(survivorMobile, null).withIdentity("wechat", wechat));
        String mergedMobile = TestData.mobile();
        String mergedEmail = TestData.email();
        String qq = TestData.externalId();
        String alipay = TestData.externalId();
        String merged = created(RequestBody.create(mergedMobile, mergedEmail)
                .withIdentity("qq", qq)
                .withIdentity("alipay", alipay));
        long survivorVersion = member(survivor).version();
        long mergedVersion = member(merged).version();
        long anomaly = flags.flag(
                AbuseFlags.Pattern.IDENTIFIER_CHURN,
                "merge-test-" + merged,
                clock.millis(),
                List.of(Long.parseLong(merged)),
                Map.of("note", "two members, one person"));

        Response first = merge(survivor, merged, "same person, checked by support", anomaly);

        assertThat(first.status()).as(first.text()).isEqualTo(201);
        JsonNode record = first.json();
        assertThat(record.path("state").asString()).isEqualTo("done");
        assertThat(strings(record.path("moved")))
                .containsExactlyInAnyOrder(
                        IdentifierKey.email(mergedEmail).toString(),
                        IdentifierKey.identity("qq", qq).toString(),
                        IdentifierKey.identity("alipay", alipay).toString());
        assertThat(strings(record.path("released")))
                .containsExactly(IdentifierKey.mobile(mergedMobile).toString());
        assertThat(record.toString()).doesNotContain(mergedEmail, qq, alipay, mergedMobile.substring(1));
        assertThat(record.path("survivorVersion").path("after").asLong()).isEqualTo(survivorVersion + 1);
        assertThat(record.path("mergedVersion").path("after").asLong()).isEqualTo(mergedVersion + 1);
        assertThat(record.path("by").asString()).isEqualTo("ops-admin");
        assertThat(record.path("trail").path("action").asString()).isEqualTo("merge");
        assertThat(record.path("trail").path("anomalyId").asString()).isEqualTo(Long.toString(anomaly));

        Response after = member(survivor);
        assertThat(after.version()).isEqualTo(survivorVersion + 1);
        assertThat(after.json().path("mobile").asString()).isEqualTo(survivorMobile);
        assertThat(after.json().path("email").asString()).isEqualTo(mergedEmail);
        assertThat(after.json().path("identities")).hasSize(3);
        assertProblem(api.get("/v1/members/" + merged, APP_KEY), 404);
        assertThat(api.get("/v1/members/by-identity/qq/" + qq, APP_KEY).memberId())
                .isEqualTo(survivor);
        assertThat(api.get("/v1/members/by-email/" + mergedEmail, APP_KEY).memberId())
                .isEqualTo(survivor);
        assertProblem(api.get("/v1/members/by-mobile/" + mergedMobile, APP_KEY), 404);
        assertThat(api.create(RequestBody.create(mergedMobile, null)).status())
                .as("the released mobile is free")
                .isEqualTo(201);
        Map<String, Object> row = mergedRow(merged);
        assertThat(row.get("lifecycle")).isEqualTo("MERGED");
        assertThat(((Number) row.get("merged_into")).longValue()).isEqualTo(Long.parseLong(survivor));
        assertThat(((Number) row.get("version")).longValue()).isEqualTo(mergedVersion + 1);
        assertThat(row.get("mobile")).isNull();
        assertThat(api.get("/admin/governance/anomalies/" + anomaly, ADMIN_KEY)
                        .json()
                        .path("status")
                        .asString())
                .isEqualTo("resolved");

        Response again = merge(survivor, merged, "same person, checked by support", null);

        assertThat(again.status()).as(again.text()).isEqualTo(200);
        assertThat(again.json().path("id").asString())
                .isEqualTo(record.path("id").asString());
        assertThat(member(survivor).version()).isEqualTo(survivorVersion + 1);
        List<JsonNode> listed = items(api.get("/admin/governance/merges?memberId=" + merged, ADMIN_KEY));
        assertThat(listed).hasSize(1);
        assertThat(listed.getFirst().path("id").asString())
                .isEqualTo(record.path("id").asString());
        assertThat(Sql.everywhere(
                        "mysql-a",
                        "SELECT id FROM governance_action WHERE merge_id = ?",
                        Long.parseLong(record.path("id").asString())))
                .hasSize(1);
    }

    @Test
    void badMergeRequestsAreRefusedNamingTheFieldAndChangeNothing() {
        String a = created(RequestBody.create(TestData.mobile(), null));
        String b = created(RequestBody.create(null, TestData.email()));
        String c = created(RequestBody.create(TestData.mobile(), null));
        assertThat(merge(c, b, "closed before", null).status()).isEqualTo(201);
        long versionA = member(a).version();

        assertField(post("{\"merged\": \"" + b + "\", \"reason\": \"x\"}"), "survivor");
        assertField(post("{\"survivor\": \"" + a + "\", \"merged\": \"x1\", \"reason\": \"x\"}"), "merged");
        assertField(post("{\"survivor\": \"" + a + "\", \"merged\": \"" + b + "\", \"reason\": \" \"}"), "reason");
        assertField(
                post("{\"survivor\": \"" + a + "\", \"merged\": \"" + b + "\", \"reason\": \"x\", \"mode\": 1}"),
                "mode");
        assertField(
                post("{\"survivor\": \"" + a + "\", \"merged\": \"" + c + "\", \"reason\": \"x\", \"anomalyId\": -3}"),
                "anomalyId");
        assertProblem(merge(a, "9" + a, "unknown", null), 404);
        assertProblem(merge(a, c, "unknown anomaly", 999_999_999_999L), 404);
        assertProblem(merge(a, a, "the same", null), 409);
        assertProblem(merge(a, b, "b is merged already", null), 409);
        assertProblem(merge(b, a, "b is closed", null), 409);
        assertThat(api.request("POST", "/admin/governance/merges")
                        .key(APP_KEY)
                        .json("{\"survivor\": \"" + a + "\", \"merged\": \"" + c + "\", \"reason\": \"x\"}")
                        .send()
                        .status())
                .isIn(401, 403);
        assertField(api.get("/admin/governance/merges?memberId=abc", ADMIN_KEY), "memberId");

        assertThat(member(a).version()).isEqualTo(versionA);
        assertThat(member(c).status()).isEqualTo(200);
        assertThat(items(api.get("/admin/governance/merges?memberId=" + a, ADMIN_KEY)))
                .isEmpty();
    }

    @Test
    void mergesRacingBindsOfTheSameIdentitiesNeverGiveAnIdentifierTwoOwners() throws Exception {
        String contested = TestData.externalId();
        String mergedOwn = TestData.externalId();
        String survivor = created(RequestBody.create(TestData.mobile(), null));
        String merged =
                created(RequestBody.create(TestData.mobile(), TestData.email()).withIdentity("qq", mergedOwn));
        String third = created(RequestBody.create(TestData.mobile(), null));
        long survivorBefore = member(survivor).version();
        List<String> fresh = new ArrayList<>();
        for (int i = 0; i < 4; i++) fresh.add(TestData.externalId());

        List<Integer> mergeAnswers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(10)) {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                work.add(threads.submit(() -> {
                    for (int attempt = 0; attempt < 200; attempt++) {
                        Response answer = merge(survivor, merged, "one person", null);
                        synchronized (mergeAnswers) {
                            mergeAnswers.add(answer.status());
                        }
                        if (answer.status() == 200 || answer.status() == 201) return;
                        assertThat(answer.status()).as(answer.text()).isEqualTo(409);
                        pause();
                    }
                }));
            }
            for (String member : List.of(survivor, merged, third)) {
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        int status = api.post(
                                        "/v1/members/" + member + "/identities",
                                        APP_KEY,
                                        RequestBody.bind("wechat", contested))
                                .status();
                        assertThat(status).isIn(200, 201, 404, 409, 503);
                    }
                }));
            }
            for (int t = 0; t < 3; t++) {
                String identity = fresh.get(t);
                String member = t == 2 ? survivor : merged;
                work.add(threads.submit(() -> {
                    int status = api.post(
                                    "/v1/members/" + member + "/identities", APP_KEY, RequestBody.bind("qq", identity))
                            .status();
                    assertThat(status).isIn(201, 404, 409, 503);
                }));
            }
            for (Future<?> f : work) f.get();
        }

        assertThat(mergeAnswers.stream().filter(s -> s == 201))
                .as("one merge moved, every other answer was the same record or 'in progress'")
                .hasSize(1);
        assertThat(mergeAnswers).allMatch(s -> s == 200 || s == 201 || s == 409);
        assertProblem(api.get("/v1/members/" + merged, APP_KEY), 404);
        Response survivorNow = member(survivor);
        assertThat(survivorNow.version()).isGreaterThan(survivorBefore);
        assertThat(survivorNow.json().path("identities").toString()).contains(mergedOwn);
        assertThat(items(api.get("/admin/governance/merges?memberId=" + survivor, ADMIN_KEY)))
                .hasSize(1);
        List<IdentifierKey> inPlay = new ArrayList<>();
        inPlay.add(IdentifierKey.identity("wechat", contested));
        inPlay.add(IdentifierKey.identity("qq", mergedOwn));
        fresh.forEach(id -> inPlay.add(IdentifierKey.identity("qq", id)));
        for (IdentifierKey key : inPlay) {
            List<Map<String, Object>> holders = Sql.everywhere(
                    "mysql-a",
                    "SELECT member_id FROM member WHERE lifecycle = 'LIVE' AND JSON_SEARCH(identities, 'one', ?) "
                            + "IS NOT NULL",
                    key.value().substring(key.value().indexOf(':') + 1));
            assertThat(holders).as("LIVE members holding " + key).hasSizeLessThanOrEqualTo(1);
            List<Map<String, Object>> entries = Sql.everywhere(
                    "mysql-a", "SELECT member_id FROM identifier_owner WHERE kind = 'I' AND value = ?", key.value());
            if (!holders.isEmpty()) {
                assertThat(entries).as("owner of " + key).hasSize(1);
                assertThat(entries.getFirst().get("member_id"))
                        .isEqualTo(holders.getFirst().get("member_id"));
            }
        }
        Set<Long> members = Set.of(Long.parseLong(survivor), Long.parseLong(merged), Long.parseLong(third));
        assertThat(auditOf(members, inPlay)).as("anomalies after the race").isEmpty();
    }

    /** Audits the shards of the members and identifiers, then lists every anomaly that names one of the members. */
    private List<JsonNode> auditOf(Set<Long> members, List<IdentifierKey> keys) {
        ShardMap shards = databases.shardMap();
        Set<Integer> touched = new HashSet<>();
        members.forEach(m -> touched.add(shards.shardOfMember(m)));
        keys.forEach(k -> touched.add(shards.shardOfIdentifier(k.hashKey())));
        touched.forEach(shard -> audit.auditShard(shard, clock.millis()));
        return items(api.get("/admin/governance/anomalies?limit=1000", ADMIN_KEY)).stream()
                .filter(a -> !a.path("status").asString().equals("resolved"))
                .filter(a -> StreamSupport.stream(a.path("memberIds").spliterator(), false)
                        .anyMatch(id -> members.contains(Long.parseLong(id.asString()))))
                .toList();
    }

    private String created(RequestBody body) {
        Response created = api.create(body);
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        return created.memberId();
    }

    private Response member(String id) {
        return api.get("/v1/members/" + id, APP_KEY);
    }

    private Response merge(String survivor, String merged, String reason, Long anomalyId) {
        RequestBody body = RequestBody.object()
                .with("survivor", survivor)
                .with("merged", merged)
                .with("reason", reason);
        if (anomalyId != null) body.with("anomalyId", Long.toString(anomalyId));
        return api.request("POST", "/admin/governance/merges")
                .key(ADMIN_KEY)
                .json(body)
                .send();
    }

    private Response post(String json) {
        return api.request("POST", "/admin/governance/merges")
                .key(ADMIN_KEY)
                .json(json)
                .send();
    }

    private Map<String, Object> mergedRow(String memberId) {
        List<Map<String, Object>> rows = Sql.everywhere(
                "mysql-a",
                "SELECT lifecycle, merged_into, version, mobile FROM member WHERE member_id = ?",
                Long.parseLong(memberId));
        assertThat(rows).hasSize(1);
        return rows.getFirst();
    }

    private static void assertField(Response answer, String field) {
        assertProblem(answer, 400);
        assertThat(answer.json().path("errors"))
                .extracting(e -> e.path("field").asString())
                .contains(field);
    }

    private static List<JsonNode> items(Response answer) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(200);
        return StreamSupport.stream(answer.json().path("items").spliterator(), false)
                .toList();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(JsonNode::asString)
                .toList();
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
