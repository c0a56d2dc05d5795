package io.membercenter.search;

import io.membercenter.traffic.TrafficClass;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every search cluster, and which one serves each traffic class. */
final class SearchClusters implements AutoCloseable {

    private final List<SearchCluster> clusters;
    private final Map<TrafficClass, SearchProperties.Role> routes;

    SearchClusters(List<SearchCluster> clusters, Map<TrafficClass, SearchProperties.Role> routes) {
        this.clusters = List.copyOf(clusters);
        this.routes = Map.copyOf(routes);
    }

    public List<SearchCluster> all() {
        return clusters;
    }

    public Optional<SearchCluster> named(String name) {
        return clusters.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The cluster that serves a traffic class: the one of its routed role, the primary when it has no route. */
    public Optional<SearchCluster> forTrafficClass(TrafficClass trafficClass) {
        SearchProperties.Role role = routes.getOrDefault(trafficClass, SearchProperties.Role.PRIMARY);
        return clusters.stream().filter(c -> c.role() == role).findFirst();
    }

    public Map<TrafficClass, SearchProperties.Role> routes() {
        return routes;
    }

    @Override
    public void close() throws Exception {
        for (SearchCluster cluster : clusters) cluster.close();
    }
}
