package io.membercenter.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param kafkaBootstrap Kafka bootstrap servers; blank switches change capture off (rows stay in
 *     the outbox until it is on)
 * @param topic the topic of member changes
 * @param partitions partitions of the topic when the service creates it
 * @param replicationFactor replication factor of the topic when the service creates it
 * @param pollInterval how long a relay waits before looking at the outbox again after it found it empty, while
 *     changes come
 * @param idlePollInterval the longest a relay and the replication checkpoints wait while nothing changes (the relay's
 *     wait doubles up to it; an append in this JVM ends the wait at once). At most 500ms: a cluster is fresh only
 *     while its newest proven checkpoint is younger than marker-ttl (2 s), and an idle checkpoint may be this old
 * @param batchSize rows a relay publishes per round
 * @param outboxRetention how long a sent outbox row is kept (for replays and audits by hand) before the relay
 *     purges it; unsent rows are never purged
 * @param outboxPurgeInterval how often each database's relay purges sent rows older than the retention
 * @param outboxPurgeBatch rows deleted per statement, so a purge never holds long locks on the outbox
 * @param producerMaxBlock longest a send waits for metadata or buffer space ({@code max.block.ms})
 * @param producerRequestTimeout longest wait for a broker's answer to one produce request
 * @param producerDeliveryTimeout longest a change may take to be acknowledged, retries included; at least
 *     request timeout plus linger (Kafka refuses to start otherwise)
 * @param adminRequestTimeout longest wait for one answer of the admin client (replication checkpoints)
 * @param adminApiTimeout longest one admin call may take, retries included
 */
@ConfigurationProperties("member-center.replication")
public record ReplicationProperties(
        String kafkaBootstrap,
        @DefaultValue("member-changes") String topic,
        @DefaultValue("12") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("20ms") Duration pollInterval,
        @DefaultValue("250ms") Duration idlePollInterval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("7d") Duration outboxRetention,
        @DefaultValue("1m") Duration outboxPurgeInterval,
        @DefaultValue("1000") int outboxPurgeBatch,
        @DefaultValue("5s") Duration producerMaxBlock,
        @DefaultValue("5s") Duration producerRequestTimeout,
        @DefaultValue("15s") Duration producerDeliveryTimeout,
        @DefaultValue("1s") Duration adminRequestTimeout,
        @DefaultValue("2s") Duration adminApiTimeout) {

    /** Linger of the producer (ms); part of the delivery-timeout check. */
    static final int LINGER_MS = 2;

    public ReplicationProperties {
        kafkaBootstrap = kafkaBootstrap == null ? "" : kafkaBootstrap.trim();
        List<String> problems = new ArrayList<>();
        for (Duration timeout : List.of(
                producerMaxBlock,
                producerRequestTimeout,
                producerDeliveryTimeout,
                adminRequestTimeout,
                adminApiTimeout)) {
            if (timeout.compareTo(Duration.ofMillis(100)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                problems.add("producer and admin timeouts must each be between 100ms and 5m (got " + timeout + ")");
            }
        }
        if (producerDeliveryTimeout.toMillis() < producerRequestTimeout.toMillis() + LINGER_MS) {
            problems.add("producer-delivery-timeout must be at least producer-request-timeout + linger");
        }
        if (adminApiTimeout.compareTo(adminRequestTimeout) < 0) {
            problems.add("admin-api-timeout must be at least admin-request-timeout");
        }
        if (outboxRetention == null || outboxRetention.compareTo(Duration.ofMinutes(1)) < 0) {
            problems.add("member-center.replication.outbox-retention must be at least 1m, got " + outboxRetention);
        }
        if (outboxPurgeInterval == null || outboxPurgeInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.add(
                    "member-center.replication.outbox-purge-interval must be at least 1s, got " + outboxPurgeInterval);
        }
        if (pollInterval == null
                || idlePollInterval == null
                || pollInterval.isNegative()
                || pollInterval.isZero()
                || idlePollInterval.compareTo(pollInterval) < 0
                || idlePollInterval.compareTo(Duration.ofMillis(500)) > 0) {
            problems.add("member-center.replication.poll-interval must be positive and idle-poll-interval between it"
                    + " and 500ms, got " + pollInterval + " and " + idlePollInterval);
        }
        if (outboxPurgeBatch < 1 || outboxPurgeBatch > 100_000) {
            problems.add("member-center.replication.outbox-purge-batch must be 1-100000, got " + outboxPurgeBatch);
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("member-center.replication is invalid: " + String.join("; ", problems));
        }
    }

    /** Whether change capture is on (a Kafka bootstrap is configured). */
    public boolean kafkaConfigured() {
        return !kafkaBootstrap.isEmpty();
    }
}
