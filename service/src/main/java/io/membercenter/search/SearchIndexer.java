package io.membercenter.search;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies member changes from Kafka to one search cluster, as its own consumer group so each
 * cluster keeps its own position and can lag, stop, or be rebuilt without touching the others.
 * Every document is written with {@code version_type=external} and the member's version: replays,
 * duplicates and reordering are refused by the cluster (409), never applied. Offsets are committed
 * only after the bulk request succeeded, so a crash or an unreachable cluster means re-applying,
 * which the versions make harmless.
 */
final class SearchIndexer {

    private static final Logger log = LoggerFactory.getLogger(SearchIndexer.class);

    /** How long after its offsets were committed an applied change becomes searchable: never later (wait_for). */
    static final Duration VISIBLE_AFTER_APPLIED = Duration.ZERO;

    private final SearchCluster cluster;
    private final SearchIndexes indexes;
    private final String bootstrap;
    private final String topic;
    private final JsonMapper json;
    private final Clock clock;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong changesBehind = new AtomicLong();
    private final AtomicLong lastAppliedPublishMillis = new AtomicLong();
    private final AtomicLong oldestInHandPublishMillis = new AtomicLong();
    private volatile long bulkDelayMillis;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile Thread loop;
    private volatile boolean running;

    SearchIndexer(
            SearchCluster cluster,
            SearchIndexes indexes,
            String bootstrap,
            String topic,
            JsonMapper json,
            Clock clock) {
        this.cluster = cluster;
        this.indexes = indexes;
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.json = json;
        this.clock = clock;
    }

    /** The Kafka consumer group of a cluster's indexers, shared by every service instance. */
    static String consumerGroup(String cluster) {
        return "member-center-indexer-" + cluster;
    }

    public String cluster() {
        return cluster.name();
    }

    public synchronized void start() {
        if (running) return;
        running = true;
        loop = Thread.ofPlatform().daemon().name("indexer-" + cluster.name()).start(this::indexForever);
    }

    /** Stops consuming; the group's committed position stays where it was. */
    public synchronized void stop() {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) current.wakeup();
        if (loop != null) {
            try {
                loop.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Fault injection: every bulk request waits this long before it is sent, as on a cluster that
     * indexes slowly (0 switches it off). For the tests and the fault-injection runs that prove
     * lookups never trust a cluster still indexing an acknowledged change.
     */
    public void delayEachBulk(Duration delay) {
        bulkDelayMillis = delay.toMillis();
    }

    public boolean isRunning() {
        return running;
    }

    public long applied() {
        return applied.get();
    }

    /** Changes published to Kafka and not yet applied to this cluster. */
    public long changesBehind() {
        return changesBehind.get();
    }

    /**
     * Roughly the age of the oldest change not yet applied (of the batch in hand, else since the last
     * one applied was published): a metric. Whether a cluster may answer lookups is decided from
     * committed offsets instead ({@link SearchFreshness}), which cannot read "caught up" too early.
     */
    public double secondsBehind() {
        if (changesBehind.get() == 0) return 0;
        long inHand = oldestInHandPublishMillis.get();
        long since = inHand != 0 ? inHand : lastAppliedPublishMillis.get();
        return since == 0 ? 0 : Math.max(0, clock.millis() - since) / 1000.0;
    }

    private static long oldestPublish(ConsumerRecords<String, String> records) {
        long oldest = Long.MAX_VALUE;
        for (ConsumerRecord<String, String> record : records) oldest = Math.min(oldest, record.timestamp());
        return oldest;
    }

    private void indexForever() {
        while (running) {
            try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerConfig())) {
                consumer = kafka;
                indexes.ensure(cluster);
                kafka.subscribe(List.of(topic));
                while (running) {
                    ConsumerRecords<String, String> records = kafka.poll(Duration.ofMillis(200));
                    if (!records.isEmpty()) {
                        // Fetched is not applied: the metrics count the batch in hand until it is indexed.
                        oldestInHandPublishMillis.set(oldestPublish(records));
                        changesBehind.set(records.count() + lag(kafka));
                        applyOrRewind(kafka, records);
                        oldestInHandPublishMillis.set(0);
                    }
                    changesBehind.set(lag(kafka));
                }
            } catch (WakeupException e) {
                // stop() was called
            } catch (RuntimeException e) {
                if (!running) break;
                log.warn("event=indexer_restart cluster={} reason={}", cluster.name(), e.toString());
                pause(1_000);
            } finally {
                consumer = null;
            }
        }
    }

