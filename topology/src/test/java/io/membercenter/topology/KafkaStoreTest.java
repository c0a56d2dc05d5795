package io.membercenter.topology;

import static io.membercenter.topology.LocalTopology.KAFKA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Kafka broker, alone in a topology of its own, driven by a real Kafka client. */
class KafkaStoreTest {

    private static final Duration RECEIVE_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final TopologyExtension broker = TopologyExtension.ofKinds(Path.of("target", "test-kafka"), StoreKind.MQ);

    private final LocalTopology topology = broker.topology();

    @Test
    void storeDescribesOneBroker() {
        assertThat(topology.stores())
                .extracting(StoreInfo::name, StoreInfo::kind, StoreInfo::dataCenter, StoreInfo::role, StoreInfo::up)
                .containsExactly(tuple(KAFKA, StoreKind.MQ, "A", "broker", true));
        assertThat(topology.kafkaBootstrap())
                .isEqualTo("127.0.0.1:" + topology.store(KAFKA).port());
    }

    @Test
    void recordsAreConsumedBeforeAndAfterARestartOnTheSamePort() throws Exception {
        String topic = "probe-" + UUID.randomUUID();
        int port = topology.store(KAFKA).port();
        send(topic, "before the restart");
        assertThat(receive(topic, 1)).containsExactly("before the restart");

        topology.stop(KAFKA);
        assertThat(topology.isUp(KAFKA)).isFalse();
        assertThat(KafkaMetadataProbe.brokerIsServing("127.0.0.1", port)).isFalse();
        topology.start(KAFKA);

        assertThat(topology.store(KAFKA).port()).isEqualTo(port);
        assertThat(brokerArguments())
                .as("a stopped broker has published its class-data archive, if there was none")
                .anyMatch(argument -> argument.startsWith("-XX:SharedArchiveFile="));
        send(topic, "after the restart");
        assertThat(receive(topic, 2)).containsExactly("before the restart", "after the restart");
    }

    /** Transactions need the transaction state topic, which a single broker can only hold with replication 1. */
    @Test
    void transactionalRecordsAreCommitted() {
        String topic = "tx-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "tx-probe")))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "committed"));
            producer.commitTransaction();
        }

        assertThat(receive(topic, 1)).containsExactly("committed");
    }

    private List<String> brokerArguments() {
        return ProcessHandle.of(topology.server(KAFKA).pid().orElseThrow())
                .flatMap(process -> process.info().arguments())
                .map(List::of)
                .orElseThrow();
    }

    private void send(String topic, String value) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(Map.of()))) {
            producer.send(new ProducerRecord<>(topic, value)).get(RECEIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Through a consumer group, so the group coordinator's offsets topic is exercised too. */
    private List<String> receive(String topic, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                topology.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + RECEIVE_TIMEOUT.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    private Map<String, Object> producerConfig(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                topology.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class));
        config.putAll(extra);
        return config;
    }
}
