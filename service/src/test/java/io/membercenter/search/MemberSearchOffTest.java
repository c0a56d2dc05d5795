package io.membercenter.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.ReplicationProgress;
import io.membercenter.traffic.TrafficClass;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Search off is a MemberSearch over no cluster, not a missing bean: every operation answers "not
 * available" and callers fall back to MySQL (or 503 for filtered search) without a null check.
 */
class MemberSearchOffTest {

    private static final SearchFilter ANY = new SearchFilter(List.of(), List.of(), null, null, null, 10, null);

    @Test
    void withNoClusterConfiguredNoOperationIsAvailable() {
        SearchProperties properties = new SearchProperties(
                List.of(),
                Map.of(),
                2,
                2,
                0,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofMillis(500),
                Duration.ofMillis(500));
        SearchClusters clusters = new SearchClusters(List.of(), properties.routes());
        SearchIndexers indexers = new SearchIndexers(List.of(), true);
        JsonMapper json = JsonMapper.builder().build();
        ClusterLoader loader = new ClusterLoader(clusters, indexers, new SearchIndexes(properties));
        SearchFreshness freshness = new SearchFreshness(
                List.of(), ReplicationProgress.off(), Clock.systemUTC(), Duration.ofSeconds(1), Duration.ofSeconds(2));
        MemberSearch search = new MemberSearch(clusters, indexers, loader, freshness, json);

        assertThat(search.mayAnswerLookups(TrafficClass.ORDER)).isFalse();
        assertThat(search.lookup(IdentifierKey.mobile("+8613800138000"), TrafficClass.ORDER))
                .isInstanceOf(MemberSearch.Unanswered.class);
        assertThat(search.search(ANY, TrafficClass.MARKETING)).isEmpty();
        assertThat(search.clusterFor(TrafficClass.DEFAULT)).isEmpty();
        assertThat(search.clusterNames()).isEmpty();
    }

    @Test
    void withChangeCaptureOffNothingSaysAClusterIsFreshOrFed() {
        assertThat(ReplicationProgress.off().appliedBefore(SearchIndexer.consumerGroup("search-primary")))
                .isEmpty();
    }
}
