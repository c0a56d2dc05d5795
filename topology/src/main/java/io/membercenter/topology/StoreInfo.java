package io.membercenter.topology;

/**
 * One store of the topology as it is at the moment of asking.
 *
 * @param name       unique name, e.g. {@code mysql-a}
 * @param kind       what the store is for
 * @param dataCenter the data center it lives in, e.g. {@code A}
 * @param role       its part in replication, e.g. {@code master} or {@code replica}
 * @param host       the address it listens on
 * @param port       its TCP port; stays the same across stop and start
 * @param up         whether its process is running
 */
public record StoreInfo(String name, StoreKind kind, String dataCenter, String role, String host, int port, boolean up) {
}
