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
 */
@ConfigurationProperties("member-center.replication")
public record ReplicationProperties(
        String kafkaBootstrap,
        @DefaultValue("member-changes") String topic,
        @DefaultValue("12") int partitions,
        @DefaultValue("1") short replicationFactor,
        @DefaultValue("20ms") Duration pollInterval,
        @DefaultValue("500") int batchSize) {

    public ReplicationProperties {
        kafkaBootstrap = kafkaBootstrap == null ? "" : kafkaBootstrap.trim();
    }

    /** Whether change capture is on (a Kafka bootstrap is configured). */
    public boolean kafkaConfigured() {
        return !kafkaBootstrap.isEmpty();
    }
}
