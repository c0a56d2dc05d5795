package io.membercenter.search;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.SearchDocs;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A cluster rebuilt from MySQL while writes keep coming ends equal to MySQL, and no version goes backwards. */
@ServiceTest
class SearchRebuildTest {

    private final ApiClient api;
    private final Stores stores;

    SearchRebuildTest(ApiClient api, Stores stores) {
        this.api = api;
        this.stores = stores;
    }

    @Autowired
    private ClusterLoader loader;

    @Test
    void rebuildWhileWritersRunEndsEqualToMysqlWithNoVersionGoingBackwards() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) ids.add(api.newMember().memberId());
        await().atMost(Duration.ofSeconds(60)).until(() -> SearchDocs.clusterMatchesMysql("search-backup", ids));

        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int n = 0; writing.get(); n++) {
                api.patch(
                        "/v1/members/" + ids.get(n % ids.size()),
                        APP_KEY,
                        RequestBody.object().with("nickname", "r" + n));
            }
        });
        Response started = api.post("/admin/search/search-backup/rebuild", ADMIN_KEY, "{}");
        Map<String, Long> highest = new HashMap<>();
        List<String> backwards = new ArrayList<>();
        Response progress = await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> {
                            sampleVersions(ids, highest, backwards);
                            return api.get("/admin/search/search-backup/rebuild", ADMIN_KEY);
                        },
                        r -> !r.json().path("state").asString().equals("RUNNING"));
        writing.set(false);
        writer.join();

        assertThat(started.status()).isEqualTo(202);
        assertThat(progress.json().path("state").asString()).isEqualTo("DONE");
        assertThat(progress.json().path("loaded").asLong()).isGreaterThanOrEqualTo(ids.size());
        await().atMost(Duration.ofSeconds(60)).until(() -> SearchDocs.clusterMatchesMysql("search-backup", ids));
        sampleVersions(ids, highest, backwards);
        assertThat(backwards).isEmpty();
    }

    @Test
    void aRebuildThatCannotStartAnswers503AndLeavesTheClusterNotRebuildingAndRebuildable() throws Exception {
        List<String> ids = List.of(api.newMember().memberId());
        await().atMost(Duration.ofSeconds(60)).until(() -> SearchDocs.clusterMatchesMysql("search-marketing", ids));
        Response refused;
        Response afterRefusal;
        try (var stopped = stores.stop("search-marketing")) {
            refused = api.post("/admin/search/search-marketing/rebuild", ADMIN_KEY, "{}");
            afterRefusal = api.get("/admin/search/search-marketing/rebuild", ADMIN_KEY);
        }

        assertProblem(refused, 503);
        assertThat(refused.header("Retry-After")).isPresent();
        assertThat(afterRefusal.json().path("state").asString()).isEqualTo("FAILED");
        assertThat(loader.isRebuilding("search-marketing")).isFalse();
        // The refused start's failed calls may have opened the cluster's breaker (two calls in a window open a search
        // cluster's): until it closes the retry is the same clean 503 + Retry-After, so it is retried as an operator
        // would, and must be accepted once the breaker lets calls through again.
        Response retried = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> api.post("/admin/search/search-marketing/rebuild", ADMIN_KEY, "{}"),
                        r -> r.status() != 503 || r.header("Retry-After").isEmpty());
        Response done = await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> api.get("/admin/search/search-marketing/rebuild", ADMIN_KEY),
                        r -> !r.json().path("state").asString().equals("RUNNING"));
        assertThat(retried.status()).isEqualTo(202);
        assertThat(done.json().path("state").asString()).isEqualTo("DONE");
        assertThat(loader.isRebuilding("search-marketing")).isFalse();
        await().atMost(Duration.ofSeconds(60)).until(() -> SearchDocs.clusterMatchesMysql("search-marketing", ids));
    }

    @Test
    void unknownClusterAnswers404AndOnlyTheAdminMayRebuild() {
        assertProblem(api.post("/admin/search/no-such/rebuild", ADMIN_KEY, "{}"), 404);
        assertProblem(api.post("/admin/search/search-backup/rebuild", APP_KEY, "{}"), 403);
    }

    /** Once a member's document is back, its version never drops below what was seen before. */
    private static void sampleVersions(List<String> ids, Map<String, Long> highest, List<String> backwards) {
        for (String id : ids.subList(0, 10)) {
            OptionalLong version = SearchDocs.version("search-backup", id);
            if (version.isEmpty()) continue;
            Long seen = highest.get(id);
            if (seen != null && version.getAsLong() < seen)
                backwards.add(id + ": " + seen + " -> " + version.getAsLong());
            highest.merge(id, version.getAsLong(), Math::max);
        }
    }
}
