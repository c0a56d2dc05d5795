package io.membercenter.search;

import io.membercenter.cache.CacheProperties;
import io.membercenter.degradation.Breakers;
import io.membercenter.replication.ReplicationProgress;
import io.membercenter.replication.ReplicationProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.time.Clock;
import java.util.List;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * Search over the configured clusters; indexing also needs the Kafka of change capture. With no
 * cluster configured every bean here is still built, over none: {@link MemberSearch} then answers
 * "not available" to every operation, and nothing indexes. With change capture off the indexers are
 * not started and {@code ReplicationProgress.off()} keeps every cluster unfresh: neither lookups
 * nor filtered search are answered from search (as before, when the bean was missing), a rebuild is.
 */
@Configuration(proxyBeanMethods = false)
class SearchConfiguration {

    @Bean(destroyMethod = "close")
    SearchClusters searchClusters(SearchProperties properties, JsonMapper json, Breakers breakers) {
        return new SearchClusters(
                properties.clusters().stream()
                        .map(c -> new SearchCluster(c, properties, json, breakers))
                        .toList(),
                properties.routes());
    }

    @Bean
    SearchIndexes searchIndexes(SearchProperties properties) {
        return new SearchIndexes(properties);
    }

    @Bean
    SearchIndexers searchIndexers(
            SearchClusters clusters,
            SearchIndexes indexes,
            ReplicationProperties replication,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters) {
        List<SearchIndexer> indexers = clusters.all().stream()
                .map(cluster -> new SearchIndexer(
                        cluster, indexes, replication.kafkaBootstrap(), replication.topic(), json, clock))
                .toList();
        for (SearchIndexer indexer : indexers) {
            Gauge.builder("search_indexer_lag_changes", indexer, SearchIndexer::changesBehind)
                    .tag("cluster", indexer.cluster())
                    .description("changes in Kafka not yet applied")
                    .register(meters);
            Gauge.builder("search_indexer_lag_seconds", indexer, SearchIndexer::secondsBehind)
                    .tag("cluster", indexer.cluster())
                    .description("age of the oldest unapplied change")
                    .register(meters);
            meters.more()
                    .counter(
                            "search_indexer_applied_total",
                            List.of(Tag.of("cluster", indexer.cluster())),
                            indexer,
                            SearchIndexer::applied);
        }
        return new SearchIndexers(indexers, replication.kafkaConfigured());
    }

    @Bean
    ClusterLoader clusterLoader(SearchClusters clusters, SearchIndexers indexers, SearchIndexes indexes) {
        return new ClusterLoader(clusters, indexers, indexes);
    }

    @Bean
    SearchFreshness searchFreshness(
            SearchClusters clusters,
            ReplicationProgress replication,
            SearchProperties properties,
            CacheProperties cache,
            Clock clock,
            MeterRegistry meters) {
        SearchFreshness freshness = new SearchFreshness(
                clusters.all(), replication, clock, SearchIndexer.VISIBLE_AFTER_APPLIED, cache.markerTtl());
        for (SearchCluster cluster : clusters.all()) {
            Gauge.builder("search_searchable_age_seconds", freshness, f -> f.searchableAgeSeconds(cluster.name()))
                    .tag("cluster", cluster.name())
                    .description("age of the newest time before which every committed change is searchable")
                    .register(meters);
        }
        return freshness;
    }

    @Bean
    MemberSearch memberSearch(
            SearchClusters clusters,
            SearchIndexers indexers,
            ClusterLoader loader,
            SearchFreshness freshness,
            JsonMapper json) {
        return new MemberSearch(clusters, indexers, loader, freshness, json);
    }

    @Bean
    SmartLifecycle searchIndexersLifecycle(SearchIndexers indexers) {
        return new SmartLifecycle() {
            @Override
            public void start() {
                indexers.startAll();
            }

            @Override
            public void stop() {
                indexers.stopAll();
            }

            @Override
            public boolean isRunning() {
                return indexers.anyRunning();
            }
        };
    }
}