    private void applyOrRewind(KafkaConsumer<String, String> kafka, ConsumerRecords<String, String> records) {
        try {
            apply(records);
            kafka.commitSync(nextOffsets(records));
        } catch (SearchUnavailableException | IllegalStateException e) {
            log.warn("event=indexer_retry cluster={} reason={}", cluster.name(), e.getMessage());
            for (TopicPartition partition : records.partitions()) {
                kafka.seek(partition, records.records(partition).getFirst().offset());
            }
            pause(1_000);
        }
    }

    private void apply(ConsumerRecords<String, String> records) {
        StringBuilder bulk = new StringBuilder();
        long newestPublish = 0;
        for (ConsumerRecord<String, String> record : records) {
            appendChange(bulk, MemberChange.fromJson(record.value()));
            // The publish time Kafka stamped, not the member's updatedAt: a migrated member's change carries
            // an old updatedAt and would make a caught-up indexer look a year behind.
            newestPublish = Math.max(newestPublish, record.timestamp());
        }
        if (bulkDelayMillis > 0) pause(bulkDelayMillis);
        // wait_for: the answer comes once a refresh made the documents searchable, so the offsets committed
        // after it say "searchable", which SearchFreshness builds lookups' freshness on.
        SearchCluster.Answer answer = cluster.send("POST", "/_bulk?refresh=wait_for", bulk.toString());
        if (!answer.ok()) {
            throw new IllegalStateException("bulk refused with status " + answer.status());
        }
        for (JsonNode item : answer.body().path("items")) {
            JsonNode result = item.values().iterator().next();
            int status = result.path("status").asInt();
            // 409: a newer (or the same) version is already there; 404: a delete of a hint that never existed.
            if (status >= 300 && status != 409 && status != 404) {
                throw new IllegalStateException(
                        "bulk item failed: " + result.path("error").path("type").asString());
            }
        }
        applied.addAndGet(records.count());
        lastAppliedPublishMillis.set(newestPublish);
    }

    /**
     * The bulk lines of one change: its member document, a lookup document per identifier it holds
     * (id {@code <identifier>:<memberId>}, routed by the identifier so a lookup reads one shard) and a
     * delete per identifier it removed, all at the member's version.
     */
    void appendChange(StringBuilder bulk, MemberChange change) {
        String memberId = Long.toString(change.memberId());
        long version = change.version();
        action(bulk, "index", SearchIndexes.MEMBERS, memberId, null, version);
        bulk.append(json.writeValueAsString(MemberDocument.of(change))).append('\n');
        for (IdentifierKey identifier : change.identifiers()) {
            IdentifierDocument document = IdentifierDocument.of(identifier, change.memberId(), version);
            action(
                    bulk,
                    "index",
                    SearchIndexes.IDENTIFIERS,
                    IdentifierDocument.id(identifier, change.memberId()),
                    document.key(),
                    version);
            bulk.append(json.writeValueAsString(document)).append('\n');
        }
        for (IdentifierKey identifier : change.removedIdentifiers()) {
            action(
                    bulk,
                    "delete",
                    SearchIndexes.IDENTIFIERS,
                    IdentifierDocument.id(identifier, change.memberId()),
                    identifier.searchKey(),
                    version);
        }
    }

    private void action(StringBuilder bulk, String action, String index, String id, String routing, long version) {
        Map<String, Object> meta = new HashMap<>();
        meta.put("_index", index);
        meta.put("_id", id);
        if (routing != null) meta.put("routing", routing);
        meta.put("version", version);
        meta.put("version_type", "external");
        bulk.append(json.writeValueAsString(Map.of(action, meta))).append('\n');
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            offsets.put(
                    partition,
                    new OffsetAndMetadata(records.records(partition).getLast().offset() + 1));
        }
        return offsets;
    }

    private static long lag(KafkaConsumer<String, String> kafka) {
        long behind = 0;
        for (TopicPartition partition : kafka.assignment()) {
            behind += kafka.currentLag(partition).orElse(0);
        }
        return behind;
    }

    private Properties consumerConfig() {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup(cluster.name()));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1_000);
        // An idle fetch waits on the broker this long (default 500 ms) before it answers empty; a change ends the
        // wait at once (fetch.min.bytes is 1), so this costs no latency — only fewer empty fetches at rest (issue 14).
        config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 2_000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return config;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
