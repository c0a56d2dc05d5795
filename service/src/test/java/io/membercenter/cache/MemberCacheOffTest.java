package io.membercenter.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.replication.IdentifierKey;
import io.membercenter.replication.MemberChange;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cache off is a MemberCache over no Redis, not a missing bean: every read misses, invalidations
 * and write-backs go nowhere without failing, and whether a marker is live cannot be told (so
 * lookups skip search and go to MySQL, as with every Redis down).
 */
class MemberCacheOffTest {

    @Test
    void withNoRedisEveryReadMissesAndNoMarkerCanBeTold() {
        CacheProperties properties = new CacheProperties(
                List.of(),
                Duration.ofSeconds(2),
                Duration.ofMillis(300),
                Duration.ofMinutes(10),
                Duration.ofMinutes(15),
                100_000,
                true,
                Duration.ofMillis(500));
        MemberCache cache = new MemberCache(
                List.of(), new PendingMarkers(List.of(), "A"), "A", properties, new SimpleMeterRegistry());

        IdentifierKey mobile = IdentifierKey.mobile("+8613800138000");
        cache.invalidate(42, 3, List.of(mobile));
        cache.invalidateAll(List.of(new MemberCache.Invalidation(43, 1, List.of())));
        cache.writeBackAll(List.of(new MemberChange(
                42, 3, "+8613800138000", null, null, "NORMAL", "ACTIVE", List.of(), List.of(mobile), List.of(), 1, 1)));

        assertThat(properties.enabled()).isFalse();
        assertThat(cache.get(42)).isEmpty();
        assertThat(cache.getAll(List.of(42L, 43L))).isEmpty();
        assertThat(cache.memberIdOf(mobile)).isEmpty();
        assertThat(cache.identifierPending(mobile)).isEmpty();
    }
}
