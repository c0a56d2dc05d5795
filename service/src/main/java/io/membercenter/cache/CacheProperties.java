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
 */
@ConfigurationProperties("member-center.cache")
public record CacheProperties(
        List<RedisNode> redis,
        @DefaultValue("2s") Duration markerTtl,
        @DefaultValue("300ms") Duration commandTimeout) {

    /** One Redis: name, data center, redis:// URL. */
    public record RedisNode(String name, String dataCenter, String url) {}

    public CacheProperties {
        redis = redis == null ? List.of()
                : redis.stream().filter(r -> r.url() != null && !r.url().isBlank()).toList();
    }

    public boolean enabled() {
        return !redis.isEmpty();
    }
}
