package io.membercenter.search;

import java.util.List;
import java.util.Optional;

/** The indexers of all clusters; each can be stopped and started alone (a lagging or rebuilt cluster). */
final class SearchIndexers {

    private final List<SearchIndexer> indexers;
    private final boolean kafkaConfigured;

    SearchIndexers(List<SearchIndexer> indexers, boolean kafkaConfigured) {
        this.indexers = List.copyOf(indexers);
        this.kafkaConfigured = kafkaConfigured;
    }

    public List<SearchIndexer> all() {
        return indexers;
    }

    public Optional<SearchIndexer> of(String cluster) {
        return indexers.stream().filter(i -> i.cluster().equals(cluster)).findFirst();
    }

    /** Whether anything feeds the clusters: without change capture's Kafka no indexer runs. */
    boolean kafkaConfigured() {
        return kafkaConfigured;
    }

    void startAll() {
        if (kafkaConfigured) indexers.forEach(SearchIndexer::start);
    }

    void stopAll() {
        indexers.forEach(SearchIndexer::stop);
    }

    boolean anyRunning() {
        return indexers.stream().anyMatch(SearchIndexer::isRunning);
    }
}
