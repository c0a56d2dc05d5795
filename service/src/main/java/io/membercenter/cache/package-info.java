/**
 * Members cached in Redis in both data centers, and the pending-change markers that keep the cache
 * and search from ever answering older than an acknowledged write.
 *
 * <h2>Keys</h2>
 * <ul>
 *   <li>{@code mc:m:<memberId>} = {@code <version>|<member JSON>}, TTL {@code entry-ttl}; the JSON is a
 *       {@code io.membercenter.replication.MemberChange} with nothing removed, the outbox's form;</li>
 *   <li>{@code mc:i:<KIND:value>} = {@code <memberId>|<version>}: which member an identifier was
 *       cached for (a hit is verified against the member entry: it must hold the identifier);</li>
 *   <li>{@code mc:pending:m:<memberId>}, {@code mc:pending:i:<KIND:value>} = the newest acknowledged
 *       version, TTL {@code marker-ttl} (2 s): the pending-change marker;</li>
 *   <li>{@code mc:floor:<memberId>} = the newest acknowledged version, TTL {@code version-floor-ttl}
 *       (longer than any entry lives): the version floor.</li>
 * </ul>
 * {@code KIND:value} is {@code io.membercenter.replication.IdentifierKey#searchKey()}; this package
 * takes identifiers as {@code IdentifierKey}s and never spells the form itself.
 *
 * <h2>The two races, and how they are closed</h2>
 * <b>Write-back of data read before a refresh</b>: a reader misses, reads version v from search (not
 * yet refreshed) or from MySQL just before a write of v+1 commits, and writes v back after the
 * write's invalidation — the cache would serve v until its TTL. <b>Delete racing a write-back</b>:
 * the write's delete lands between the reader's check and its set.
 * <p>Both are closed by making invalidation and write-back single Lua scripts, so Redis runs them
 * one after the other, never interleaved (mutual exclusion), and by comparing versions inside them:
 * <ul>
 *   <li><b>Invalidate</b> (before a write is acknowledged, in every data center): raise the marker
 *       and the floor to the new version (never lower them: concurrent writers of one member
 *       cannot undo each other), delete the member's entries.</li>
 *   <li><b>Write-back</b> (after a miss, local data center only): refused when the floor or the
 *       marker is above the version read; skipped when the entry already holds that version or a
 *       newer one. A refused write-back is counted ({@code cache_write_backs_skipped_total}).</li>
 * </ul>
 * The reference design used a 2-second lock during which readers skip write-back; the marker here
 * is that lock, and the floor closes what the lock leaves open — a reader slower than 2 s.
 *
 * <h2>Two data centers, and a Redis that fails</h2>
 * Invalidations go to both Redis; reads and write-backs to the local one, else the other data
 * center's, else none (MySQL or search answer, with no error). A Redis that fails an invalidation or a
 * marker, or whose connection breaks, is DOWN for this instance (a read or write-back that only timed out, or
 * was skipped by the open breaker, is a miss and nothing more: it missed nothing, and marking the node down for it
 * sent every read to MariaDB for a marker TTL under load): every invalidation it misses is queued (past {@code retry-queue-limit} it
 * is flushed instead), and when it answers again the queue is replayed first, then it stays
 * RECOVERING — written to, never read — for one marker TTL, since a restart emptied its markers.
 * Only then is it read again: nothing it held from before the outage can be served stale.
 * Invalidations keep coming while the queue is replayed: "send, or queue because DOWN" is decided
 * under a read lock and the replay's last pass and the step out of DOWN under the write lock, so no
 * invalidation is queued after the last pass and left there ({@code InvalidationDuringDrainTest}).
 * Known limit: this health is per service instance; an instance that made no call to a Redis during
 * its partition does not know it missed another instance's invalidations. A Kafka-fed invalidator
 * per data center (the change stream already exists) is the planned second line.
 *
 * <h2>Reads by id, one or many</h2>
 * A read by id, and each member of a batch read (one {@code MGET}), is answered by the cache when it
 * holds the member; misses are read from MySQL and written back under the guard above (a batch's
 * write-backs pipelined: one round trip, each still its own script). Bulk loads
 * ({@code MemberBulkLoad}) invalidate in pipelined batches of {@code 100} per Redis, so a million
 * members cost thousands of round trips, not millions.
 *
 * <h2>Markers and search</h2>
 * A lookup is served from search only when no marker for the identifier is live in a trusted Redis
 * and the cluster is fresh (see {@code io.membercenter.member.MemberLookups}); with no trusted Redis
 * lookups go to MySQL.
 *
 * <h2>Tests</h2>
 * {@code CacheConsistencyTest}: writers and readers on 8 members, by id and by identity, zero stale
 * reads over 40,000 checked reads with the guard on, stale reads with it off (within a few thousand);
 * either Redis stopped and restarted under load: no failed and no stale read.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.cache.MemberCache} (reads, write-backs, invalidations and the pending-marker
 * check; over no Redis when the cache is off, answering every read with a miss; and
 * {@code heldEverywhere}, what every trusted Redis holds of a member exactly as written, for governance's
 * consistency checker, its nested records {@code Held}, {@code Entry}, {@code IdentifierEntry}) and
 * {@link io.membercenter.cache.CacheProperties} (its settings, which search reads for the marker life).
 * Redis nodes, markers and the configuration are package-private.
 */
@ApplicationModule(allowedDependencies = {"degradation", "replication", "shard"})
package io.membercenter.cache;

import org.springframework.modulith.ApplicationModule;
