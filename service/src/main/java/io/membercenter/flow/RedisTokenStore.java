package io.membercenter.flow;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;

/**
 * {@link GlobalCaps}' token store on a Redis every instance shares. Each lease and each heartbeat is one Lua
 * script, so a grant is computed and counted in one step on the server however many instances ask at once.
 * The scripts are sent whole ({@code EVAL}), not by hash: they are short, called a few dozen times a second,
 * and a restarted Redis has forgotten every loaded script ({@code NOSCRIPT}).
 */
final class RedisTokenStore implements GlobalCaps.TokenStore {

    /** Grants min(want, what is left of the cap); the second's key outlives the second by a little. */
    private static final String LEASE = """
            local used = tonumber(redis.call('GET', KEYS[1]) or '0')
            local room = tonumber(ARGV[1]) - used
            if room <= 0 then return 0 end
            local grant = math.min(room, tonumber(ARGV[2]))
            redis.call('INCRBY', KEYS[1], grant)
            redis.call('EXPIRE', KEYS[1], 10)
            return grant
            """;

    /** Writes this instance's time, forgets instances silent for 3 s, answers how many are left. */
    private static final String HEARTBEAT = """
            redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - 3000)
            redis.call('PEXPIRE', KEYS[1], 60000)
            return redis.call('ZCARD', KEYS[1])
            """;

    private static final String INSTANCES = "mc:flow:instances";

    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;

    RedisTokenStore(String url, Duration commandTimeout) {
        this.client = RedisClient.create(RedisURI.create(url));
        // Reject instead of queueing while disconnected, and time out fast: a request must never wait on a
        // token store that is gone; GlobalCaps keeps to the local share instead.
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(commandTimeout.multipliedBy(5))
                        .build())
                .build());
    }

    @Override
    public long lease(String window, int cap, int want) {
        Long granted = connection()
                .sync()
                .eval(
                        LEASE,
                        ScriptOutputType.INTEGER,
                        new String[] {window},
                        Integer.toString(cap),
                        Integer.toString(want));
        return granted == null ? 0 : granted;
    }

    @Override
    public int heartbeat(String instance, long nowMillis) {
        Long alive = connection()
                .sync()
                .eval(
                        HEARTBEAT,
                        ScriptOutputType.INTEGER,
                        new String[] {INSTANCES},
                        Long.toString(nowMillis),
                        instance);
        return alive == null ? 1 : alive.intValue();
    }

    @Override
    public void leave(String instance) {
        try {
            connection().sync().zrem(INSTANCES, instance);
        } catch (RuntimeException e) {
            // Best effort: an instance that cannot say goodbye is forgotten 3 s after its last heartbeat.
        }
    }

    /**
     * The connection, made on first use (the heartbeat's, off the request path) if the store was down at start;
     * once made, Lettuce reconnects it by itself after an outage.
     */
    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) return current;
        synchronized (this) {
            if (connection == null) connection = client.connect();
            return connection;
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> current = connection;
        if (current != null) current.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
    }
}
