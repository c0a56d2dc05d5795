package io.membercenter.search;

import io.membercenter.traffic.TrafficClass;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The search clusters and how traffic is routed to them.
 *
 * @param clusters every cluster: name, data center, role (primary, backup, marketing) and URL
 * @param routes traffic class -> cluster role (ORDER -> primary, MARKETING -> marketing, DEFAULT -> primary);
 *     a traffic class without a route reads the primary
 * @param memberShards primary shards of the members index (see {@code search/members-index.json})
 * @param identifierShards primary shards of the member_identifiers index
 * @param replicas replicas per shard (0 on a single-node local cluster)
 * @param refreshInterval how soon an indexed change becomes searchable
 * @param connectTimeout TCP connect to a cluster
 * @param socketTimeout longest wait for a read on an open connection, and for a whole response (bulk
 *     indexing included, so not too short)
 * @param connectionRequestTimeout longest wait for a pooled connection to a cluster
 * @param readTimeout longest a read on the request path (a lookup, a get by id, a filtered search) waits for
 *     its answer: the socket timeout is sized for bulk indexing, and a request that waited that long on a hung
 *     cluster would have nothing left for the next cluster or store; at this deadline it moves on, and the
 *     timed-out reads open the cluster's breaker
 */
@ConfigurationProperties("member-center.search")
record SearchProperties(
        List<Cluster> clusters,
        @DefaultValue Map<TrafficClass, Role> routes,
        @DefaultValue("12") int memberShards,
        @DefaultValue("12") int identifierShards,
        @DefaultValue("1") int replicas,
        @DefaultValue("1s") Duration refreshInterval,
        @DefaultValue("1s") Duration connectTimeout,
        @DefaultValue("10s") Duration socketTimeout,
        @DefaultValue("500ms") Duration connectionRequestTimeout,
        @DefaultValue("1s") Duration readTimeout) {

    /**
     * What a cluster is for. Bound case-insensitively ({@code role: primary} in YAML), so a misspelt
     * role fails at start naming the property.
     */
    public enum Role {
        /** Serves ORDER and DEFAULT lookups and search. */
        PRIMARY,
        /** In the other data center: every traffic class falls back to it. */
        BACKUP,
        /** Serves MARKETING only, so a campaign burst never touches the order path. */
        MARKETING
    }

    /** One OpenSearch cluster. */
    public record Cluster(String name, String dataCenter, Role role, String url) {}

    public SearchProperties {
        clusters = clusters == null
                ? List.of()
                : clusters.stream()
                        .filter(c -> c.url() != null && !c.url().isBlank())
                        .toList();
        routes = routes == null || routes.isEmpty()
                ? Map.of(
                        TrafficClass.ORDER, Role.PRIMARY,
                        TrafficClass.MARKETING, Role.MARKETING,
                        TrafficClass.DEFAULT, Role.PRIMARY)
                : Map.copyOf(routes);
        for (Duration timeout : List.of(connectTimeout, socketTimeout, connectionRequestTimeout, readTimeout)) {
            if (timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofMinutes(2)) > 0) {
                throw new IllegalStateException("member-center.search connect-timeout, socket-timeout, "
                        + "connection-request-timeout and read-timeout must each be between 10ms and 2m");
            }
        }
        for (Cluster cluster : clusters) {
            if (cluster.role() == null) {
                throw new IllegalStateException("member-center.search.clusters[" + cluster.name()
                        + "].role must be primary, backup or marketing");
            }
        }
    }
}
