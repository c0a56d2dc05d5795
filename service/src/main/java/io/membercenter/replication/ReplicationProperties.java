package io.membercenter.replication;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param kafkaBootstrap Kafka bootstrap servers; blank switches change capture off (rows stay in
 *     the outbox until it is on)
 * @param topic the topic of member changes
 * @param partitions partitions of the topic when the service creates it
 * @param replicationFactor replication factor of the topic when the service creates it
 * @param pollInterval how long an idle relay waits before looking at the outbox again
 * @param batchSize rows a relay publishes per round
 * @param outboxRetention how long a sent outbox row is kept (for replays and audits by hand) before the relay
 *     purges it; unsent rows are never purged
 * @param outboxPurgeInterval how often each database's relay purges sent rows older than the retention
 * @param outboxPurgeBatch rows deleted per statement, so a purge never holds long locks on the outbox
 */
@ConfigurationProperties("member-center.replication")
public record ReplicationProperties(
        String kafkaBootstrap,
        @DefaultValue("member-changes") String topic,
        @DefaultValue("12") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("20ms") Duration pollInterval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("7d") Duration outboxRetention,
        @DefaultValue("1m") Duration outboxPurgeInterval,
        @DefaultValue("1000") int outboxPurgeBatch) {

    public ReplicationProperties {
        kafkaBootstrap = kafkaBootstrap == null ? "" : kafkaBootstrap.trim();
        if (outboxRetention == null || outboxRetention.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalStateException(
                    "member-center.replication.outbox-retention must be at least 1m, got " + outboxRetention);
        }
        if (outboxPurgeInterval == null || outboxPurgeInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalStateException(
                    "member-center.replication.outbox-purge-interval must be at least 1s, got " + outboxPurgeInterval);
        }
        if (outboxPurgeBatch < 1 || outboxPurgeBatch > 100_000) {
            throw new IllegalStateException(
                    "member-center.replication.outbox-purge-batch must be 1-100000, got " + outboxPurgeBatch);
        }
    }

    /** Whether change capture is on (a Kafka bootstrap is configured). */
    public boolean kafkaConfigured() {
        return !kafkaBootstrap.isEmpty();
    }
}
