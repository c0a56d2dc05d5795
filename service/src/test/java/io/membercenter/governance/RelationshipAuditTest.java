package io.membercenter.governance;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardedDatabases;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.MutableClock;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Sql;
import io.membercenter.support.TestData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The relationship audit against the real databases: every kind of anomaly written straight into them is
 * found with its type and members, a population built through the API has none, the safe repair changes
 * exactly the orphan entry, the rest waits for review, and a run stopped midway continues from its cursors.
 */
@ServiceTest
class RelationshipAuditTest {

    private static final long HOUR = Duration.ofHours(1).toMillis();

    private final ApiClient api;
    private Injected injected;

    @Autowired
    ShardedDatabases databases;

    @Autowired
    MutableClock clock;

    @Autowired
    RelationshipAudit audit;

    RelationshipAuditTest(ApiClient api) {
        this.api = api;
    }

    @BeforeEach
    void injector() {
        injected = new Injected(databases.shardMap());
    }

    @AfterEach
    void removeInjectedRows() {
        injected.removeAll();
    }

    @Test
    void everyInjectedAnomalyIsFoundWithItsTypeAndMembersAndOnlyTheSafeRepairIsMade() {
        long now = clock.millis();
        // DANGLING_CLAIM: a fresh claim, its shard judged as an hour ahead sees it (the sweeper, every second
        // in tests, would settle an old claim before a whole audit reached it); first, as an hour ahead the
        // young orphan below would be old
        IdentifierKey claimed = IdentifierKey.identity("qq", TestData.externalId());
        long claimant = Injected.memberId();
        injected.entry(claimed, claimant, "CLAIMED", now);
        audit.auditShard(injected.shardOf(claimed), now + HOUR);
        String sharedMobile = TestData.mobile();
        String ownerId =
                api.create(RequestBody.create(sharedMobile, TestData.email())).memberId();
        long owner = Long.parseLong(ownerId);
        // DOUBLE_OWNER: a second LIVE member holding the owner's mobile
        long twin = injected.member("LIVE", sharedMobile, null, List.of(), now);
        // HELD_NOT_OWNED: a LIVE member whose e-mail has no owner entry
        String unownedEmail = TestData.email();
        long unowned = injected.member("LIVE", null, unownedEmail, List.of(), now);
        // DOUBLE_OWNER without an entry: two LIVE members hold one e-mail, no entry names either
        String twiceHeld = TestData.email();
        long holder = injected.member("LIVE", null, twiceHeld, List.of(), now);
        long otherHolder = injected.member("LIVE", null, twiceHeld, List.of(), now);
        // ORPHAN_ENTRY, old: an entry naming the owner, who does not hold the mobile -> repaired
        IdentifierKey oldOrphan = IdentifierKey.mobile(TestData.mobile());
        injected.entry(oldOrphan, owner, "CONFIRMED", now - HOUR);
        // ORPHAN_ENTRY, young: maybe a removal's moment -> left open, not repaired
        IdentifierKey youngOrphan = IdentifierKey.mobile(TestData.mobile());
        injected.entry(youngOrphan, owner, "CONFIRMED", now);
        // BOUND_TO_NON_LIVE_MEMBER: a settled identity entry of an aborted member whose row holds it
        String externalId = TestData.externalId();
        long aborted =
                injected.member("ABORTED", null, null, List.<String[]>of(new String[] {"wechat", externalId}), now);
        IdentifierKey abortedIdentity = IdentifierKey.identity("wechat", externalId);
        injected.entry(abortedIdentity, aborted, "CONFIRMED", now - HOUR);

        Response last = auditToCompletion(Long.MAX_VALUE).getLast();

        assertThat(last.status()).isEqualTo(200);
        assertThat(last.json().path("state").asString()).isEqualTo("done");
        List<JsonNode> found = anomaliesOf(Set.of(owner, twin, unowned, aborted, claimant, holder, otherHolder));
        assertThat(found).as(found.toString()).hasSize(9);
        assertThat(one(found, "DOUBLE_OWNER", holder, otherHolder)
                        .path("status")
                        .asString())
                .isEqualTo("review");
        assertThat(one(found, "HELD_NOT_OWNED", holder).path("status").asString())
                .isEqualTo("review");
        assertThat(one(found, "HELD_NOT_OWNED", otherHolder).path("status").asString())
                .isEqualTo("review");
        assertThat(one(found, "DOUBLE_OWNER", owner, twin).path("status").asString())
                .isEqualTo("review");
        assertThat(one(found, "HELD_NOT_OWNED", unowned).path("status").asString())
                .isEqualTo("review");
        assertThat(one(found, "BOUND_TO_NON_LIVE_MEMBER", aborted)
                        .path("status")
                        .asString())
                .isEqualTo("review");
        assertThat(one(found, "DANGLING_CLAIM", claimant).path("type").asString())
                .isEqualTo("DANGLING_CLAIM");
        List<JsonNode> orphans = found.stream()
                .filter(a -> a.path("type").asString().equals("ORPHAN_ENTRY"))
                .toList();
        assertThat(orphans).extracting(a -> a.path("status").asString()).containsExactlyInAnyOrder("resolved", "open");
        assertThat(orphans).allSatisfy(a -> assertThat(memberIds(a)).containsExactly(owner));

        // the repair deleted the old orphan and nothing else
        assertThat(injected.entryOf(oldOrphan)).isEmpty();
        assertThat(injected.entryOf(youngOrphan))
                .singleElement()
                .satisfies(e -> assertThat(e.get("state")).isEqualTo("CONFIRMED"));
        assertThat(injected.entryOf(IdentifierKey.mobile(sharedMobile)))
                .singleElement()
                .satisfies(e -> assertThat(e.get("member_id")).isEqualTo(owner));
        assertThat(injected.entryOf(abortedIdentity))
                .singleElement()
                .satisfies(e -> assertThat(e.get("member_id")).isEqualTo(aborted));
        assertThat(injected.entryOf(IdentifierKey.email(unownedEmail))).isEmpty();
        JsonNode repaired = orphans.stream()
                .filter(a -> a.path("status").asString().equals("resolved"))
                .findFirst()
                .orElseThrow();
        JsonNode trail = api.get(
                        "/admin/governance/anomalies/" + repaired.path("id").asString(), ADMIN_KEY)
                .json()
                .path("trail");
        assertThat(trail).singleElement().satisfies(action -> {
            assertThat(action.path("actor").asString()).isEqualTo("audit");
            assertThat(action.path("action").asString()).isEqualTo("repair");
            assertThat(action.path("after").path("entry").asString()).isEqualTo("deleted");
            assertThat(action.path("before").path("entry").path("state").asString())
                    .isEqualTo("CONFIRMED");
        });

        // evidence names rows and versions, never an identifier in clear
        JsonNode twinEvidence = one(found, "DOUBLE_OWNER", owner, twin).path("evidence");
        assertThat(twinEvidence.path("members")).hasSize(2);
        assertThat(twinEvidence.path("members").get(0).path("version").asLong()).isEqualTo(1);
        String everything = found.toString();
        assertThat(everything)
                .doesNotContain(sharedMobile)
                .doesNotContain(unownedEmail)
                .doesNotContain(twiceHeld)
                .doesNotContain(oldOrphan.value())
                .doesNotContain(externalId)
                .contains(IdentifierKey.mobile(sharedMobile).masked());
    }

