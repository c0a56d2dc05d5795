package io.membercenter.topology;

/**
 * One store of the topology as it is at the moment of asking.
 *
 * @param name       unique name, e.g. {@code mysql-a}, {@code redis-b}, {@code kafka}, {@code search-primary}
 * @param kind       what the store is for
 * @param dataCenter the data center it lives in, e.g. {@code A} ({@code C}: the coordination ensemble's third site)
 * @param role       its part in the topology: {@code master} or {@code replica} (db), {@code local} (a data
 *                   center's own cache), {@code broker} (mq), {@code primary}, {@code backup} or {@code marketing}
 *                   (search), {@code ensemble} (a coordination node)
 * @param host       the address it listens on
 * @param port       its TCP port (OpenSearch: HTTP; Kafka: the client listener); stays the same across stop and start
 * @param up         whether its process is running
 */
public record StoreInfo(
        String name, StoreKind kind, String dataCenter, String role, String host, int port, boolean up) {}
