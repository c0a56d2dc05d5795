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
 * <h2>Progress</h2>
 * {@link io.membercenter.replication.ReplicationProgress} takes a checkpoint every 100 ms: the
 * outbox's oldest unsent change on every database, then the topic's end offsets. A consumer group
 * that has committed past a checkpoint's offsets has applied every change committed before its time
 * — the fact search uses to decide whether a cluster may answer lookups.
 *
 * <h2>The event</h2>
 * JSON: {@code memberId} (string), {@code version}, {@code mobile}, {@code email}, {@code nickname},
 * {@code level}, {@code status}, {@code identities} [{platform, externalId}], {@code identifiers}
 * [{kind, value}] (normalized), {@code removedIdentifiers} [{kind, value}], {@code createdAt},
 * {@code updatedAt} (epoch ms). Kafka key: memberId. Header {@code version}.
 *
 * <h2>Public types</h2>
 * {@link io.membercenter.replication.Outbox} (the write side: append a change in the committing
 * transaction, used by member), {@link io.membercenter.replication.ReplicationProgress} (the read side:
 * how far committed changes got, used by search; {@code off()} without Kafka) and
 * {@link io.membercenter.replication.ReplicationProperties} (the Kafka and topic the indexers consume).
 * Three because the outbox's writer, the progress's reader and the topic's consumer are different
 * packages; the relay, the checkpoints and the Kafka clients are package-private.
 */
@ApplicationModule(allowedDependencies = {"api", "shard"})
package io.membercenter.replication;

import org.springframework.modulith.ApplicationModule;
