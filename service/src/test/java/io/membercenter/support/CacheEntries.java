package io.membercenter.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;

/** Evicts a member's cache entries in both data centers, as an LRU eviction or an expiry would. */
public final class CacheEntries {

    private CacheEntries() {}

    /**
     * Whether a pending-change marker of the member or of one of its identifiers is still live in either data center:
     * Redis expires them ({@code marker-ttl} after the write), so this is when "the marker expired" is observable.
     */
    public static boolean pendingMarkerLive(String memberId, String... identifierKeys) {
        for (String redis : List.of("redis-a", "redis-b")) {
            RedisClient client =
                    RedisClient.create(LocalTopologyExtension.topology().redisUri(redis));
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                if (connection.sync().exists("mc:pending:m:" + memberId) > 0) return true;
                for (String key : identifierKeys) {
                    if (connection.sync().exists("mc:pending:i:" + key) > 0) return true;
                }
            } finally {
                client.shutdown();
            }
        }
        return false;
    }

    /** A key's value in one Redis ({@code redis-a}, {@code redis-b}), read straight from it; null when absent. */
    public static String get(String redis, String key) {
        RedisClient client =
                RedisClient.create(LocalTopologyExtension.topology().redisUri(redis));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().get(key);
        } finally {
            client.shutdown();
        }
    }

    /** Writes a key straight into one Redis, past the service, as a bug would (it expires after ten minutes). */
    public static void set(String redis, String key, String value) {
        RedisClient client =
                RedisClient.create(LocalTopologyExtension.topology().redisUri(redis));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().psetex(key, 600_000, value);
        } finally {
            client.shutdown();
        }
    }

    public static void evict(String memberId, String... identifierKeys) {
        for (String redis : List.of("redis-a", "redis-b")) {
            RedisClient client =
                    RedisClient.create(LocalTopologyExtension.topology().redisUri(redis));
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().del("mc:m:" + memberId);
                for (String key : identifierKeys) connection.sync().del("mc:i:" + key);
            } finally {
                client.shutdown();
            }
        }
    }
}
