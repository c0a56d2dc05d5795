package io.membercenter.search;

import io.membercenter.traffic.TrafficClass;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every search cluster, and which one serves each traffic class. */
final class SearchClusters implements AutoCloseable {

    private final List<SearchCluster> clusters;
    private final Map<TrafficClass, SearchProperties.Role> routes;
    /** The data center whose cluster serves every traffic class after a search failover; null: the routes. */
    private volatile String servingDataCenter;

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

    /**
     * The cluster that serves a traffic class: the one of its routed role (the primary when it has no route), or,
     * after a search failover, the cluster of the data center failed over to (its backup, if it has several).
     */
    public Optional<SearchCluster> forTrafficClass(TrafficClass trafficClass) {
        String failedOverTo = servingDataCenter;
        if (failedOverTo != null) {
            return clusters.stream()
                    .filter(c -> c.dataCenter().equals(failedOverTo))
                    .min(java.util.Comparator.comparing(c -> c.role() != SearchProperties.Role.BACKUP));
        }
        return configuredFor(trafficClass);
    }

    /** The cluster the routes give a traffic class, whatever a failover says. */
    Optional<SearchCluster> configuredFor(TrafficClass trafficClass) {
        SearchProperties.Role role = routes.getOrDefault(trafficClass, SearchProperties.Role.PRIMARY);
        return clusters.stream().filter(c -> c.role() == role).findFirst();
    }

    /** Every traffic class to the cluster in {@code dataCenter}, or (empty) back to the routes. */
    void serveFrom(Optional<String> dataCenter) {
        dataCenter.ifPresent(dc -> {
            if (clusters.stream().noneMatch(c -> c.dataCenter().equals(dc))) {
                throw new IllegalArgumentException("no search cluster in data center " + dc);
            }
        });
        servingDataCenter = dataCenter.orElse(null);
    }

    Optional<String> servingDataCenter() {
        return Optional.ofNullable(servingDataCenter);
    }

    public Map<TrafficClass, SearchProperties.Role> routes() {
        return routes;
    }

    @Override
    public void close() throws Exception {
        for (SearchCluster cluster : clusters) cluster.close();
    }
}
