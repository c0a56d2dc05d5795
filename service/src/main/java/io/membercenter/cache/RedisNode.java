package io.membercenter.cache;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.membercenter.degradation.Breakers;
import io.membercenter.degradation.DependencyBreaker;
import io.membercenter.degradation.DependencyUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis and what this instance knows of its health. A failed command marks it DOWN (a read that only
 * timed out does not, see {@link #read}); once it
 * answers again it is RECOVERING for one marker TTL — it may have lost markers (a restart empties
 * it) or missed some (they were written while it was unreachable), so for that long its "no marker"
 * proves nothing — and then UP.
 */
final class RedisNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisNode.class);

    enum Health {
        UP,
        RECOVERING,
        DOWN
    }

    private final CacheProperties.RedisNode config;
    private final RedisClient client;
    private final Clock clock;
    private final Duration markerTtl;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile Health health = Health.DOWN;
    private volatile long trustedFromMillis = Long.MAX_VALUE;
    private final java.util.concurrent.ConcurrentLinkedQueue<String[][]> missedInvalidations =
            new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicInteger missedCount =
            new java.util.concurrent.atomic.AtomicInteger();
    private final int retryQueueLimit;
    private volatile boolean overflowed;
    /**
     * An invalidation decides "send it, or queue it because the node is down" under the read lock; the drain
     * ends (last replay, then the node leaves DOWN) under the write lock. Without it an invalidation that saw
     * DOWN could be queued just after the drain's last look at the queue and just before the node is trusted
     * again: never replayed, the member's old entry served until its TTL ({@code InvalidationDuringDrainTest}).
     */
    private final java.util.concurrent.locks.ReentrantReadWriteLock drainGate =
            new java.util.concurrent.locks.ReentrantReadWriteLock();

    private final DependencyBreaker breaker;

    RedisNode(CacheProperties.RedisNode config, CacheProperties properties, Clock clock, Breakers breakers) {
        this.config = config;
        this.breaker = breakers.breaker(config.name());
        this.clock = clock;
        this.markerTtl = properties.markerTtl();
        this.retryQueueLimit = properties.retryQueueLimit();
        this.client = RedisClient.create(RedisURI.create(config.url()));
        // Reject instead of queueing while disconnected: a request must not wait on a dead Redis.
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(properties.commandTimeout()))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(properties.connectTimeout())
                        .build())
                .build());
    }

    String name() {
        return config.name();
    }

    /** Reads go to the local data center's Redis first, then to the other's. */
    static java.util.List<RedisNode> localFirst(java.util.List<RedisNode> nodes, String localDataCenter) {
        return nodes.stream()
                .sorted(java.util.Comparator.comparing(
                        (RedisNode n) -> !n.dataCenter().equals(localDataCenter)))
                .toList();
    }

    String dataCenter() {
        return config.dataCenter();
    }

    Health health() {
        if (health == Health.RECOVERING && clock.millis() >= trustedFromMillis) {
            health = Health.UP;
            log.info("event=redis_trusted_again redis={}", config.name());
        }
        return health;
    }

    /** True when a missing marker on this node proves there is no pending change. */
    boolean trusted() {
        return health() == Health.UP;
    }

    /**
     * Runs a command through the node's breaker; any failure — or a skip by an open breaker — marks the
     * node down and answers null, so an invalidation it did not get is queued and replayed before it is
     * trusted again (an open breaker never makes a node miss an invalidation silently).
     */
    <T> T call(Function<RedisCommands<String, String>, T> command) {
        return withConnection(connection -> command.apply(connection.sync()), true);
    }

    /**
     * A read (a cached entry, a marker's existence) or a guarded write-back: through the breaker like
     * {@link #call}, null when it fails, but a timeout (or the open breaker) does <em>not</em> mark the node down.
     * Nothing was missed — only a failed invalidation or marker makes the node's cache or "no marker"
     * untrustworthy — so a read that timed out under load costs that read a miss, not a marker TTL of every read
     * going to MariaDB (what the failover benchmark's slow first phase showed: both nodes marked down on 300 ms
     * read timeouts, stop 23). A broken connection still marks it down: the node may have restarted empty.
     */
    <T> T read(Function<RedisCommands<String, String>, T> command) {
        return withConnection(connection -> command.apply(connection.sync()), false);
    }

    private <T> T withConnection(Function<StatefulRedisConnection<String, String>, T> work, boolean missable) {
        StatefulRedisConnection<String, String> current = connection;
        if (current == null || health == Health.DOWN) {
            return null;
        }
        try {
            return breaker.call(() -> work.apply(current), failure -> true);
        } catch (RuntimeException e) {
            if (missable || !slowNotGone(e)) markDown(e);
            return null;
        }
    }

    /**
     * A command that timed out, or was skipped by the open breaker: the node is slow, not gone. A broken or
     * refused connection is another matter even for a read — the node may have restarted empty, without its
     * markers — and marks it down.
     */
    private static boolean slowNotGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RedisCommandTimeoutException || t instanceof DependencyUnavailableException) return true;
        }
        return false;
    }

    Long eval(String script, String[] keys, String... args) {
        return call(redis -> redis.eval(script, ScriptOutputType.INTEGER, keys, args));
    }

    /** Applies an invalidation, or keeps it for replay when the node is down or the command fails. */
    boolean invalidateOrQueue(String script, String[] keys, String[] args) {
        drainGate.readLock().lock();
        try {
            if (eval(script, keys, args) != null) return true;
            queueRetry(keys, args);
            return false;
        } finally {
            drainGate.readLock().unlock();
        }
    }

    /** {@link #invalidateOrQueue} for many, pipelined; all are queued when the bulk fails. */
    boolean invalidateAllOrQueue(String script, java.util.List<String[]> keys, java.util.List<String[]> args) {
        drainGate.readLock().lock();
        try {
            if (evalAll(script, keys, args) != null) return true;
            for (int i = 0; i < keys.size(); i++) queueRetry(keys.get(i), args.get(i));
            return false;
        } finally {
            drainGate.readLock().unlock();
        }
    }

    /** Commands sent per pipelined round: small enough that the last answers well within the command timeout. */
    static final int PIPELINE_BATCH = 100;

    /**
     * Runs the script once per key set, {@link #PIPELINE_BATCH} at a time (Lettuce pipelines async commands on
     * one connection), waiting for each batch's answers: a bulk of invalidations costs a round trip per batch,
     * not one each. Answers each script's result in order; any failure marks the node down and answers null,
     * and the caller queues the whole bulk for replay (replaying an invalidation twice is harmless: it only
     * raises markers and floors and deletes).
     */
    java.util.List<Long> evalAll(String script, java.util.List<String[]> keys, java.util.List<String[]> args) {
        return withConnection(connection -> pipelined(connection, script, keys, args), true);
    }

    /** {@link #evalAll} for guarded write-backs: a failed one misses nothing, so the node stays up ({@link #read}). */
    java.util.List<Long> evalAllWriteBacks(
            String script, java.util.List<String[]> keys, java.util.List<String[]> args) {
        return withConnection(connection -> pipelined(connection, script, keys, args), false);
    }

    private java.util.List<Long> pipelined(
            StatefulRedisConnection<String, String> connection,
            String script,
            java.util.List<String[]> keys,
            java.util.List<String[]> args) {
        java.util.List<Long> results = new java.util.ArrayList<>(keys.size());
        for (int from = 0; from < keys.size(); from += PIPELINE_BATCH) {
            int to = Math.min(keys.size(), from + PIPELINE_BATCH);
            java.util.List<io.lettuce.core.RedisFuture<Long>> answers = new java.util.ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                answers.add(connection.async().eval(script, ScriptOutputType.INTEGER, keys.get(i), args.get(i)));
            }
            for (io.lettuce.core.RedisFuture<Long> answer : answers) {
                try {
                    results.add(answer.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Redis", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        return results;
    }

    /** Keeps an invalidation this node missed; it is replayed before the node is read again. */
    void queueRetry(String[] keys, String[] args) {
        if (missedCount.incrementAndGet() > retryQueueLimit) {
            overflowed = true;
            missedInvalidations.clear();
            return;
        }
        missedInvalidations.add(new String[][] {keys, args});
    }

    /**
     * Called periodically: reconnects a down node, replays every invalidation it missed (or flushes
     * it when too many were missed), then starts its recovery window. Nothing it held from before
     * the outage can be served: a restarted Redis is empty, a partitioned one had every missed
     * invalidation applied (or was flushed) before it is trusted again.
     */
    void probe() {
        if (health != Health.DOWN) {
            return;
        }
        try {
            if (connection == null || !connection.isOpen()) {
                if (connection != null) connection.closeAsync();
                // Through the breaker too: once a stopped Redis is down, the probe's connects are the only calls
                // made to it, and its breaker must see them fail to show the outage (and skip them while open).
                connection = breaker.call(client::connect, failure -> true);
            }
            RedisCommands<String, String> redis = connection.sync();
            // Through the breaker: while it is open the node stays down; after its open time this is the probe.
            if (!"PONG".equals(breaker.call(redis::ping, failure -> true))) return;
            catchUp(redis); // the bulk, while invalidations keep being queued
            drainGate.writeLock().lock();
            try {
                catchUp(redis); // what was queued meanwhile; nothing can be queued until the node has left DOWN
                trustedFromMillis = clock.millis() + markerTtl.toMillis();
                health = Health.RECOVERING;
            } finally {
                drainGate.writeLock().unlock();
            }
            log.info("event=redis_reachable redis={} trustedInMs={}", config.name(), markerTtl.toMillis());
        } catch (RuntimeException e) {
            log.debug("event=redis_still_down redis={} reason={}", config.name(), e.toString());
        }
    }

    private void catchUp(RedisCommands<String, String> redis) {
        if (overflowed) {
            redis.flushdb();
            overflowed = false;
            missedInvalidations.clear(); // covered by the flush
            missedCount.set(0);
            log.warn("event=redis_flushed redis={} reason=too_many_missed_invalidations", config.name());
            return;
        }
        int replayed = 0;
        while (!missedInvalidations.isEmpty()) {
            // Replayed in pipelined batches and removed only once applied: a failure leaves the rest queued.
            java.util.List<String[][]> batch =
                    missedInvalidations.stream().limit(PIPELINE_BATCH).toList();
            pipelined(
                    connection,
                    MemberCache.invalidateScript(),
                    batch.stream().map(m -> m[0]).toList(),
                    batch.stream().map(m -> m[1]).toList());
            for (int i = 0; i < batch.size(); i++) {
                missedInvalidations.poll();
                missedCount.decrementAndGet();
            }
            replayed += batch.size();
        }
        if (replayed > 0) log.info("event=redis_invalidations_replayed redis={} count={}", config.name(), replayed);
    }

    private void markDown(RuntimeException e) {
        if (health != Health.DOWN) {
            health = Health.DOWN;
            trustedFromMillis = Long.MAX_VALUE;
            log.warn(
                    "event=redis_down redis={} reason={}",
                    config.name(),
                    e.getCause() == null
                            ? e.getClass().getSimpleName()
                            : e.getClass().getSimpleName() + ": " + e.getCause());
        }
    }

    @Override
    public void close() {
        if (connection != null) connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
