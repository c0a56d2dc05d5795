package io.membercenter.governance;

import static io.membercenter.support.ApiClient.ADMIN_KEY;
import static io.membercenter.support.ApiClient.APP_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.membercenter.shard.ShardedDatabases;
import io.membercenter.support.ApiClient;
import io.membercenter.support.ServiceTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The checker as it runs in production: passes in the background sample the changes written through the API and
 * count every store, and only the admin key reads the results. Its own service instance (the shared test context
 * runs no background passes, so outage tests see no caller but their own), closed after the class so its passes stop
 * with it.
 */
@ServiceTest
@TestPropertySource(
        properties = {
            "member-center.governance.consistency.enabled=true",
            // Another instance in the same data center as the shared test context: its own node id.
            "member-center.member.node-id=9"
        })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ConsistencyCheckerBackgroundTest {

    private static final Set<String> STORES =
            Set.of("redis-a", "redis-b", "search-primary", "search-backup", "search-marketing");

    private final ApiClient api;

    @Autowired
    ConsistencyChecker checker;

    @Autowired
    ShardedDatabases databases;

    ConsistencyCheckerBackgroundTest(ApiClient api) {
        this.api = api;
    }

    @Test
    void backgroundPassesCheckRecentChangesInEveryStoreAndOnlyTheAdminKeyReadsThem() {
        // the first pass only places the cursors at the newest change: changes from then on are sampled
        await().atMost(Duration.ofSeconds(30))
                .until(() -> checker.cursors().keySet().containsAll(databases.databaseNames()));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) ids.add(api.newMember().memberId());
        ids.forEach(
                id -> assertThat(api.get("/v1/members/" + id, APP_KEY).status()).isEqualTo(200));

        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode stores =
                    api.get("/admin/governance/consistency", ADMIN_KEY).json().path("stores");
            for (String store : STORES) {
                assertThat(stores.path(store).path("checked").asLong())
                        .as(store)
                        .isPositive();
                assertThat(stores.path(store).path("nines").isNumber()).isTrue();
            }
        });
        assertThat(api.get("/admin/governance/consistency", APP_KEY).status()).isEqualTo(403);
    }
}
