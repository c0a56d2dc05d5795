package io.membercenter.replication;

import io.membercenter.degradation.BreakerState;
import io.membercenter.degradation.DependencyBreaker;
import io.membercenter.shard.ShardedDatabases;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publishes unsent outbox rows to Kafka, one relay loop per physical database. */
final class OutboxRelay {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    /** One unsent outbox row. */
    record Row(long id, long memberId, long version, String payload) {}

    private final ShardedDatabases databases;
    private final KafkaProducer<String, String> producer;
    private final Admin admin;
    private final ReplicationProperties properties;
    private final Clock clock;
    private final Map<String, Thread> loops = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private volatile boolean running;
    private volatile boolean crashAfterNextPublish;
    private final DependencyBreaker kafka;

    OutboxRelay(
            ShardedDatabases databases,
            KafkaProducer<String, String> producer,
            Admin admin,
            ReplicationProperties properties,
            Clock clock,
            DependencyBreaker kafka) {
        this.kafka = kafka;
        this.admin = admin;
        this.databases = databases;
        this.producer = producer;
        this.properties = properties;
        this.clock = clock;
    }

    public synchronized void start() {
        if (running) return;
        running = true;
        for (String database : databases.databaseNames()) {
            loops.put(
                    database,
                    Thread.ofVirtual().name("outbox-relay-" + database).start(() -> relayForever(database)));
        }
        log.info("event=outbox_relay_started databases={}", databases.databaseNames());
    }

