/**
 * Change capture: every committed member change travels MySQL outbox -> Kafka -> one indexer per
 * search cluster.
 *
 * <h2>Outbox</h2>
 * {@link io.membercenter.replication.Outbox#append} writes the change in the same transaction that
 * commits it (the member row's version bump), so a change is published if and only if it was
 * committed. All changes of one member live in that member's physical database, and the outbox's
 * auto-increment id orders them as committed.
 *
 * <h2>Relay</h2>
 * One relay per physical database at a time (a MariaDB named lock held on the relay's connection,
 * so a second service instance waits instead of interleaving) reads unsent rows in id order,
 * publishes them keyed by memberId (one member, one partition, so Kafka keeps the order), waits for
 * every acknowledgement of the idempotent producer ({@code acks=all}) and only then marks them sent.
 * A crash or a Kafka outage between commit and publish leaves the rows unsent: they go out when the
 * relay runs again. A crash between publish and mark publishes them twice: indexers apply documents
 * with external versioning (the member version), so a duplicate or an older version never
 * overwrites a newer document.
 *
 * <h2>Purge</h2>
 * The relay leading a database also deletes its sent rows older than {@code outbox-retention}
 * (default 7 days), in short batches; an unsent row is never deleted, however old. Both outbox
 * queries that run all the time are answered from an index: the next unsent rows from
 * {@code outbox_unsent (sent_at, id)} in id order, the oldest unsent change from
 * {@code outbox_unsent_since (sent_at, created_at)} alone ({@code OutboxTest} checks both plans with
 * EXPLAIN, {@code OutboxPurgeTest} the purge).
 *
 * <h2>Progress</h2>
 * {@link io.membercenter.replication.ReplicationProgress} takes a checkpoint every 100 ms: the
 * outbox's oldest unsent change on every database, then the topic's end offsets. A consumer group
 * that has committed past a checkpoint's offsets has applied every change committed before its time
 * — the fact search uses to decide whether a cluster may answer lookups.
 *
 * <h2>The event</h2>
 * One record, {@link io.membercenter.replication.MemberChange}, written and read by one Jackson
 * configuration (its own, so tuning the HTTP API's JSON never changes the wire): the outbox writer,
 * the indexers, the cluster loader of a rebuild and the cache (a cached member is a change with
 * nothing removed) all use it; the relay forwards the stored payload byte for byte, since the row is
 * the committed fact and re-encoding it could only change it. JSON: {@code memberId} (string),
 * {@code version}, {@code mobile}, {@code email}, {@code nickname}, {@code level}, {@code status},
 * {@code identities} [{platform, externalId}], {@code identifiers} [{kind, value}] (normalized),
 * {@code removedIdentifiers} [{kind, value}], {@code createdAt}, {@code updatedAt} (epoch ms); a
 * reader ignores fields it does not know (a newer writer in a rolling deploy). Kafka key: memberId.
 * Header {@code version}. {@code MemberChangeTest} proves that a payload stored by the service before
 * the record existed is read field for field and written back as the same JSON.
 *
 * <h2>Identifiers</h2>
 * {@link io.membercenter.replication.IdentifierKey} is the only owner of an identifier's text forms:
 * {@code KIND:value} (search documents, cache entries, pending markers) and {@code K:value} (the
 * shard hash). It lives here, with the change that carries identifiers, because every user of it —
 * member, search, cache and the benchmarks — already depends on this package and this package on
 * none of them. {@code IdentifierKeyTest} covers values with {@code :}, {@code /} and {@code %} and
 * unicode e-mail local parts.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.replication.Outbox} (the write side: append a change in the committing
 * transaction, used by member), {@link io.membercenter.replication.ReplicationProgress} (the read side:
 * how far committed changes got, used by search; {@code off()} without Kafka),
 * {@link io.membercenter.replication.ReplicationProperties} (the Kafka and topic the indexers consume),
 * and the two values of the change contract every other package exchanges:
 * {@link io.membercenter.replication.MemberChange} and {@link io.membercenter.replication.IdentifierKey}.
 * The outbox's writer, the progress's reader and the topic's consumer are different packages; the
 * relay, the checkpoints and the Kafka clients are package-private.
 */
@ApplicationModule(allowedDependencies = {"api", "degradation", "shard"})
package io.membercenter.replication;

import org.springframework.modulith.ApplicationModule;
