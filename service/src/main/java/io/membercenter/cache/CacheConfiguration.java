package io.membercenter.cache;

import io.membercenter.degradation.Breakers;
import io.membercenter.shard.ShardProperties;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The Redis of both data centers. With none configured the same beans run over an empty list: the
 * cache is off, and {@link MemberCache} answers every read with a miss (see its Javadoc).
 */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

    @Bean(destroyMethod = "")
    List<RedisNode> redisNodes(CacheProperties properties, Clock clock, MeterRegistry meters, Breakers breakers) {
        List<RedisNode> nodes = properties.redis().stream()
                .map(r -> new RedisNode(r, properties, clock, breakers))
                .toList();
        nodes.forEach(RedisNode::probe);
        for (RedisNode node : nodes) {
            Gauge.builder("cache_redis_trusted", node, n -> n.trusted() ? 1 : 0)
                    .tag("redis", node.name())
                    .tag("dc", node.dataCenter())
                    .register(meters);
        }
        return nodes;
    }

    @Bean
    PendingMarkers pendingMarkers(
            List<RedisNode> redisNodes, CacheProperties properties, ShardProperties shards, MeterRegistry meters) {
        return new PendingMarkers(redisNodes, shards.dataCenter());
    }

    @Bean
    MemberCache memberCache(
            List<RedisNode> redisNodes,
            PendingMarkers markers,
            CacheProperties properties,
            ShardProperties shards,
            MeterRegistry meters) {
        return new MemberCache(redisNodes, markers, shards.dataCenter(), properties, meters);
    }

    @Bean
    RedisProbe redisProbe(PendingMarkers markers, List<RedisNode> redisNodes) {
        return new RedisProbe(markers, redisNodes);
    }

    /** Reconnects Redis nodes that went down, every quarter second. */
    static final class RedisProbe implements AutoCloseable {
        private final PendingMarkers markers;
        private final List<RedisNode> nodes;

        RedisProbe(PendingMarkers markers, List<RedisNode> nodes) {
            this.markers = markers;
            this.nodes = nodes;
        }

        @Scheduled(fixedDelay = 250)
        void probe() {
            markers.probeAll();
        }

        @Override
        public void close() {
            nodes.forEach(RedisNode::close);
        }
    }
}
