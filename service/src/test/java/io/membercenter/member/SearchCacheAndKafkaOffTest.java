package io.membercenter.member;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static io.membercenter.support.ApiClient.ORDER_KEY;
import static io.membercenter.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.ServiceTest;
import io.membercenter.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The service with search, the cache and change capture all off (no cluster, no Redis, no Kafka
 * configured): the "off" implementations answer "not available" and every read and write is served
 * by MySQL, with nothing failing for want of a bean. Its own context (a list property replaced by one
 * blank entry switches a store off), closed after the class, on the shared local topology.
 */
@ServiceTest
@TestPropertySource(
        properties = {
            "member-center.search.clusters[0].url=",
            "member-center.cache.redis[0].url=",
            "member-center.replication.kafka-bootstrap=",
            // Another instance in the same data center as the shared test context: its own node id.
            "member-center.member.node-id=7"
        })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SearchCacheAndKafkaOffTest {

    private final ApiClient api;

    SearchCacheAndKafkaOffTest(ApiClient api) {
        this.api = api;
    }

    @Test
    void createsReadsAndPatchesAreServedByMysql() {
        String mobile = TestData.mobile();
        String email = TestData.email();
        Response created = api.create(RequestBody.create(mobile, email));
        assertThat(created.status()).isEqualTo(201);
        String id = created.memberId();

        // Read twice: with the cache off the second read is MySQL's too, never a cache hit.
        for (int i = 0; i < 2; i++) {
            Response byId = api.get("/v1/members/" + id, APP_KEY);
            assertThat(byId.status()).isEqualTo(200);
            assertThat(byId.header("X-Member-Source")).contains("db@A");
        }
        Response byMobile = api.get("/v1/members/by-mobile/" + mobile.replace("+", "%2B"), ORDER_KEY);
        assertThat(byMobile.memberId()).isEqualTo(id);
        assertThat(byMobile.header("X-Member-Source")).contains("db@A");

        String newMobile = TestData.mobile();
        Response patched = api.request("PATCH", "/v1/members/" + id)
                .key(APP_KEY)
                .header("If-Match", "\"1\"")
                .body("application/merge-patch+json", """
                        {"nickname":"Off","mobile":"%s"}""".formatted(newMobile))
                .send();
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.version()).isEqualTo(2);

        Response byNewMobile = api.get("/v1/members/by-mobile/" + newMobile.replace("+", "%2B"), ORDER_KEY);
        assertThat(byNewMobile.memberId()).isEqualTo(id);
        assertThat(byNewMobile.version()).isEqualTo(2);
        assertThat(byNewMobile.header("X-Member-Source")).contains("db@A");
        assertThat(api.get("/v1/members/by-mobile/" + mobile.replace("+", "%2B"), ORDER_KEY)
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/v1/members/by-email/" + email, APP_KEY).version()).isEqualTo(2);

        Response batch = api.post("/v1/members/batch-get", APP_KEY, "{\"memberIds\":[\"" + id + "\"]}");
        assertThat(batch.status()).isEqualTo(200);
        assertThat(batch.header("X-Member-Source")).contains("db@A");
    }

    @Test
    void filteredSearchIsUnavailableAndTheConsoleShowsNoSearchOrCache() {
        assertProblem(api.post("/v1/members/search", APP_KEY, "{\"platform\":\"wechat\"}"), 503);

        Response topology = api.get("/admin/topology", ADMIN_KEY);
        assertThat(topology.status()).isEqualTo(200);
        assertThat(topology.json().path("routes").has("db")).isTrue();
        assertThat(topology.json().path("routes").has("search")).isFalse();
        assertThat(topology.json().path("routes").has("cache")).isFalse();

        assertProblem(api.post("/admin/search/search-primary/rebuild", ADMIN_KEY, ""), 404);
    }
}
