package io.membercenter.search;

import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.ApiClient.MARKETING_KEY;
import static io.membercenter.support.ApiClient.ORDER_KEY;
import static io.membercenter.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.CacheEntries;
import io.membercenter.support.RequestBody;
import io.membercenter.support.SearchDocs;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Stores;
import io.membercenter.support.TestData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Lookups and search served from the cluster of the caller's traffic class, never older than an acknowledged write. */
@ServiceTest
class SearchReadTest {

    private static final Duration SETTLE = Duration.ofSeconds(30);

    private final ApiClient api;
    private final Stores stores;

    @Autowired
    private SearchIndexers indexers;

    SearchReadTest(ApiClient api, Stores stores) {
        this.api = api;
        this.stores = stores;
    }

    @AfterEach
    void indexersAtFullSpeed() {
        indexers.all().forEach(indexer -> indexer.delayEachBulk(Duration.ZERO));
    }

    @Test
    void settledLookupsAreServedByTheClusterOfTheCallersTrafficClass() {
        String externalId = TestData.externalId();
        Response created = api.create(
                RequestBody.object().with("mobile", TestData.mobile()).withIdentity("wechat", externalId));
        String mobile = created.json().path("mobile").asString();

        String id = created.memberId();
        String[] keys = {
            IdentifierKey.mobile(mobile).searchKey(),
            IdentifierKey.identity("wechat", externalId).searchKey()
        };

        Response order = awaitLookupFrom("search-primary@A", "/v1/members/by-mobile/" + mobile, ORDER_KEY, id, keys);
        // Each cluster has its own indexer: search-marketing may prove itself fresh a moment after search-primary, and
        // after another test's outage either may still be unproven (then the backup answers: CI, stop 22). Only the
        // traffic class routes a lookup to its cluster, so waiting for it proves the routing.
        Response marketing = awaitLookupFrom(
                "search-marketing@A", "/v1/members/by-identity/wechat/" + externalId, MARKETING_KEY, id, keys);
        Response app = awaitLookupFrom("search-primary@A", "/v1/members/by-mobile/" + mobile, APP_KEY, id, keys);
        Response cached = api.get("/v1/members/by-mobile/" + mobile, APP_KEY);

        assertThat(order.header("X-Member-Source")).contains("search-primary@A");
        assertThat(order.json()).isEqualTo(created.json());
        assertThat(marketing.header("X-Member-Source")).contains("search-marketing@A");
        assertThat(marketing.json().path("mobile").asString()).contains("****");
        assertThat(app.header("X-Member-Source")).contains("search-primary@A");
        assertThat(cached.header("X-Member-Source")).contains("cache@A");
        assertThat(cached.json()).isEqualTo(created.json());
    }

    @Test
    void lookupsRightAfterAWriteReturnThatVersionOrNewerUnderConcurrentWriters() throws Exception {
        int writers = 8;
        int rounds = 25;
        AtomicInteger checked = new AtomicInteger();
        List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    Response member = api.newMember();
                    String id = member.memberId();
                    String previous = member.json().path("mobile").asString();
                    for (int round = 0; round < rounds; round++) {
                        String mobile = TestData.mobile();
                        Response patched = api.patch(
                                "/v1/members/" + id,
                                APP_KEY,
                                RequestBody.object().with("mobile", mobile));
                        Response byNew = api.get("/v1/members/by-mobile/" + mobile, ORDER_KEY);
                        Response byOld = api.get("/v1/members/by-mobile/" + previous, ORDER_KEY);
                        checked.addAndGet(2);
                        if (byNew.status() != 200
                                || !byNew.memberId().equals(id)
                                || byNew.version() < patched.version()) {
                            violations.add("new mobile of " + id + " answered " + byNew.status() + " v"
                                    + byNew.version() + " from "
                                    + byNew.header("X-Member-Source").orElse("?") + ", wrote v" + patched.version());
                        }
                        if (byOld.status() != 404) {
                            violations.add("old mobile of " + id + " still answered " + byOld.status() + " from "
                                    + byOld.header("X-Member-Source").orElse("?"));
                        }
                        previous = mobile;
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) writer.get();
        }

