package io.membercenter.replication;

import io.membercenter.api.StoreUnavailableException;
import io.membercenter.shard.ShardedDatabases;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * How far committed changes have got on their way to the search clusters, as facts a reader can
 * build a read-your-writes promise on (see {@code io.membercenter.member.MemberLookups}).
 * <p>Every 100 ms a {@link Checkpoints.Checkpoint} is taken: first the outbox of every database is
 * read on its master (the oldest change not yet marked sent), then the topic's end offsets. Every
 * change committed before {@code min(oldest unsent, start of the measurement)} is then in Kafka below
 * those end offsets: it was committed, so the outbox read saw it; it was not unsent, so Kafka had
 * acknowledged it before the relay marked it sent, which was before the offsets were read. A consumer
 * group whose committed offsets reach a checkpoint's end offsets has therefore applied every change
 * committed before the checkpoint's time.
 * <p>These are facts about the databases and the log, not about this instance: they hold whichever
 * instance relays, and whichever instances share an indexer's consumer group. An earlier version
 * added the outbox's age to the indexer's own lag counter; that counter is sampled between polls and
 * read 0 while a batch it had already fetched was still being indexed, so a lookup could reach a
 * cluster that did not yet hold a change acknowledged seconds before.
 */
final class KafkaReplicationProgress implements ReplicationProgress {

    private static final long KAFKA_TIMEOUT_MILLIS = 1_000;

    private final ShardedDatabases databases;
    private final Admin kafka;
    private final String topic;
    private final Clock clock;
    private final Checkpoints checkpoints = new Checkpoints(200);
    private volatile List<TopicPartition> partitions = List.of();
    private volatile long oldestUnsentMillis;
    private volatile boolean known;

    private final long idleNanos;
    /** The last checkpoint saw nothing unsent and the same end offsets as the one before: nothing is moving. */
    private boolean idle;

    private long appendsSeen = -1;
    private long measuredAtNanos;
    private Map<Integer, Long> lastEndOffsets = Map.of();
    private volatile long checkpointsTaken;

    /**
     * @param idle the longest wait between two checkpoints while nothing is moving (every 100 ms otherwise): an idle
     *     topology then reads each outbox and the topic's end offsets a few times a second instead of ten
     */
    KafkaReplicationProgress(ShardedDatabases databases, Admin kafka, String topic, Clock clock, Duration idle) {
        this.databases = databases;
        this.kafka = kafka;
        this.topic = topic;
        this.clock = clock;
        this.idleNanos = idle.toNanos();
    }

    @Override
    public long checkpointsTaken() {
        return checkpointsTaken;
    }

    /** Seconds the oldest unsent change has waited; infinite when the outbox cannot be read. */
    @Override
    public double outboxLagSeconds() {
        if (!known) return Double.POSITIVE_INFINITY;
        long oldest = oldestUnsentMillis;
        return oldest == 0 ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    /**
     * The newest time before which every committed change has been applied by this consumer group
     * (its committed offsets reach a checkpoint's end offsets); empty when Kafka cannot tell or the
     * group has passed no checkpoint still kept (it is more than ~20 s behind).
     */
    @Override
    public OptionalLong appliedBefore(String consumerGroup) {
        return appliedBefore(List.of(consumerGroup)).get(consumerGroup);
    }

    /**
     * One OffsetFetch for every group (KIP-709: the admin client batches the groups a coordinator holds), where one
     * call per group cost a round trip each: the freshness of three clusters, asked at every idle checkpoint by each
     * instance, was most of what an idle service asked Kafka for (issue 14).
     */
    @Override
    public Map<String, OptionalLong> appliedBefore(Collection<String> consumerGroups) {
        Map<String, OptionalLong> applied = new LinkedHashMap<>();
        consumerGroups.forEach(group -> applied.put(group, OptionalLong.empty()));
        if (consumerGroups.isEmpty()) return applied;
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        consumerGroups.forEach(group -> specs.put(group, new ListConsumerGroupOffsetsSpec()));
        try {
            Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
                    kafka.listConsumerGroupOffsets(specs).all().get(KAFKA_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            committed.forEach((group, offsets) -> applied.put(group, checkpoints.passedBy(consumed(offsets))));
        } catch (ExecutionException | TimeoutException e) {
            // every group stays unknown: nothing can be shown to have been applied
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return applied;
    }

    private Map<Integer, Long> consumed(Map<TopicPartition, OffsetAndMetadata> committed) {
        Map<Integer, Long> consumed = new HashMap<>();
        committed.forEach((partition, offset) -> {
            if (offset != null && partition.topic().equals(topic)) consumed.put(partition.partition(), offset.offset());
        });
        return consumed;
    }

    /**
     * A checkpoint every 100 ms while changes move; while nothing does (nothing unsent, the same end offsets twice),
     * one per {@code idle} unless this JVM appended to an outbox since ({@link OutboxSignal}). Another instance's
     * writes are seen at the next idle checkpoint. Skipping is safe: a checkpoint is a fact whenever it is taken, and
     * a reader only ever trusts the newest one passed, so fewer checkpoints make a cluster look older, never fresher.
     */
    @Scheduled(fixedDelay = 100)
    void measure() {
        long now = System.nanoTime();
        long appends = OutboxSignal.count();
        if (idle && appends == appendsSeen && now - measuredAtNanos < idleNanos) return;
        appendsSeen = appends;
        measuredAtNanos = now;
        long measuredAt = clock.millis();
        Long oldest = oldestUnsent();
        if (oldest == null) {
            idle = false;
            return;
        }
        Map<Integer, Long> endOffsets = endOffsets();
        if (endOffsets == null) {
            idle = false;
            return;
        }
        idle = oldest == 0 && endOffsets.equals(lastEndOffsets);
        lastEndOffsets = endOffsets;
        checkpoints.add(oldest == 0 ? measuredAt : Math.min(oldest, measuredAt), endOffsets);
        checkpointsTaken++;
    }

    /** 0 when nothing is unsent, null when a database cannot be read. */
    private Long oldestUnsent() {
        long oldest = 0;
        try {
            for (String database : databases.databaseNames()) {
                long unsent = databases.onMaster(database, c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                                    "SELECT MIN(created_at) FROM member_outbox WHERE sent_at IS NULL");
                            ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getLong(1) : 0L;
                    }
                });
                if (unsent > 0) oldest = oldest == 0 ? unsent : Math.min(oldest, unsent);
            }
            oldestUnsentMillis = oldest;
            known = true;
            return oldest;
        } catch (StoreUnavailableException e) {
            known = false;
            return null;
        }
    }

    private Map<Integer, Long> endOffsets() {
        try {
            if (partitions.isEmpty()) {
                TopicDescription description = kafka.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get(KAFKA_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                        .get(topic);
                partitions = description.partitions().stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            Map<Integer, Long> ends = new HashMap<>();
            kafka.listOffsets(latest)
                    .all()
                    .get(KAFKA_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .forEach((partition, info) -> ends.put(partition.partition(), info.offset()));
            return ends;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
