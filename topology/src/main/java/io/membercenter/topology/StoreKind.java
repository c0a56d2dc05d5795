package io.membercenter.topology;

/** What a store is for; {@code name().toLowerCase()} gives the short form used in names and configuration. */
public enum StoreKind {
    DB,
    CACHE,
    SEARCH,
    MQ,
    /** The legacy member database a migration reads from: a PostgreSQL instance of the topology's own. */
    LEGACY,
    /** The consensus store that coordinates failover: a ZooKeeper ensemble. */
    COORDINATION
}
