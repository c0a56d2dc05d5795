package io.membercenter.topology;

/** What a store is for; {@code name().toLowerCase()} gives the short form used in names and configuration. */
public enum StoreKind {
    DB,
    CACHE,
    SEARCH,
    MQ,
    LEGACY,
    /** The consensus store that coordinates failover: a ZooKeeper ensemble. */
    COORDINATION
}
