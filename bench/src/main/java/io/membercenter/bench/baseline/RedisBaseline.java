package io.membercenter.bench.baseline;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * A raw Redis GET of the very entry the service's cache holds for a member ({@code mc:m:<memberId>} in the
 * local Redis), through Lettuce with one shared connection, as the service's cache talks to Redis: the floor
 * under a cached read. The gap to it is HTTP, authentication, JSON and the service's own checks.
 */
public final class RedisBaseline implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> commands;

    public RedisBaseline(String redisUri) {
        this.client = RedisClient.create(redisUri);
        this.connection = client.connect();
        this.commands = connection.sync();
    }

    /**
     * GET of the member's cache entry; returns whether Redis held it. A miss is a success: it costs the same
     * round trip, and the service's cached-read row also includes its few misses.
     */
    public boolean getCachedMember(long memberId) {
        return commands.get("mc:m:" + memberId) != null;
    }

    /** How many keys the Redis holds, to tell how much of the population a warm-up cached. */
    public long keyCount() {
        return commands.dbsize();
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