        assertThat(violations)
                .as("stale answers out of %d checked reads", checked.get())
                .isEmpty();
        assertThat(checked.get()).isEqualTo(writers * rounds * 2);
    }

    /**
     * Indexing slower than a marker lives: once the marker has expired, only the cluster's applied
     * offsets can tell that the change is not searchable yet. (A lag counter sampled between polls read 0
     * while a fetched batch was still being indexed, and such lookups answered 404.)
     */
    @Test
    void aClusterStillIndexingAnAcknowledgedChangeDoesNotAnswerItsLookupsAfterTheMarkerExpired() {
        settledLookupFromSearch();
        indexers.all().forEach(indexer -> indexer.delayEachBulk(Duration.ofSeconds(4)));
        Response created = api.newMember();
        String id = created.memberId();
        String mobile = created.json().path("mobile").asString();
        long giveUpAt = System.nanoTime() + SETTLE.toNanos();

        // Until search-primary holds the change (a GET by id sees it the moment it is indexed), every lookup,
        // and above all those after Redis expired the markers, must be answered by the database.
        List<String> sourcesAfterMarkerExpired = new ArrayList<>();
        while (SearchDocs.version("search-primary", id).isEmpty()) {
            assertThat(System.nanoTime() - giveUpAt)
                    .as("search-primary indexed %s", id)
                    .isNegative();
            boolean markerExpired = !CacheEntries.pendingMarkerLive(
                    id, IdentifierKey.mobile(mobile).searchKey());
            CacheEntries.evict(id, IdentifierKey.mobile(mobile).searchKey());
            Response lookup = api.get("/v1/members/by-mobile/" + mobile, ORDER_KEY);
            assertThat(lookup.status()).isEqualTo(200);
            assertThat(lookup.memberId()).isEqualTo(id);
            if (markerExpired) {
                sourcesAfterMarkerExpired.add(lookup.header("X-Member-Source").orElse(""));
            }
        }
        indexers.all().forEach(indexer -> indexer.delayEachBulk(Duration.ZERO));

        assertThat(sourcesAfterMarkerExpired).isNotEmpty().allMatch(source -> source.startsWith("db@"));
        Response settled = awaitLookupFrom(
                "search",
                "/v1/members/by-mobile/" + mobile,
                ORDER_KEY,
                id,
                IdentifierKey.mobile(mobile).searchKey());
        assertThat(settled.memberId()).isEqualTo(id);
    }

    @Test
    void searchFiltersOrderingAndCursorPaginationAreExact() {
        String platform = "p" + Long.toHexString(System.nanoTime());
        List<JsonNode> created = new ArrayList<>();
        String[] levels = {"GOLD", "SILVER", "NORMAL"};
        for (int i = 0; i < 21; i++) {
            created.add(api.create(RequestBody.object()
                            .with("mobile", TestData.mobile())
                            .with("level", levels[i % 3])
                            .with("status", i % 4 == 0 ? "FROZEN" : "ACTIVE")
                            .withIdentity(platform, TestData.externalId()))
                    .json());
        }
        List<String> ids =
                created.stream().map(m -> m.path("memberId").asString()).toList();
        await().atMost(SETTLE).until(() -> SearchDocs.clusterMatchesMysql("search-primary", ids));
        List<String> expected = created.stream()
                .filter(m -> !m.path("level").asString().equals("NORMAL")
                        && m.path("status").asString().equals("ACTIVE"))
                .sorted(Comparator.comparing((JsonNode m) -> m.path("createdAt").asString())
                        .thenComparingLong(
                                m -> Long.parseLong(m.path("memberId").asString())))
                .map(m -> m.path("memberId").asString())
                .toList();

        // Search is refreshed every second: wait until all are searchable, then page through.
        await().atMost(SETTLE).until(() -> pageThrough(platform).size() == expected.size());

        assertThat(pageThrough(platform)).containsExactlyElementsOf(expected);
    }

    /** Waits until a settled member's lookup is answered by search: the cluster is fresh to begin with. */
    /**
     * Reads {@code path} past the cache (the member and its identifier entries evicted before each try) until the
     * answer comes from a source starting with {@code source}: a cluster answers lookups only once it is proven
     * fresh, which another test's outage can delay.
     */
    private Response awaitLookupFrom(
            String source, String path, String apiKey, String memberId, String... identifierKeys) {
        return await().atMost(SETTLE)
                .until(
                        () -> {
                            CacheEntries.evict(memberId, identifierKeys);
                            return api.get(path, apiKey);
                        },
                        r -> r.header("X-Member-Source").orElse("").startsWith(source));
    }

    private void settledLookupFromSearch() {
        Response member = api.newMember();
        String mobile = member.json().path("mobile").asString();
        awaitLookupFrom(
                "search",
                "/v1/members/by-mobile/" + mobile,
                ORDER_KEY,
                member.memberId(),
                IdentifierKey.mobile(mobile).searchKey());
    }

    private List<String> pageThrough(String platform) {
        List<String> paged = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            RequestBody filter = RequestBody.object()
                    .with("platform", platform)
                    .withArray("level", "GOLD", "SILVER")
                    .withArray("status", "ACTIVE")
                    .with("limit", 4);
            if (after != null) filter.with("after", after);
            Response page = api.post("/v1/members/search", ORDER_KEY, filter);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("X-Member-Source")).contains("search-primary@A");
            assertThat(page.json().path("items").size()).isLessThanOrEqualTo(4);
            page.json()
                    .path("items")
                    .forEach(item -> paged.add(item.path("memberId").asString()));
            after = page.json().path("next").isNull()
                    ? null
                    : page.json().path("next").asString();
            pages++;
        } while (after != null && pages < 20);
        return paged;
    }

    @Test
    void createdRangeIsInclusiveFromAndExclusiveTo() {
        String platform = "r" + Long.toHexString(System.nanoTime());
        List<JsonNode> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(api.create(RequestBody.object()
                            .with("email", TestData.email())
                            .withIdentity(platform, TestData.externalId()))
                    .json());
        }
        await().atMost(SETTLE)
                .until(() -> SearchDocs.clusterMatchesMysql(
                        "search-marketing",
                        created.stream().map(m -> m.path("memberId").asString()).toList()));
        String from = created.get(1).path("createdAt").asString();
        String to = created.get(3).path("createdAt").asString();

        RequestBody filter = RequestBody.object()
                .with("platform", platform)
                .with("createdFrom", from)
                .with("createdTo", to)
                .with("limit", 1000);
        await().atMost(SETTLE)
                .until(() -> api.post(
                                        "/v1/members/search",
                                        MARKETING_KEY,
                                        RequestBody.object().with("platform", platform))
                                .json()
                                .path("items")
                                .size()
                        == created.size());
        Response page = api.post("/v1/members/search", MARKETING_KEY, filter);

        assertThat(page.header("X-Member-Source")).contains("search-marketing@A");
        List<String> expected = created.stream()
                .filter(m -> m.path("createdAt").asString().compareTo(from) >= 0
                        && m.path("createdAt").asString().compareTo(to) < 0)
                .map(m -> m.path("memberId").asString())
                .toList();
        List<String> got = new ArrayList<>();
        page.json().path("items").forEach(i -> got.add(i.path("memberId").asString()));
        assertThat(got).containsExactlyInAnyOrderElementsOf(expected).isNotEmpty();
        assertThat(page.json().path("next").isNull()).isTrue();
    }

    @Test
    void invalidSearchFiltersAnswer400() {
        assertProblem(api.post("/v1/members/search", ORDER_KEY, "{\"limit\":0}"), 400);
        assertProblem(api.post("/v1/members/search", ORDER_KEY, "{\"limit\":1001}"), 400);
        assertProblem(api.post("/v1/members/search", ORDER_KEY, "{\"level\":[\"BRONZE\"]}"), 400);
        assertProblem(api.post("/v1/members/search", ORDER_KEY, "{\"createdFrom\":\"yesterday\"}"), 400);
        assertProblem(api.post("/v1/members/search", ORDER_KEY, "{\"after\":\"not-a-cursor\"}"), 400);
        assertProblem(api.post("/v1/members/search", ORDER_KEY, "{\"colour\":\"red\"}"), 400);
        assertProblem(
                api.post(
                        "/v1/members/search",
                        ORDER_KEY,
                        "{\"createdFrom\":\"2026-02-01T00:00:00Z\",\"createdTo\":\"2026-01-01T00:00:00Z\"}"),
                400);
    }

    @Test
    void lookupsFallBackToTheBackupThenToMySqlWhenClustersStop() {
        Response created = api.newMember();
        String mobile = created.json().path("mobile").asString();
        String id = created.memberId();
        awaitLookupFrom(
                "search-primary",
                "/v1/members/by-mobile/" + mobile,
                ORDER_KEY,
                id,
                IdentifierKey.mobile(mobile).searchKey());

        stores.stop("search-primary");
        CacheEntries.evict(id, IdentifierKey.mobile(mobile).searchKey());
        Response fromBackup = api.get("/v1/members/by-mobile/" + mobile, ORDER_KEY);
        stores.stop("search-backup");
        CacheEntries.evict(id, IdentifierKey.mobile(mobile).searchKey());
        Response fromDb = api.get("/v1/members/by-mobile/" + mobile, ORDER_KEY);
        Response search = api.post("/v1/members/search", ORDER_KEY, "{\"limit\":1}");

        assertThat(fromBackup.status()).isEqualTo(200);
        assertThat(fromBackup.header("X-Member-Source").orElse("")).isIn("search-backup@B", "db@A");
        assertThat(fromDb.status()).isEqualTo(200);
        assertThat(fromDb.header("X-Member-Source")).contains("db@A");
        assertThat(fromDb.json()).isEqualTo(created.json());
        assertProblem(search, 503);
        assertThat(search.header("Retry-After")).isPresent();
    }

    @Test
    void withoutAnyRedisLookupsAreServedByMySqlWithoutErrors() {
        Response created = api.newMember();
        String mobile = created.json().path("mobile").asString();
        stores.stop("redis-a");
        stores.stop("redis-b");

        Response lookup = api.get("/v1/members/by-mobile/" + mobile, ORDER_KEY);
        Response patched = api.patch(
                "/v1/members/" + created.memberId(),
                APP_KEY,
                RequestBody.object().with("nickname", "no-redis"));
        Response after = api.get("/v1/members/by-mobile/" + mobile, ORDER_KEY);

        assertThat(lookup.status()).isEqualTo(200);
        assertThat(lookup.header("X-Member-Source")).contains("db@A");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(after.version()).isEqualTo(patched.version());
    }
}
