package io.membercenter.migration;

import io.membercenter.member.Member;
import io.membercenter.member.MemberImport;
import io.membercenter.replication.MemberChange;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dual write: member-center's committed member changes written back to the legacy store, so the old system's
 * readers keep seeing every member while reads move over.
 *
 * <h2>Why from the change stream, not from the request</h2>
 * A change reaches Kafka if and only if it was committed (the outbox, in the committing transaction), so reading
 * the stream loses no acknowledged write and adds nothing to the write path: a member write is acknowledged
 * whether the legacy store is up or not. Kafka keeps one member's changes in order (keyed by member id), and
 * every change carries the whole member, so writing each as it comes leaves the legacy row at the member's
 * latest state. Each switch-on is a consumer group of its own ({@code member-center-dual-write-<since>}), read
 * from the records published since the switch-on ({@link #READ_BEFORE}), so a new switch-on never replays an old
 * one's backlog; every instance joins it, Kafka splits the partitions.
 *
 * <h2>Retry, failure log, repair</h2>
 * A write is tried twice; when both fail, the member is logged as owed in the home database
 * ({@code migration_dual_write_failure}, V9: id and newest version, no values) and the stream goes on; for
 * {@link #LEGACY_DOWN} after a failure the legacy store is taken for down and changes go to the log directly. The
 * offsets are committed only once each change of the batch is written or logged: if the log itself cannot be
 * written the batch is read again. Once a second the repair job writes every owed member's current state (read on
 * its master) and clears the entry up to that version; it stops at the first failure.
 *
 * <h2>Why nothing loops</h2>
 * {@link LegacySource#writeBack} writes nothing when the row already holds the version or a newer one, or already
 * maps to the member ({@link LegacyMapping#mapsTo}: a change that came from the legacy store through the
 * incremental sync); a row it wrote is marked, and the incremental sync skips marked rows
 * ({@link LegacySource#writtenBack}). So a change goes member-center -> legacy once, and legacy -> member-center ->
 * legacy stops at the equality check.
 */
final class DualWrite {

    private static final Logger log = LoggerFactory.getLogger(DualWrite.class);

    /**
     * How far before the switch-on the stream is read. A change committed after the switch-on is published after it
     * (the relay stamps the record when it sends), so this covers only the clocks of two instances (the one that
     * took the step, the one whose relay published) being apart; older changes are from before the dual write.
     */
    static final Duration READ_BEFORE = Duration.ofSeconds(2);

    /** How long the legacy store is taken for down after a write failed twice. */
    static final Duration LEGACY_DOWN = Duration.ofSeconds(2);

    private static final int REPAIR_BATCH = 200;

    record Counts(boolean running, long written, long unchanged, long failed, long repaired) {}

    private final LegacySource legacy;
    private final LegacyMapping mapping;
    private final MemberImport members;
    private final MigrationLedger ledger;
    private final String bootstrap;
    private final String topic;
    private final Clock clock;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong unchanged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong repaired = new AtomicLong();
    private volatile long legacyDownUntilNanos = System.nanoTime();
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile boolean consuming;
    private Thread loop;

    DualWrite(
            LegacySource legacy,
            LegacyMapping mapping,
            MemberImport members,
            MigrationLedger ledger,
            String bootstrap,
            String topic,
            Clock clock) {
        this.legacy = legacy;
        this.mapping = mapping;
        this.members = members;
        this.ledger = ledger;
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.clock = clock;
    }

    /** The consumer group of one switch-on. */
    static String consumerGroup(long sinceWallMillis) {
        return "member-center-dual-write-" + sinceWallMillis;
    }

    /** Starts watching the ledger; the stream is read only while the dual write is switched on there. */
    synchronized void start() {
        if (running) return;
        running = true;
        loop = Thread.ofPlatform().daemon().name("dual-write").start(this::runForever);
    }

    synchronized void stop() {
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

    Counts counts() {
        return new Counts(consuming, written.get(), unchanged.get(), failed.get(), repaired.get());
    }

    private void runForever() {
        while (running) {
            long since;
            try {
                since = ledger.run().dualWriteSince();
            } catch (RuntimeException homeDown) {
                pause(1_000);
                continue;
            }
            if (since == 0) {
                pause(500);
                continue;
            }
            consume(since);
        }
    }

    /** Reads the stream of the switch-on at {@code since} until it is switched off (or on again, anew). */
    private void consume(long since) {
        try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(consumerConfig(since))) {
            consumer = kafka;
            kafka.subscribe(List.of(topic), new FromSwitchOn(kafka, since));
            consuming = true;
            long nextLook = 0;
            while (running) {
                if (System.nanoTime() >= nextLook) {
                    if (ledger.run().dualWriteSince() != since) return;
                    repairOwed();
                    commitPositions(kafka);
                    nextLook = System.nanoTime() + 1_000_000_000L;
                }
                ConsumerRecords<String, String> records = kafka.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) writeOrRewind(kafka, records);
            }
        } catch (WakeupException e) {
            // stop() was called
        } catch (RuntimeException e) {
            if (running) {
                log.warn("event=dual_write_restart reason={}", e.getClass().getSimpleName());
                pause(1_000);
            }
        } finally {
            consuming = false;
            consumer = null;
        }
    }

    private void writeOrRewind(KafkaConsumer<String, String> kafka, ConsumerRecords<String, String> records) {
        try {
            boolean owed = ledger.dualWriteOwedCount() > 0;
            for (ConsumerRecord<String, String> record : records) {
                Optional<Member> member = memberOf(record);
                owed |= member.isPresent() ? writeOrLog(member.get(), owed) : logUnreadable(record);
            }
            Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
            for (TopicPartition partition : records.partitions()) {
                next.put(
                        partition,
                        new OffsetAndMetadata(
                                records.records(partition).getLast().offset() + 1));
            }
            kafka.commitSync(next);
        } catch (WakeupException e) {
            throw e;
        } catch (RuntimeException e) {
            // the failure log could not be written (the home database): read the batch again, nothing is lost
            log.warn("event=dual_write_retry reason={}", e.getClass().getSimpleName());
            for (TopicPartition partition : records.partitions()) {
                kafka.seek(partition, records.records(partition).getFirst().offset());
            }
            pause(1_000);
        }
    }

    /**
     * Commits the position of every assigned partition, those without a record since the switch-on too: everything
     * before a position is written or logged, and a group whose offsets cover every partition is one
     * {@code ReplicationProgress} can say has applied every change committed before a time (what a rollback waits
     * for).
     */
    private static void commitPositions(KafkaConsumer<String, String> kafka) {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition partition : kafka.assignment()) {
            positions.put(partition, new OffsetAndMetadata(kafka.position(partition)));
        }
        if (!positions.isEmpty()) kafka.commitSync(positions);
    }

    /**
     * The member a record carries; empty when it cannot be read (a newer writer's level, say): the stream must not
     * stop on one record, so that member is logged as owed and the repair job writes its current state.
     */
    private static Optional<Member> memberOf(ConsumerRecord<String, String> record) {
        try {
            return Optional.of(Member.of(MemberChange.fromJson(record.value())));
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private boolean logUnreadable(ConsumerRecord<String, String> record) {
        try {
            logOwed(Long.parseLong(record.key()), 0, "unreadable change");
        } catch (NumberFormatException e) {
            log.warn("event=dual_write_unreadable_record offset={}", record.offset());
        }
        return true;
    }

    /** Writes the member back, or logs it as owed; true when it was logged. */
    private boolean writeOrLog(Member member, boolean owed) {
        if (legacyDown()) {
            logOwed(member.memberId(), member.version(), "the legacy store is down");
            return true;
        }
        try {
            writeWithRetry(member);
            if (owed) ledger.dualWriteRepaired(member.memberId(), member.version());
            return false;
        } catch (RuntimeException e) {
            logOwed(member.memberId(), member.version(), reason(e));
            return true;
        }
    }

    /** Once a second: every owed member's current state written, its entry cleared; stops at the first failure. */
    private void repairOwed() {
        long after = 0;
        while (!legacyDown()) {
            List<MigrationLedger.Owed> owed = ledger.dualWriteOwed(after, REPAIR_BATCH);
            if (owed.isEmpty()) return;
            for (MigrationLedger.Owed entry : owed) {
                Optional<Member> member = members.find(entry.memberId());
                try {
                    member.ifPresent(this::writeWithRetry);
                } catch (RuntimeException e) {
                    logOwed(entry.memberId(), entry.version(), reason(e));
                    return;
                }
                // no live member: nothing the legacy store could be owed
                ledger.dualWriteRepaired(
                        entry.memberId(), member.map(Member::version).orElse(Long.MAX_VALUE));
                repaired.incrementAndGet();
                after = entry.memberId();
            }
        }
    }

    private void writeWithRetry(Member member) {
        LegacyMember row = LegacyMapping.toLegacy(member);
        for (int attempt = 1; ; attempt++) {
            try {
                boolean wrote = legacy.writeBack(row, member.version(), current -> mapping.mapsTo(current, member));
                (wrote ? written : unchanged).incrementAndGet();
                return;
            } catch (LegacySource.UnavailableException e) {
                if (attempt == 2) {
                    legacyDownUntilNanos = System.nanoTime() + LEGACY_DOWN.toNanos();
                    throw e;
                }
                pause(200);
            }
        }
    }

    private void logOwed(long memberId, long version, String reason) {
        ledger.dualWriteFailed(memberId, version, reason, clock.millis());
        failed.incrementAndGet();
    }

    /** Whether a write failed twice within {@link #LEGACY_DOWN}: the operator's status then does not ask it. */
    boolean legacyDown() {
        return System.nanoTime() < legacyDownUntilNanos;
    }

    /** The kind of failure and the store's SQL state, never a value. */
    private static String reason(RuntimeException e) {
        return e instanceof LegacySource.UnavailableException
                ? e.getMessage()
                : e.getClass().getSimpleName();
    }

    /** A partition the group has no offset for is read from {@link #READ_BEFORE} the switch-on, else its end. */
    private record FromSwitchOn(KafkaConsumer<String, String> kafka, long since) implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.committed(Set.copyOf(partitions));
            Map<TopicPartition, Long> from = new HashMap<>();
            for (TopicPartition partition : partitions) {
                if (committed.get(partition) == null) from.put(partition, since - READ_BEFORE.toMillis());
            }
            if (from.isEmpty()) return;
            Map<TopicPartition, OffsetAndTimestamp> found = kafka.offsetsForTimes(from);
            Map<TopicPartition, Long> ends = kafka.endOffsets(from.keySet());
            for (TopicPartition partition : from.keySet()) {
                OffsetAndTimestamp at = found.get(partition);
                kafka.seek(partition, at == null ? ends.get(partition) : at.offset());
            }
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // offsets are committed after each batch; nothing is held
        }
    }

    private Properties consumerConfig(long since) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, consumerGroup(since));
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return config;
    }

    private static void pause(long millis) {
        LockSupport.parkNanos(millis * 1_000_000L);
    }
}
