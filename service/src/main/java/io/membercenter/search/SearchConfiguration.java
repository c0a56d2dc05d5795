package io.membercenter.search;

import io.membercenter.degradation.Breakers;
import io.membercenter.replication.ReplicationProgress;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/** Search is on when clusters are configured; indexing also needs the Kafka of change capture. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${member-center.search.clusters[0].url:}'.length() > 0")
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
            Environment environment,
            JsonMapper json,
            Clock clock,
            MeterRegistry meters) {
        String bootstrap = environment.getProperty("member-center.replication.kafka-bootstrap", "");
        String topic = environment.getProperty("member-center.replication.topic", "member-changes");
        List<SearchIndexer> indexers = clusters.all().stream()
                .map(cluster -> new SearchIndexer(cluster, indexes, bootstrap, topic, json, clock))
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
                            List.of(io.micrometer.core.instrument.Tag.of("cluster", indexer.cluster())),
                            indexer,
                            SearchIndexer::applied);
        }
        return new SearchIndexers(indexers, !bootstrap.isBlank());
    }

    @Bean
    ClusterLoader clusterLoader(
            SearchClusters clusters, SearchIndexers indexers, SearchIndexes indexes, JsonMapper json) {
        return new ClusterLoader(clusters, indexers, indexes, json);
    }

    @Bean
    SearchFreshness searchFreshness(
            SearchClusters clusters,
            ObjectProvider<ReplicationProgress> progress,
            SearchProperties properties,
            Environment environment,
            Clock clock,
            MeterRegistry meters) {
        ReplicationProgress replication = progress.getIfAvailable();
        if (replication == null) return null;
        Duration markerTtl =
                environment.getProperty("member-center.cache.marker-ttl", Duration.class, Duration.ofSeconds(2));
        SearchFreshness freshness =
                new SearchFreshness(clusters.all(), replication, clock, properties.refreshInterval(), markerTtl);
        for (SearchCluster cluster : clusters.all()) {
            Gauge.builder("search_searchable_age_seconds", freshness, f -> f.searchableAgeSeconds(cluster.name()))
                    .tag("cluster", cluster.name())
                    .description("age of the newest time before which every committed change is searchable")
                    .register(meters);
        }
        return freshness;
    }

    /** No lookups from search without Kafka: nothing would say how fresh a cluster is. */
    @Bean
    MemberSearch memberSearch(
            SearchClusters clusters,
            SearchIndexers indexers,
            ClusterLoader loader,
            ObjectProvider<SearchFreshness> freshness,
            JsonMapper json) {
        SearchFreshness known = freshness.getIfAvailable();
        return known == null ? null : new MemberSearch(clusters, indexers, loader, known, json);
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
