/**
 * Sharding: which physical database holds a member or an identifier, and the connection pools to
 * every copy of every physical database.
 *
 * <h2>Logical shards</h2>
 * The keyspace is split into {@code logicalShards} (1024 by default) logical shards; the shard map in
 * configuration assigns contiguous ranges of them to physical databases. A member lives in shard
 * {@code mix64(memberId) mod logicalShards}; an identifier (mobile, email, third-party identity)
 * lives in the shard of the CRC32C of its own normalized form, so a lookup by any identifier touches
 * exactly one shard. Every row carries its logical shard number: a logical shard is the unit that
 * is moved when a physical database is split, and moving one is a {@code WHERE shard = ?} copy.
 * We keep one table per physical database with a shard column instead of 1024 tables because
 * 1024 x N tables per database make migrations, metadata and connection warm-up slow while giving
 * nothing the column does not.
 *
 * <h2>Why our own router instead of ShardingSphere</h2>
 * Every statement of member-center is a point operation on one shard, known before the statement
 * is written (member id or identifier hash). That needs a hash and a range lookup, not an SQL
 * parser and rewriter; owning the router keeps the claim/confirm protocol's statements exactly as
 * written, lets us route reads to the local copy of a physical database and fall back to the master
 * per database, and keeps one less layer between a request and MariaDB.
 *
 * <h2>Copies and data centers</h2>
 * Each physical database has one master (data center A in the reference deployment) and replicas.
 * Writes go to the master. Reads go to the copy in the service's own data center; when that copy is
 * a replica, a write is acknowledged only after that replica has applied it
 * ({@code MASTER_GTID_WAIT}), so a read that follows an acknowledged write never sees an older
 * version. When the local copy cannot be reached, reads fall back to the master; when the master
 * cannot answer either (down, hung, its breaker open), a replica in another data center answers and
 * the read says it may be stale ({@code Read.mayBeStale}, {@code X-Member-Stale: true}), so reads never
 * fail because one database server did ({@code MasterBreakerTest}, {@code DatabaseFailureTest}).
 *
 * <h2>Breakers, bulkheads, deadlines</h2>
 * Every borrow of a connection goes through the traffic class's share of the pool and the breaker of
 * the server (copies name their server with {@code store:}; see {@code io.membercenter.degradation});
 * every wait has a deadline from {@link io.membercenter.shard.ShardProperties} (connect, socket, pool).
 * A pool that lost its server is renewed as soon as a direct connection answers again ({@code Pool}:
 * HikariCP's own reconnect backs off up to 5 s), so writes resume about one open time after the
 * master's return ({@code MasterBreakerTest}).
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.shard.ShardedDatabases} (connections to every copy of every physical
 * database, routed by shard), {@link io.membercenter.shard.ShardMap} (which shard holds a member or an
 * identifier; the bench routes its baselines with it) and {@link io.membercenter.shard.ShardProperties}
 * (the data center and the databases, which cache, member and console read). Three because the map is a
 * pure function used without the pools; the health indicator and the configuration are
 * package-private. {@code ShardedDatabases.MasterAtStart}, nested, is what another package may supply to say where
 * the masters are at start (the failover's topology record): the databases are routed there before the schema
 * migration and before any bean writes.
 */
@ApplicationModule(allowedDependencies = {"api", "degradation"})
package io.membercenter.shard;

import org.springframework.modulith.ApplicationModule;
