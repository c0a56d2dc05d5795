package io.membercenter.cache;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param redis one Redis per data center; markers go to all, reads to the local one
 * @param markerTtl how long a pending-change marker lives: longer than search refresh plus
 *     normal replication lag, since a lookup is served from search only when no marker is live
 * @param commandTimeout a Redis slower than this counts as down for this request
 * @param connectTimeout TCP connect to a Redis (Lettuce's socket option; its default is 10 s)
 * @param entryTtl how long a cached member lives without being invalidated
 * @param versionFloorTtl how long the last acknowledged version of a member is remembered, so no
 *     write-back of anything older is accepted; longer than entryTtl
 * @param retryQueueLimit invalidations kept for a Redis that missed them; past this it is flushed
 *     when it returns instead
 * @param writeBackGuard the marker and floor checks of write-back; off only to show the race in tests
 */
@ConfigurationProperties("member-center.cache")
public record CacheProperties(
        List<RedisNode> redis,
        @DefaultValue("2s") Duration markerTtl,
        @DefaultValue("300ms") Duration commandTimeout,
        @DefaultValue("10m") Duration entryTtl,
        @DefaultValue("15m") Duration versionFloorTtl,
        @DefaultValue("100000") int retryQueueLimit,
        @DefaultValue("true") boolean writeBackGuard,
        @DefaultValue("500ms") Duration connectTimeout) {

    /** One Redis: name, data center, redis:// URL. */
    public record RedisNode(String name, String dataCenter, String url) {}

    public CacheProperties {
        redis = redis == null
                ? List.of()
                : redis.stream()
                        .filter(r -> r.url() != null && !r.url().isBlank())
                        .toList();
        if (commandTimeout.compareTo(Duration.ofMillis(10)) < 0
                || commandTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalStateException("member-center.cache.command-timeout must be between 10ms and 10s");
        }
        if (connectTimeout.compareTo(Duration.ofMillis(10)) < 0
                || connectTimeout.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalStateException("member-center.cache.connect-timeout must be between 10ms and 10s");
        }
        if (versionFloorTtl.compareTo(entryTtl) <= 0) {
            throw new IllegalStateException("member-center.cache.version-floor-ttl must be longer than entry-ttl");
        }
    }

    public boolean enabled() {
        return !redis.isEmpty();
    }
}
