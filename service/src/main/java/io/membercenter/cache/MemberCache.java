package io.membercenter.cache;

import io.lettuce.core.KeyValue;
import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Members cached in the Redis of both data centers; the protocol is in {@code package-info.java}.
 * A cached member is a {@link MemberChange} (with no removed identifiers) in the change contract's
 * JSON, so the cache and replication can never disagree about what a member looks like.
 * <p>With the cache off (no Redis configured) this same class runs over no Redis: every read misses,
 * invalidations and write-backs have nowhere to go, and {@link #identifierPending} cannot tell — so
 * lookups go to MySQL, exactly as when every Redis is down.
 */
public final class MemberCache {

    private static final Logger log = LoggerFactory.getLogger(MemberCache.class);

    /** A cached member and which data center's Redis answered. */
    public record Cached(MemberChange member, String dataCenter) {}

    /** KEYS: marker:m, floor:m, entry:m, then (marker:i, entry:i) pairs. ARGV: version, markerTtl, floorTtl. */
    private static final String INVALIDATE = """
            local v = tonumber(ARGV[1])
            local function raise(key, ttl)
              local current = redis.call('GET', key)
              if (not current) or tonumber(current) < v then
                redis.call('SET', key, ARGV[1], 'PX', ttl)
              else
                redis.call('PEXPIRE', key, ttl)
              end
            end
            raise(KEYS[1], ARGV[2])
            raise(KEYS[2], ARGV[3])
            redis.call('DEL', KEYS[3])
            for i = 4, #KEYS, 2 do
              raise(KEYS[i], ARGV[2])
              redis.call('DEL', KEYS[i + 1])
            end
            return 1
            """;

    /**
     * KEYS: entry:m, floor:m, marker:m, then entry:i keys. ARGV: version, json, entryTtl, memberId, guard.
     * Returns 1 written, 0 refused (older than what was acknowledged), 2 already as new.
     */
    private static final String WRITE_BACK = """
            local v = tonumber(ARGV[1])
            if ARGV[5] == '1' then
              local floor = redis.call('GET', KEYS[2])
              if floor and tonumber(floor) > v then return 0 end
              local marker = redis.call('GET', KEYS[3])
              if marker and tonumber(marker) > v then return 0 end
            end
            local current = redis.call('GET', KEYS[1])
            if current then
              local cv = tonumber(string.match(current, '^(%d+)|'))
              if cv and cv >= v then return 2 end
            end
            redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
            for i = 4, #KEYS do
              redis.call('SET', KEYS[i], ARGV[4] .. '|' .. ARGV[1], 'PX', ARGV[3])
            end
            return 1
            """;

    private final List<RedisNode> nodes;
    private final PendingMarkers markers;
    private final String localDataCenter;
    /**
     * The data center whose Redis is read first and written back to: this instance's own, or another after a cache
     * failover by hand ({@link #serveFrom}). Invalidations go to every Redis either way.
     */
    private volatile String servedFrom;

    private final CacheProperties properties;
    private final Map<String, Meters> meters = new HashMap<>();
    private volatile boolean writeBackGuard;

    MemberCache(
            List<RedisNode> nodes,
            PendingMarkers markers,
            String localDataCenter,
            CacheProperties properties,
            MeterRegistry registry) {
        this.nodes = List.copyOf(nodes);
        this.markers = markers;
        this.localDataCenter = localDataCenter;
        this.servedFrom = localDataCenter;
        this.properties = properties;
        this.writeBackGuard = properties.writeBackGuard();
        for (RedisNode node : nodes) meters.put(node.name(), new Meters(registry, node));
    }

    /** The data centers with a Redis of this cache (none: the cache is off). */
    public List<String> dataCenters() {
        return nodes.stream().map(RedisNode::dataCenter).distinct().toList();
    }

    /**
     * Reads first from, and writes back into, the Redis of {@code dataCenter} (empty: this instance's own) — the
     * failover capability's cache switch by hand, applied on every instance from the topology record.
     *
     * @throws IllegalArgumentException if this cache has no Redis there
     */
    public void serveFrom(Optional<String> dataCenter) {
        String target = dataCenter.orElse(localDataCenter);
        if (dataCenter.isPresent() && !dataCenters().contains(target)) {
            throw new IllegalArgumentException("no Redis in data center " + target + ": " + dataCenters());
        }
        if (!target.equals(servedFrom)) log.info("event=cache_served_from data_center={}", target);
        servedFrom = target;
    }

    /**
     * The Redis nodes that cannot be trusted now: down, not yet trusted again after a return, or not answering a
     * PING this moment. The PING is what a failback decides on: a node is found down only by a call that fails, and
     * this instance may have made none to it since it went away.
     */
    public List<String> notTrusted() {
        return nodes.stream()
                .filter(node -> !node.trusted() || !"PONG".equals(node.read(redis -> redis.ping())))
                .map(RedisNode::name)
                .toList();
    }

    /** The member from the first trusted Redis, local first; empty on a miss or when none is trusted. */
    public Optional<Cached> get(long memberId) {
        for (RedisNode node : RedisNode.localFirst(nodes, servedFrom)) {
            if (!node.trusted()) continue;
            Meters m = meters.get(node.name());
            long start = System.nanoTime();
            String value = node.read(redis -> redis.get(entryKey(memberId)));
            m.latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (!node.trusted()) continue; // the call itself failed: try the other data center
            if (value == null) {
                m.misses.increment();
                return Optional.empty();
            }
            m.hits.increment();
            return Optional.of(cached(value, node));
        }
        return Optional.empty();
    }

    /**
     * Many members at once from the first trusted Redis, local first, in one MGET: the members it holds;
     * the others are misses for the caller to read elsewhere. Empty when no Redis is trusted.
     */
    public Map<Long, Cached> getAll(Collection<Long> memberIds) {
        List<Long> ids = List.copyOf(new LinkedHashSet<>(memberIds));
        String[] keys = ids.stream().map(MemberCache::entryKey).toArray(String[]::new);
        for (RedisNode node : RedisNode.localFirst(nodes, servedFrom)) {
            if (!node.trusted()) continue;
            Meters m = meters.get(node.name());
            long start = System.nanoTime();
            List<KeyValue<String, String>> values = node.read(redis -> redis.mget(keys));
            m.latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            if (!node.trusted() || values == null) continue; // the call itself failed: try the other data center
            Map<Long, Cached> hits = new HashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                if (values.get(i).hasValue())
                    hits.put(ids.get(i), cached(values.get(i).getValue(), node));
            }
            m.hits.increment(hits.size());
            m.misses.increment(ids.size() - hits.size());
            return hits;
        }
        return Map.of();
    }

    /** The member id an identifier was last cached for (to be verified against the member itself). */
    public Optional<Long> memberIdOf(IdentifierKey identifierKey) {
        for (RedisNode node : RedisNode.localFirst(nodes, servedFrom)) {
            if (!node.trusted()) continue;
            String value = node.read(redis -> redis.get(identifierEntryKey(identifierKey)));
            if (!node.trusted()) continue;
            return value == null
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(value.substring(0, value.indexOf('|'))));
        }
        return Optional.empty();
    }

    /**
     * What one Redis holds of a member now, exactly as this cache wrote it: the member entry and the entry of each
     * identifier asked about (empty: none). For governance's consistency checker, which compares them with the
     * master's row.
     */
    public record Held(
            String store, Optional<Entry> member, Map<IdentifierKey, Optional<IdentifierEntry>> identifiers) {}

    /**
     * A member entry: the version in front of it (the one write-back compares) and its JSON as a change, empty when
     * the JSON cannot be read (an entry no read could use: a reader would fail on it).
     */
    public record Entry(long version, Optional<MemberChange> member) {}

    /** An identifier entry: the member it was cached for, at that member's version; -1 and -1 when unreadable. */
    public record IdentifierEntry(long memberId, long version) {}

    /**
     * {@link Held} from every trusted Redis, one MGET each. Both data centers', not only the one reads go to: either
     * may serve reads (after a failure or a cache failover). A Redis that is not trusted (it serves no reads until it
     * has replayed what it missed) or does not answer is left out: nothing is known of it.
     */
    public List<Held> heldEverywhere(long memberId, List<IdentifierKey> identifierKeys) {
        String[] keys = new String[1 + identifierKeys.size()];
        keys[0] = entryKey(memberId);
        for (int i = 0; i < identifierKeys.size(); i++) keys[i + 1] = identifierEntryKey(identifierKeys.get(i));
        List<Held> held = new ArrayList<>();
        for (RedisNode node : nodes) {
            if (!node.trusted()) continue;
            List<KeyValue<String, String>> values = node.read(redis -> redis.mget(keys));
            if (values == null || !node.trusted()) continue;
            Map<IdentifierKey, Optional<IdentifierEntry>> identifiers = new LinkedHashMap<>();
            for (int i = 0; i < identifierKeys.size(); i++) {
                KeyValue<String, String> value = values.get(i + 1);
                identifiers.put(
                        identifierKeys.get(i),
                        value.hasValue() ? Optional.of(identifierEntry(value.getValue())) : Optional.empty());
            }
            KeyValue<String, String> entry = values.getFirst();
            held.add(new Held(
                    node.name(),
                    entry.hasValue() ? Optional.of(entry(entry.getValue())) : Optional.empty(),
                    identifiers));
        }
        return held;
    }

    private static Entry entry(String value) {
        int bar = value.indexOf('|');
        long version;
        try {
            version = Long.parseLong(value.substring(0, Math.max(bar, 0)));
        } catch (NumberFormatException e) {
            version = -1;
        }
        try {
            return new Entry(version, Optional.of(MemberChange.fromJson(value.substring(bar + 1))));
        } catch (RuntimeException unreadable) {
            return new Entry(version, Optional.empty());
        }
    }

    private static IdentifierEntry identifierEntry(String value) {
        int bar = value.indexOf('|');
        try {
            return new IdentifierEntry(
                    Long.parseLong(value.substring(0, bar)), Long.parseLong(value.substring(bar + 1)));
        } catch (RuntimeException unreadable) {
            return new IdentifierEntry(-1, -1);
        }
    }

    /**
     * Whether a change of this identifier ({@code KIND:value}) was acknowledged less than marker-ttl
     * ago, so search may not show it yet: empty when no trusted Redis can tell (callers then treat it
     * as pending).
     */
    public Optional<Boolean> identifierPending(IdentifierKey identifierKey) {
        return markers.identifierPending(identifierKey);
    }

    /**
     * Before a write is acknowledged, in every data center: raise the pending marker and the version
     * floor to the new version and delete the member's entries. A node that misses it is queued a
     * retry and not read until it has replayed it.
     */
    public void invalidate(long memberId, long version, Collection<IdentifierKey> identifierKeys) {
        String[] keys = invalidationKeys(memberId, identifierKeys);
        String[] args = invalidationArgs(version);
        for (RedisNode node : nodes) {
            Meters m = meters.get(node.name());
            m.invalidations.increment();
            if (!node.invalidateOrQueue(INVALIDATE, keys, args)) {
                m.invalidationFailures.increment();
            }
        }
    }

    /** One member's invalidation, for {@link #invalidateAll}. */
    public record Invalidation(long memberId, long version, Collection<IdentifierKey> identifierKeys) {}

    /**
     * {@link #invalidate} for many members at once, pipelined per Redis: for bulk loads, where one round trip
     * per member and data center would take longer than writing the members.
     */
    public void invalidateAll(List<Invalidation> invalidations) {
        if (invalidations.isEmpty()) return;
        List<String[]> keys = invalidations.stream()
                .map(i -> invalidationKeys(i.memberId(), i.identifierKeys()))
                .toList();
        List<String[]> args =
                invalidations.stream().map(i -> invalidationArgs(i.version())).toList();
        for (RedisNode node : nodes) {
            Meters m = meters.get(node.name());
            m.invalidations.increment(invalidations.size());
            if (!node.invalidateAllOrQueue(INVALIDATE, keys, args)) {
                m.invalidationFailures.increment(invalidations.size());
            }
        }
    }

    /**
     * Caches what reads found, into the local Redis only, each unless a newer version of its member was
     * acknowledged; many at once (a batch read's misses) in pipelined rounds, not a round trip each.
     */
    public void writeBackAll(List<MemberChange> writeBacks) {
        if (writeBacks.isEmpty()) return;
        List<String[]> keys = writeBacks.stream()
                .map(w -> writeBackKeys(w.memberId(), w.identifiers()))
                .toList();
        List<String[]> args = writeBacks.stream()
                .map(w -> new String[] {
                    Long.toString(w.version()),
                    w.toJson(),
                    Long.toString(properties.entryTtl().toMillis()),
                    Long.toString(w.memberId()),
                    writeBackGuard ? "1" : "0"
                })
                .toList();
        for (RedisNode node : nodes) {
            if (!node.dataCenter().equals(servedFrom) || !node.trusted()) continue;
            List<Long> results = node.evalAllWriteBacks(WRITE_BACK, keys, args);
            if (results == null) continue;
            long refused = results.stream().filter(r -> r != null && r == 0).count();
            meters.get(node.name()).skippedWriteBacks.increment(refused);
        }
    }

    private static String[] writeBackKeys(long memberId, Collection<IdentifierKey> identifierKeys) {
        String[] keys = new String[3 + identifierKeys.size()];
        keys[0] = entryKey(memberId);
        keys[1] = floorKey(memberId);
        keys[2] = PendingMarkers.memberMarkerKey(memberId);
        int i = 3;
        for (IdentifierKey key : identifierKeys) keys[i++] = identifierEntryKey(key);
        return keys;
    }

    /** An entry is {@code <version>|<json>}: the version up front for the write-back script to compare. */
    private static Cached cached(String value, RedisNode node) {
        int bar = value.indexOf('|');
        return new Cached(MemberChange.fromJson(value.substring(bar + 1)), node.dataCenter());
    }

    static String invalidateScript() {
        return INVALIDATE;
    }

    /** For the consistency test only: with the guard off, write-back ignores markers and floors. */
    public void setWriteBackGuard(boolean on) {
        this.writeBackGuard = on;
    }

    private String[] invalidationArgs(long version) {
        return new String[] {
            Long.toString(version),
            Long.toString(properties.markerTtl().toMillis()),
            Long.toString(properties.versionFloorTtl().toMillis())
        };
    }

    private static String[] invalidationKeys(long memberId, Collection<IdentifierKey> identifierKeys) {
        String[] keys = new String[3 + 2 * identifierKeys.size()];
        keys[0] = PendingMarkers.memberMarkerKey(memberId);
        keys[1] = floorKey(memberId);
        keys[2] = entryKey(memberId);
        int i = 3;
        for (IdentifierKey key : identifierKeys) {
            keys[i++] = PendingMarkers.identifierMarkerKey(key);
            keys[i++] = identifierEntryKey(key);
        }
        return keys;
    }

    static String entryKey(long memberId) {
        return "mc:m:" + memberId;
    }

    static String floorKey(long memberId) {
        return "mc:floor:" + memberId;
    }

    static String identifierEntryKey(IdentifierKey identifierKey) {
        return "mc:i:" + identifierKey.searchKey();
    }

    /** Per data center: hit rate, latency, invalidations, skipped write-backs. */
    private static final class Meters {
        final Counter hits;
        final Counter misses;
        final Counter invalidations;
        final Counter invalidationFailures;
        final Counter skippedWriteBacks;
        final Timer latency;

        Meters(MeterRegistry registry, RedisNode node) {
            String dc = node.dataCenter();
            hits = Counter.builder("cache_hits_total").tag("dc", dc).register(registry);
            misses = Counter.builder("cache_misses_total").tag("dc", dc).register(registry);
            invalidations =
                    Counter.builder("cache_invalidations_total").tag("dc", dc).register(registry);
            invalidationFailures = Counter.builder("cache_invalidation_failures_total")
                    .tag("dc", dc)
                    .register(registry);
            skippedWriteBacks = Counter.builder("cache_write_backs_skipped_total")
                    .tag("dc", dc)
                    .register(registry);
            latency = Timer.builder("cache_get_latency")
                    .tag("dc", dc)
                    .publishPercentiles(0.5, 0.99)
                    .register(registry);
        }
    }
}
