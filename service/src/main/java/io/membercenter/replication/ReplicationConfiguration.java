package io.membercenter.replication;

import io.membercenter.degradation.Breakers;
import io.membercenter.shard.ShardedDatabases;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Change capture is on when a Kafka bootstrap is configured. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${member-center.replication.kafka-bootstrap:}'.trim().length() > 0")
class ReplicationConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReplicationConfiguration.class);

    @Bean(destroyMethod = "close")
    KafkaProducer<String, String> memberChangeProducer(ReplicationProperties properties) {
        createTopicIfMissing(properties);
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, properties.kafkaBootstrap());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, ReplicationProperties.LINGER_MS);
        // A Kafka outage must not block the relay for minutes: fail, leave rows unsent, retry.
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int)
                properties.producerMaxBlock().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int)
                properties.producerRequestTimeout().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int)
                properties.producerDeliveryTimeout().toMillis());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(config);
    }

    @Bean
    OutboxRelay outboxRelay(
            ShardedDatabases databases,
            KafkaProducer<String, String> producer,
            Admin replicationAdmin,
            ReplicationProperties properties,
            Clock clock,
            MeterRegistry meters,
            Breakers breakers) {
        OutboxRelay relay =
                new OutboxRelay(databases, producer, replicationAdmin, properties, clock, breakers.breaker("kafka"));
        meters.more().counter("member_outbox_published_total", List.of(), relay, OutboxRelay::published);
        return relay;
    }

    @Bean(destroyMethod = "close")
    Admin replicationAdmin(ReplicationProperties properties) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                properties.kafkaBootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) properties.adminRequestTimeout().toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) properties.adminApiTimeout().toMillis()));
    }

    @Bean
    ReplicationProgress replicationProgress(
            ShardedDatabases databases,
            Admin replicationAdmin,
            ReplicationProperties properties,
            Clock clock,
            MeterRegistry meters) {
        ReplicationProgress progress = new KafkaReplicationProgress(
                databases, replicationAdmin, properties.topic(), clock, properties.idlePollInterval());
        Gauge.builder("member_outbox_lag_seconds", progress, ReplicationProgress::outboxLagSeconds)
                .description("age of the oldest committed change not yet published")
                .register(meters);
        return progress;
    }

    @Bean
    SmartLifecycle outboxRelayLifecycle(OutboxRelay relay) {
        return new SmartLifecycle() {
            @Override
            public void start() {
                relay.start();
            }

            @Override
            public void stop() {
                relay.stop();
            }

            @Override
            public boolean isRunning() {
                return relay.isRunning();
            }
        };
    }

    private static void createTopicIfMissing(ReplicationProperties properties) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                properties.kafkaBootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000))) {
            admin.createTopics(List.of(
                            new NewTopic(properties.topic(), properties.partitions(), properties.replicationFactor())))
                    .all()
                    .get(15, TimeUnit.SECONDS);
            log.info("event=topic_created topic={} partitions={}", properties.topic(), properties.partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                log.warn(
                        "event=topic_not_created topic={} reason={}",
                        properties.topic(),
                        e.getCause().toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException e) {
            log.warn("event=topic_not_created topic={} reason=timeout", properties.topic());
        }
    }
}
