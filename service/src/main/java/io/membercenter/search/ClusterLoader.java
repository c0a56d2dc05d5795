package io.membercenter.search;

import io.membercenter.replication.MemberChange;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bulk-loads changes ({@link MemberChange}, as the outbox would carry them) into one cluster, for a rebuild from MySQL. Uses the
 * indexer's own document building and the same external versions, so a rebuild racing live
 * indexing can never put an older version over a newer one.
 */
final class ClusterLoader {

    private final SearchClusters clusters;
    private final SearchIndexers indexers;
    private final SearchIndexes indexes;
    private final Set<String> rebuilding = ConcurrentHashMap.newKeySet();

    ClusterLoader(SearchClusters clusters, SearchIndexers indexers, SearchIndexes indexes) {
        this.clusters = clusters;
        this.indexers = indexers;
        this.indexes = indexes;
    }

    /**
     * Starts a rebuild: the cluster is read around until {@link #finish}, its indexes are dropped
     * and recreated with its indexer paused (so nothing auto-creates an index meanwhile), then the
     * indexer resumes from its committed position while the caller loads MySQL's members.
     */
    public void begin(String clusterName) {
        SearchCluster cluster = cluster(clusterName);
        SearchIndexer indexer = indexers.of(clusterName).orElseThrow();
        // Asked before anything is marked or dropped: a cluster that cannot answer is left exactly as it was
        // (readable, not rebuilding) and the start fails. A failure after the drop keeps it read around.
        SearchCluster.Answer health = cluster.get("/_cluster/health");
        if (!health.ok() || !health.body().isObject()) {
            throw new SearchUnavailableException(
                    clusterName, new IllegalStateException("health status " + health.status()));
        }
        rebuilding.add(clusterName);
        indexer.stop();
        try {
            cluster.send(
                    "DELETE",
                    "/" + SearchIndexes.MEMBERS + "," + SearchIndexes.IDENTIFIERS + "?ignore_unavailable=true",
                    null);
            indexes.ensure(cluster);
        } finally {
            indexer.start();
        }
    }

    /** Loads one chunk of changes (members as MySQL holds them), each applied with its member's version. */
    public void load(String clusterName, List<MemberChange> changes) {
        SearchIndexer indexer = indexers.of(clusterName).orElseThrow();
        StringBuilder bulk = new StringBuilder();
        for (MemberChange change : changes) {
            indexer.appendChange(bulk, change);
        }
        SearchCluster.Answer answer = cluster(clusterName).send("POST", "/_bulk", bulk.toString());
        if (!answer.ok() || answer.body().path("errors").asBoolean() && hasRealErrors(answer)) {
            throw new SearchUnavailableException(clusterName, new IllegalStateException("bulk load refused"));
        }
    }

    /**
     * Ends the rebuild. The loaded documents are made searchable first (an explicit refresh): the
     * cluster's freshness is about replicated changes and says nothing of what the load wrote.
     */
    public void finish(String clusterName) {
        SearchCluster.Answer refreshed = cluster(clusterName)
                .send("POST", "/" + SearchIndexes.MEMBERS + "," + SearchIndexes.IDENTIFIERS + "/_refresh", null);
        if (!refreshed.ok()) {
            throw new SearchUnavailableException(clusterName, new IllegalStateException("refresh refused"));
        }
        rebuilding.remove(clusterName);
    }

    public boolean isRebuilding(String clusterName) {
        return rebuilding.contains(clusterName);
    }

    public List<String> clusterNames() {
        return clusters.all().stream().map(SearchCluster::name).toList();
    }

    private SearchCluster cluster(String name) {
        return clusters.named(name).orElseThrow(() -> new IllegalArgumentException("no search cluster " + name));
    }

    private static boolean hasRealErrors(SearchCluster.Answer answer) {
        for (var item : answer.body().path("items")) {
            int status = item.values().iterator().next().path("status").asInt();
            if (status >= 300 && status != 409 && status != 404) return true;
        }
        return false;
    }
}
