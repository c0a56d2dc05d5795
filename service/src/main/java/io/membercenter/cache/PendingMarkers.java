package io.membercenter.cache;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pending-change markers: before a write is acknowledged, the member and every identifier it
 * touched get a marker holding the new version, in the Redis of every data center, for
 * {@code marker-ttl}. While a marker lives, copies that refresh later (search, a cache entry read
 * from search) may still be older than what was acknowledged, so readers go to MySQL instead and
 * never write older data back. The marker keeps the highest version it was given (a Lua script),
 * so concurrent writers cannot lower it.
 */
public final class PendingMarkers {

    private static final String MARK = """
            local ttl = tonumber(ARGV[2])
            for i, key in ipairs(KEYS) do
              local current = redis.call('GET', key)
              if (not current) or tonumber(current) < tonumber(ARGV[1]) then
                redis.call('SET', key, ARGV[1], 'PX', ttl)
              else
                redis.call('PEXPIRE', key, ttl)
              end
            end
            return 1
            """;

    private final List<RedisNode> nodes;
    private final String localDataCenter;
    private final long markerTtlMillis;
    private final AtomicLong markFailures = new AtomicLong();

    PendingMarkers(List<RedisNode> nodes, String localDataCenter, long markerTtlMillis) {
        this.nodes = List.copyOf(nodes);
        this.localDataCenter = localDataCenter;
        this.markerTtlMillis = markerTtlMillis;
    }

    /** Marks a committed change everywhere; a node that misses it is distrusted until it cannot matter. */
    public void mark(long memberId, long version, Collection<String> identifierKeys) {
        String[] keys = keys(memberId, identifierKeys);
        for (RedisNode node : nodes) {
            if (node.eval(MARK, keys, Long.toString(version), Long.toString(markerTtlMillis)) == null) {
                markFailures.incrementAndGet();
            }
        }
    }

    /**
     * Whether a change of this identifier may not have reached search yet: empty when no trusted
     * Redis can tell (callers then treat it as pending).
     */
    public Optional<Boolean> identifierPending(String identifierKey) {
        return pending("mc:pending:i:" + identifierKey);
    }

    public Optional<Boolean> memberPending(long memberId) {
        return pending("mc:pending:m:" + memberId);
    }

    private Optional<Boolean> pending(String key) {
        for (RedisNode node : localFirst()) {
            if (!node.trusted()) continue;
            Long exists = node.call(redis -> redis.exists(key));
            if (exists != null) return Optional.of(exists > 0);
        }
        return Optional.empty();
    }

    private List<RedisNode> localFirst() {
        return nodes.stream().sorted((a, b) -> Boolean.compare(!a.dataCenter().equals(localDataCenter),
                !b.dataCenter().equals(localDataCenter))).toList();
    }

    private static String[] keys(long memberId, Collection<String> identifierKeys) {
        String[] keys = new String[identifierKeys.size() + 1];
        keys[0] = "mc:pending:m:" + memberId;
        int i = 1;
        for (String key : identifierKeys) keys[i++] = "mc:pending:i:" + key;
        return keys;
    }

    public long markFailures() {
        return markFailures.get();
    }

    void probeAll() {
        nodes.forEach(RedisNode::probe);
    }
}
