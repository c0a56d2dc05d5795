package io.membercenter.governance;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.governance.ChangeSamples.Sample;
import io.membercenter.governance.ConsistencyChecker.Outcome;
import io.membercenter.governance.ConsistencyChecker.Report;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.shard.ShardedDatabases;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.CacheEntries;
import io.membercenter.support.RequestBody;
import io.membercenter.support.SearchDocs;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.TestData;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The consistency checker against the real stores: a population written through the API is consistent in every
 * store, a copy corrupted straight in any one store is found there (and only there) with its member, and a member
 * that changes while it is checked is not reported. Each check is run here, on the test's thread, against the
 * member's latest outbox row (the shared test context runs no background passes: see application-test.yml); the
 * background passes are {@link ConsistencyCheckerBackgroundTest}'s.
 */
@ServiceTest
class ConsistencyCheckerTest {

    private static final Set<String> STORES =
            Set.of("redis-a", "redis-b", "search-primary", "search-backup", "search-marketing");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApiClient api;

    @Autowired
    ShardedDatabases databases;

    @Autowired
    ConsistencyChecker checker;

    ConsistencyCheckerTest(ApiClient api) {
        this.api = api;
    }

    @Test
    void aPopulationWrittenThroughTheApiHasNoInconsistencyInAnyStore() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String id = api.newMember().memberId();
            switch (i % 4) {
                case 1 ->
                    assertThat(patch(id, RequestBody.object().with("nickname", "Renamed"))
                                    .status())
                            .isEqualTo(200);
                case 2 ->
                    assertThat(patch(id, RequestBody.object().with("mobile", TestData.mobile()))
                                    .status())
                            .isEqualTo(200); // the old mobile is removed: its entries and lookup documents must be gone
                case 3 ->
                    assertThat(api.post(
                                            "/v1/members/" + id + "/identities",
                                            APP_KEY,
                                            RequestBody.bind("wechat", TestData.externalId()))
                                    .status())
                            .isEqualTo(201);
                default -> {}
            }
            ids.add(id);
        }
        cachedAndIndexed(ids);

        for (String id : ids) {
            Report report = checkedAfterTheWindow(latestSampleOf(id));
            assertThat(report.outcome()).isEqualTo(Outcome.CHECKED);
            assertThat(report.stores()).containsExactlyInAnyOrderElementsOf(STORES);
            assertThat(report.differences()).as("member " + id).isEmpty();
        }
    }

    /** One way a store's copy is corrupted, straight in the store: which store, which part, how. */
    private record Corruption(String store, String part, BiConsumer<String, IdentifierKey> apply) {}

    private static final List<Corruption> CORRUPTIONS = List.of(
            // the member entry at its version, with another nickname
            new Corruption("redis-a", "member", (id, mobile) -> corruptEntry("redis-a", id)),
            new Corruption("redis-b", "member", (id, mobile) -> corruptEntry("redis-b", id)),
            // the identifier entry of the member's mobile naming someone else
            new Corruption(
                    "redis-a",
                    "identifier",
                    (id, mobile) -> CacheEntries.set("redis-a", "mc:i:" + mobile.searchKey(), "1|1")),
            new Corruption(
                    "redis-b",
                    "identifier",
                    (id, mobile) -> CacheEntries.set("redis-b", "mc:i:" + mobile.searchKey(), "1|1")),
            // the member document at its version, with another nickname
            new Corruption("search-primary", "member", (id, mobile) -> corruptDocument("search-primary", id)),
            new Corruption("search-backup", "member", (id, mobile) -> corruptDocument("search-backup", id)),
            new Corruption("search-marketing", "member", (id, mobile) -> corruptDocument("search-marketing", id)),
            // the lookup document of the member's mobile deleted
            new Corruption("search-primary", "identifier", (id, mobile) -> deleteLookup("search-primary", id, mobile)),
            new Corruption("search-backup", "identifier", (id, mobile) -> deleteLookup("search-backup", id, mobile)),
            new Corruption(
                    "search-marketing", "identifier", (id, mobile) -> deleteLookup("search-marketing", id, mobile)));

    @Test
    void aCopyCorruptedStraightInAnyStoreIsFoundInThatStoreWithItsMember() {
        List<String> mobiles = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CORRUPTIONS.size(); i++) {
            mobiles.add(TestData.mobile());
            emails.add(TestData.email());
            Response created = api.create(RequestBody.create(mobiles.getLast(), emails.getLast()));
            assertThat(created.status()).isEqualTo(201);
            ids.add(created.memberId());
        }
        cachedAndIndexed(ids);
        for (int i = 0; i < ids.size(); i++) {
            CORRUPTIONS.get(i).apply().accept(ids.get(i), IdentifierKey.mobile(mobiles.get(i)));
        }

        try {
            for (int i = 0; i < ids.size(); i++) {
                Corruption corruption = CORRUPTIONS.get(i);
                Report report = checkedAfterTheWindow(latestSampleOf(ids.get(i)));
                assertThat(report.outcome()).isEqualTo(Outcome.CHECKED);
                assertThat(report.stores()).containsExactlyInAnyOrderElementsOf(STORES);
                assertThat(report.differences())
                        .as(corruption + " of member " + ids.get(i))
                        .isNotEmpty()
                        .allSatisfy(found -> {
                            assertThat(found.store()).isEqualTo(corruption.store());
                            assertThat(found.part()).startsWith(corruption.part());
                        });
            }
            Response listed = api.get("/admin/governance/consistency", ADMIN_KEY);
            assertThat(listed.status()).isEqualTo(200);
            List<JsonNode> inconsistencies = StreamSupport.stream(
                            listed.json().path("inconsistencies").spliterator(), false)
                    .toList();
            for (int i = 0; i < ids.size(); i++) {
                String id = ids.get(i);
                String store = CORRUPTIONS.get(i).store();
                assertThat(inconsistencies).as(store + " " + id).anySatisfy(found -> {
                    assertThat(found.path("memberId").asString()).isEqualTo(id);
                    assertThat(found.path("store").asString()).isEqualTo(store);
                    assertThat(found.has("held") && found.has("mysql")).isTrue();
                });
            }
            for (String store : STORES) {
                assertThat(listed.json()
                                .path("stores")
                                .path(store)
                                .path("inconsistent")
                                .asLong())
                        .as(store)
                        .isPositive();
            }
            for (int i = 0; i < ids.size(); i++) {
                assertThat(listed.text()).doesNotContain(mobiles.get(i)).doesNotContain(emails.get(i));
            }
        } finally {
            // the next change of each member overwrites every corrupted copy (a version bump, an invalidation)
            ids.forEach(id -> patch(id, RequestBody.object().with("nickname", "Repaired")));
        }
    }

    @Test
    void aMemberThatChangesWhileItIsCheckedIsNotReported() {
        String id = api.newMember().memberId();
        readThroughTheApi(id);
        Sample sample = latestSampleOf(id);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> checker.check(sample, () -> {}).outcome() != Outcome.TOO_YOUNG);

        // changed between the master's read and the stores': every store holds a newer version than that read
        Report duringTheCheck = checker.check(sample, () -> {
            assertThat(patch(id, RequestBody.object().with("nickname", "Moving"))
                            .status())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(60)).until(() -> SearchDocs.allClustersMatchMysql(List.of(id)));
            readThroughTheApi(id);
        });
        // changed after the sample was taken: a newer change is in the outbox, to be judged once it is old enough
        Report sinceTheSample = checker.check(sample, () -> {});

        assertThat(duringTheCheck.outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(sinceTheSample.outcome()).isEqualTo(Outcome.CHANGED);
        Response listed = api.get("/admin/governance/consistency", ADMIN_KEY);
        assertThat(listed.json().path("inconsistencies").toString()).doesNotContain("\"memberId\":\"" + id + "\"");
    }

    private Report checkedAfterTheWindow(Sample sample) {
        List<Report> reports = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    Report report = checker.check(sample, () -> {});
                    if (report.outcome() == Outcome.TOO_YOUNG) return false;
                    reports.add(report);
                    return true;
                });
        return reports.getFirst();
    }

    private Sample latestSampleOf(String id) {
        long memberId = Long.parseLong(id);
        String database = databases.databaseOf(databases.shardMap().shardOfMember(memberId));
        return databases
                .onMaster(database, c -> ChangeSamples.latestOf(c, database, memberId))
                .orElseThrow();
    }

    /**
     * Reads the members through the API until Redis A holds each (a Redis is trusted, and written back to, only
     * 2 s after the service starts) and until every search cluster has indexed them.
     */
    private void cachedAndIndexed(List<String> ids) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            ids.stream()
                    .filter(id -> CacheEntries.get("redis-a", "mc:m:" + id) == null)
                    .forEach(this::readThroughTheApi);
            return SearchDocs.allClustersMatchMysql(ids)
                    && ids.stream().allMatch(id -> CacheEntries.get("redis-a", "mc:m:" + id) != null);
        });
    }

    private void readThroughTheApi(String id) {
        assertThat(api.get("/v1/members/" + id, APP_KEY).status()).isEqualTo(200);
    }

    private Response patch(String id, RequestBody body) {
        long version = api.get("/v1/members/" + id, APP_KEY).version();
        return api.request("PATCH", "/v1/members/" + id)
                .key(APP_KEY)
                .header("If-Match", "\"" + version + "\"")
                .body("application/merge-patch+json", body.json())
                .send();
    }

    private static void corruptDocument(String cluster, String id) {
        JsonNode source = SearchDocs.source(cluster, id);
        ObjectNode corrupted = (ObjectNode) source;
        corrupted.put("nickname", "Corrupted");
        long version = source.path("version").asLong();
        assertThat(SearchDocs.send(
                        cluster,
                        "PUT",
                        "/members/_doc/" + id + "?version=" + version + "&version_type=external_gte",
                        JSON.writeValueAsString(corrupted)))
                .isBetween(200, 201);
    }

    /** Writes the member's entry into a Redis at its version, with another nickname. */
    private static void corruptEntry(String redis, String id) {
        String entry = CacheEntries.get("redis-a", "mc:m:" + id); // written back there by the reads
        int bar = entry.indexOf('|');
        ObjectNode cached = (ObjectNode) JSON.readTree(entry.substring(bar + 1));
        cached.put("nickname", "Corrupted");
        CacheEntries.set(redis, "mc:m:" + id, entry.substring(0, bar + 1) + JSON.writeValueAsString(cached));
    }

    private static void deleteLookup(String cluster, String id, IdentifierKey identifier) {
        assertThat(SearchDocs.send(
                        cluster,
                        "DELETE",
                        "/member_identifiers/_doc/" + enc(identifier.searchKey() + ":" + id) + "?routing="
                                + enc(identifier.searchKey()),
                        null))
                .isEqualTo(200);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
