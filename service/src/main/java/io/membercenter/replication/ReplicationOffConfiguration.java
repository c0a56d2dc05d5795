package io.membercenter.replication;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Change capture off (no Kafka bootstrap; the complement of {@link ReplicationConfiguration}'s
 * condition): committed changes stay in the outbox, and {@link ReplicationProgress#off()} tells
 * search that nothing is known to be applied, so lookups are answered by MySQL.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${member-center.replication.kafka-bootstrap:}'.trim().length() == 0")
class ReplicationOffConfiguration {

    @Bean
    ReplicationProgress replicationProgress() {
        return ReplicationProgress.off();
    }
}