    @Test
    void aPopulationBuiltThroughTheApiHasNoAnomaly() throws Exception {
        Set<Long> population = new HashSet<>();
        try (ExecutorService writers = Executors.newFixedThreadPool(8)) {
            List<Future<Long>> members = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                members.add(writers.submit(() -> ApiPopulation.memberWithHistory(api, n)));
            }
            for (Future<Long> member : members) population.add(member.get());
        }

        Response last = auditToCompletion(Long.MAX_VALUE).getLast();

        assertThat(last.json().path("examined").path("members").asLong()).isGreaterThanOrEqualTo(200);
        assertThat(anomaliesOf(population)).isEmpty();
    }

    @Test
    void aRunStoppedMidwayContinuesFromItsCursors() {
        for (int i = 0; i < 10; i++) api.newMember(); // at least 30 rows, so a quarter of them stops a run midway
        long whole = examined(auditToCompletion(Long.MAX_VALUE).getLast());
        long stepRows = Math.max(1, whole / 4);

        Response first = api.request("POST", "/admin/governance/audit?maxRows=" + stepRows)
                .key(ADMIN_KEY)
                .send();

        assertThat(first.status()).isEqualTo(202);
        String runId = first.json().path("runId").asString();
        assertThat(first.json().path("shardsDone").asInt()).isLessThan(1024);
        List<Map<String, Object>> doneAfterFirst = Sql.query(
                "mysql-a",
                databases.databaseOf(0),
                "SELECT shard, updated_at FROM governance_audit_cursor WHERE run_id = ? AND phase = 'DONE'",
                Long.parseLong(runId));
        List<Response> rest = auditToCompletion(stepRows);
        assertThat(rest)
                .allSatisfy(r -> assertThat(r.json().path("runId").asString()).isEqualTo(runId));
        assertThat(rest.size()).isGreaterThanOrEqualTo(2);
        // shards finished by the first step were not audited again
        for (Map<String, Object> shard : doneAfterFirst) {
            assertThat(Sql.query(
                                    "mysql-a",
                                    databases.databaseOf(0),
                                    "SELECT updated_at FROM governance_audit_cursor WHERE shard = ?",
                                    shard.get("shard"))
                            .getFirst()
                            .get("updated_at"))
                    .isEqualTo(shard.get("updated_at"));
        }
        // and every row was examined once: as many as the uninterrupted run (give or take the sweeper's work)
        assertThat(examined(rest.getLast())).isBetween(whole - 20, whole + 20);
        assertThat(rest.getLast().json().path("steps").asInt()).isEqualTo(rest.size() + 1);
    }

    @Test
    void anOperatorResolvesOrIgnoresAnAnomalyOnce() {
        long now = clock.millis();
        long first = injected.member("LIVE", TestData.mobile(), null, List.of(), now);
        long second = injected.member("LIVE", TestData.mobile(), null, List.of(), now);
        audit.auditShard(injected.shardOfMember(first), now);
        audit.auditShard(injected.shardOfMember(second), now);
        String resolved = one(anomaliesOf(Set.of(first)), "HELD_NOT_OWNED", first)
                .path("id")
                .asString();
        String ignored = one(anomaliesOf(Set.of(second)), "HELD_NOT_OWNED", second)
                .path("id")
                .asString();

        Response resolve = api.post("/admin/governance/anomalies/" + resolved + "/resolve", ADMIN_KEY, "");
        Response ignore = api.post("/admin/governance/anomalies/" + ignored + "/ignore", ADMIN_KEY, "");

        assertThat(resolve.status()).isEqualTo(200);
        assertThat(resolve.json().path("status").asString()).isEqualTo("resolved");
        assertThat(ignore.status()).isEqualTo(200);
        assertThat(ignore.json().path("status").asString()).isEqualTo("ignored");
        assertProblem(api.post("/admin/governance/anomalies/" + resolved + "/resolve", ADMIN_KEY, ""), 409);
        assertProblem(api.post("/admin/governance/anomalies/" + resolved + "/ignore", ADMIN_KEY, ""), 409);
        assertProblem(api.post("/admin/governance/anomalies/" + ignored + "/resolve", ADMIN_KEY, ""), 409);
        assertProblem(api.post("/admin/governance/anomalies/999999999999/resolve", ADMIN_KEY, ""), 404);
        assertProblem(api.post("/admin/governance/anomalies/not-an-id/ignore", ADMIN_KEY, ""), 404);
        JsonNode trail = api.get("/admin/governance/anomalies/" + resolved, ADMIN_KEY)
                .json()
                .path("trail");
        assertThat(trail).singleElement().satisfies(action -> {
            assertThat(action.path("actor").asString()).isEqualTo("ops-admin");
            assertThat(action.path("action").asString()).isEqualTo("resolve");
            assertThat(action.path("before").path("status").asString()).isEqualTo("review");
            assertThat(action.path("after").path("status").asString()).isEqualTo("resolved");
        });

        // seen again: the ignored one stays ignored, the resolved one comes back as a new anomaly
        audit.auditShard(injected.shardOfMember(first), clock.millis());
        audit.auditShard(injected.shardOfMember(second), clock.millis());
        List<JsonNode> again = anomaliesOf(Set.of(first, second));
        assertThat(again).hasSize(3);
        assertThat(again.stream().filter(a -> a.path("id").asString().equals(ignored)))
                .singleElement()
                .satisfies(a -> assertThat(a.path("status").asString()).isEqualTo("ignored"));
        assertThat(again.stream()
                        .filter(a -> memberIds(a).contains(first))
                        .map(a -> a.path("status").asString()))
                .containsExactlyInAnyOrder("resolved", "review");
    }

    @Test
    void badFiltersAreRefusedNamingTheFieldAndOnlyTheAdminKeyIsLetIn() {
        assertField(api.get("/admin/governance/anomalies?type=NOT_A_TYPE", ADMIN_KEY), "type");
        assertField(api.get("/admin/governance/anomalies?status=closed", ADMIN_KEY), "status");
        assertField(api.get("/admin/governance/anomalies?limit=0", ADMIN_KEY), "limit");
        assertField(api.post("/admin/governance/audit?maxRows=x", ADMIN_KEY, ""), "maxRows");
        assertThat(api.get("/admin/governance/anomalies?type=ORPHAN_ENTRY&status=resolved&limit=5", ADMIN_KEY)
                        .status())
                .isEqualTo(200);
        assertProblem(api.get("/admin/governance/anomalies", APP_KEY), 403);
        assertProblem(api.post("/admin/governance/audit", APP_KEY, ""), 403);
        assertProblem(api.post("/admin/governance/anomalies/1/resolve", APP_KEY, ""), 403);
        assertThat(api.get("/admin/governance/anomalies", null).status()).isEqualTo(401);
    }

    private void assertField(Response answer, String field) {
        assertProblem(answer, 400);
        assertThat(answer.json().path("errors"))
                .extracting(e -> e.path("field").asString())
                .containsExactly(field);
    }

    private List<Response> auditToCompletion(long maxRows) {
        return ApiPopulation.auditToCompletion(api, maxRows);
    }

    private static long examined(Response run) {
        JsonNode examined = run.json().path("examined");
        return examined.path("members").asLong() + examined.path("entries").asLong();
    }

    /** Every anomaly (any status) that names one of the members. */
    private List<JsonNode> anomaliesOf(Set<Long> members) {
        Response answer = api.get("/admin/governance/anomalies?limit=1000", ADMIN_KEY);
        assertThat(answer.status()).isEqualTo(200);
        return StreamSupport.stream(answer.json().path("items").spliterator(), false)
                .filter(a -> memberIds(a).stream().anyMatch(members::contains))
                .toList();
    }

    private static JsonNode one(List<JsonNode> anomalies, String type, long... members) {
        Set<Long> expected = new HashSet<>();
        for (long m : members) expected.add(m);
        List<JsonNode> matching = anomalies.stream()
                .filter(a -> a.path("type").asString().equals(type))
                .filter(a -> new HashSet<>(memberIds(a)).equals(expected))
                .toList();
        assertThat(matching).as(type + " of " + expected + " in " + anomalies).hasSize(1);
        return matching.getFirst();
    }

    private static List<Long> memberIds(JsonNode anomaly) {
        return StreamSupport.stream(anomaly.path("memberIds").spliterator(), false)
                .map(id -> Long.parseLong(id.asString()))
                .toList();
    }
}
