package io.membercenter.search;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every search cluster, and which one serves each traffic class. */
final class SearchClusters implements AutoCloseable {

    private final List<SearchCluster> clusters;
    private final Map<String, String> routes;

    SearchClusters(List<SearchCluster> clusters, Map<String, String> routes) {
        this.clusters = List.copyOf(clusters);
        this.routes = Map.copyOf(routes);
    }

    public List<SearchCluster> all() {
        return clusters;
    }

    public Optional<SearchCluster> named(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The cluster that serves a traffic class ("ORDER", "MARKETING", "DEFAULT"). */
    public Optional<SearchCluster> forTrafficClass(String trafficClass) {
        String role = routes.getOrDefault(trafficClass, "primary");
        return clusters.stream().filter(c -> c.role().equals(role)).findFirst();
    }

    public Map<String, String> routes() {
        return routes;
    }

    @Override
    public void close() throws Exception {
        for (SearchCluster cluster : clusters) cluster.close();
    }
}