    /** Stops publishing (as a crashed or stopped service would); unsent rows wait in the outbox. */
    public synchronized void stop() {
        running = false;
        loops.values().forEach(Thread::interrupt);
        for (Thread loop : loops.values()) {
            try {
                loop.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        loops.clear();
    }

    public boolean isRunning() {
        return running;
    }

    public long published() {
        return published.get();
    }

    /** For tests: the next batch is published and then the relay dies before marking it sent. */
    public void crashAfterNextPublish() {
        crashAfterNextPublish = true;
    }

    private void relayForever(String database) {
        while (running) {
            try {
                databases.onMasterSession(database, connection -> {
                    relayWhileLeader(database, connection);
                    return null;
                });
            } catch (RuntimeException e) {
                if (running) {
                    log.warn(
                            "event=outbox_relay_retry database={} reason={}",
                            database,
                            e.getClass().getSimpleName());
                }
            }
            sleep(1_000);
        }
    }

    /**
     * The named lock makes this connection the database's only relay. It belongs to the session, not
     * the borrow: it is released before the connection goes back to the pool, or a pooled connection
     * would keep the lock and no relay could lead again.
     */
    private void relayWhileLeader(String database, Connection connection) throws SQLException {
        String lockName = "member-outbox-relay:" + database;
        if (!lock(connection, lockName)) {
            probeKafkaWhileNotClosed();
            return;
        }
        try {
            relayAsLeader(connection);
        } finally {
            release(connection, lockName);
        }
    }

    /**
     * A relay that does not lead makes no call to Kafka — the relay is this instance's only caller — so a breaker
     * opened while it led stayed open however long Kafka had been back, and the instance reported Kafka down
     * (DependencyOutageTest's resumed Kafka, twice in the CI of stop 24: another instance's relay took the lead after
     * the resume). While the breaker is not closed, a round trip to the cluster through it lets it see Kafka answer.
     */
    private void probeKafkaWhileNotClosed() {
        if (kafka.state() == BreakerState.CLOSED) return;
        try {
            kafka.call(
                    () -> admin.describeCluster()
                            .clusterId()
                            .get(properties.producerRequestTimeout().toMillis(), TimeUnit.MILLISECONDS),
                    failure -> true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception stillAway) {
            // counted by the breaker; probed again on the next round
        }
    }

    /**
     * While the outbox stays empty the wait between looks doubles from {@code poll-interval} up to
     * {@code idle-poll-interval}; an append in this JVM ({@link OutboxSignal}) or a row found brings it back to the
     * fast interval at once, so a write after a quiet spell is published as soon as before.
     */
    private void relayAsLeader(Connection connection) throws SQLException {
        long nextPurgeAt = clock.millis();
        long wait = properties.pollInterval().toMillis();
        while (running) {
            if (clock.millis() >= nextPurgeAt) { // the leader purges: one purger per database
                purgeSent(connection);
                nextPurgeAt = clock.millis() + properties.outboxPurgeInterval().toMillis();
            }
            long seen = OutboxSignal.count();
            List<Row> rows = unsent(connection);
            if (rows.isEmpty()) {
                wait = awaitAppend(seen, wait)
                        ? properties.pollInterval().toMillis()
                        : Math.min(wait * 2, properties.idlePollInterval().toMillis());
                continue;
            }
            wait = properties.pollInterval().toMillis();
            // Through Kafka's breaker: while it is open the batch stays unsent and the relay retries later.
            kafka.call(
                    () -> {
                        publish(rows);
                        return null;
                    },
                    failure -> true);
            if (crashAfterNextPublish) {
                crashAfterNextPublish = false;
                throw new IllegalStateException("simulated relay crash after publish");
            }
            markSent(connection, rows);
        }
    }

    private void publish(List<Row> rows) {
        List<Future<?>> acks = new ArrayList<>(rows.size());
        for (Row row : rows) {
            // No record timestamp of ours: Kafka then stamps the send time. Retention deletes by record time,
            // so a change stamped with an old time (a migrated member, a relay back from a long outage) could
            // be expired before every indexer has read it.
            ProducerRecord<String, String> record =
                    new ProducerRecord<>(properties.topic(), null, null, Long.toString(row.memberId()), row.payload());
            record.headers()
                    .add(new RecordHeader(
                            "version", Long.toString(row.version()).getBytes()));
            acks.add(producer.send(record));
        }
        // Bounded, not flush() and get(): after a hung broker resumed (SIGCONT) a relay once waited over a minute
        // there (DependencyOutageTest, CI of 7b45b3d), holding Kafka's breaker half-open. The producer expires a
        // record after its delivery timeout anyway; a second more is the relay's own deadline, after which the batch
        // stays unsent and is published again (indexers apply a change once, by version).
        long deadline = System.nanoTime()
                + properties.producerDeliveryTimeout().plusSeconds(1).toNanos();
        for (Future<?> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("Kafka did not acknowledge a change in time; it stays unsent", e);
            } catch (Exception e) {
                throw new IllegalStateException("Kafka did not acknowledge a change; it stays unsent", e);
            }
        }
        published.addAndGet(rows.size());
    }

    private List<Row> unsent(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT id, member_id, version, payload "
                + "FROM member_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?")) {
            ps.setInt(1, properties.batchSize());
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4)));
                }
            }
            return rows;
        }
    }

    /**
     * By exact ids: a row with an id inside the published range may have committed after the read
     * (ids are taken at insert, not at commit), and must stay unsent until it is published.
     */
    private void markSent(Connection connection, List<Row> rows) throws SQLException {
        String ids = String.join(",", java.util.Collections.nCopies(rows.size(), "?"));
        try (PreparedStatement ps =
                connection.prepareStatement("UPDATE member_outbox SET sent_at = ? WHERE id IN (" + ids + ")")) {
            ps.setLong(1, clock.millis());
            for (int i = 0; i < rows.size(); i++) ps.setLong(i + 2, rows.get(i).id());
            ps.executeUpdate();
        }
    }

    /** Purges, on every database, the sent rows older than the retention; answers how many. */
    long purgeSent() {
        long purged = 0;
        for (String database : databases.databaseNames()) {
            purged += databases.onMaster(database, this::purgeSent);
        }
        return purged;
    }

    /**
     * Deletes sent rows older than the retention, {@code outboxPurgeBatch} at a time (short statements, short
     * locks). Rows with {@code sent_at IS NULL} never match: an unsent change is never purged, however old.
     */
    private long purgeSent(Connection connection) throws SQLException {
        long cutoff = clock.millis() - properties.outboxRetention().toMillis();
        long purged = 0;
        try (PreparedStatement ps = connection.prepareStatement(
                "DELETE FROM member_outbox WHERE sent_at IS NOT NULL AND sent_at < ? LIMIT ?")) {
            ps.setLong(1, cutoff);
            ps.setInt(2, properties.outboxPurgeBatch());
            int deleted;
            do {
                deleted = ps.executeUpdate();
                purged += deleted;
            } while (deleted == properties.outboxPurgeBatch());
        }
        if (purged > 0) log.info("event=outbox_purged rows={} retention={}", purged, properties.outboxRetention());
        return purged;
    }

    private static void release(Connection connection, String name) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT RELEASE_LOCK(?)")) {
            ps.setString(1, name);
            ps.executeQuery().close();
        } catch (SQLException e) {
            // the connection is broken: the server released the lock with the session
        }
    }

    private static boolean lock(Connection connection, String name) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT GET_LOCK(?, 1)")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 1;
            }
        }
    }

    /** Waits up to {@code millis} for an append after {@code seen}; true when one came (the next look is soon). */
    private boolean awaitAppend(long seen, long millis) {
        try {
            return OutboxSignal.awaitAfter(seen, millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = running && !Thread.currentThread().isInterrupted();
            return false;
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = running && !Thread.currentThread().isInterrupted();
        }
    }
}
