package io.membercenter.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;

/** Evicts a member's cache entries in both data centers, as an LRU eviction or an expiry would. */
public final class CacheEntries {

    private CacheEntries() {}

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
