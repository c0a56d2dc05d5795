package io.membercenter.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.degradation.StandaloneBreakers;
import io.membercenter.topology.LocalTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A Redis that missed invalidations replays them (the drain) before it is read again. Invalidations keep
 * arriving while it drains: each must either reach Redis directly or be replayed — none may be left in the
 * queue once the node is trusted again, or that member's old entry is served for the entry TTL. The drain's
 * last step is widened (the clock it reads there answers slowly) so the race is hit every time, against a
 * real Redis of the local topology.
 */
class InvalidationDuringDrainTest {

    @Test
    void anInvalidationArrivingWhileTheNodeIsDrainedIsNeverStranded() throws Exception {
        String url = LocalTopology.shared().redisUri("redis-a");
        CacheProperties properties = new CacheProperties(
                List.of(),
                Duration.ofMillis(200),
                Duration.ofSeconds(2),
                Duration.ofMinutes(10),
                Duration.ofMinutes(15),
                100_000,
                true,
                Duration.ofMillis(500));
        SlowOnceClock clock = new SlowOnceClock();
        try (RedisNode node = new RedisNode(
                new CacheProperties.RedisNode("redis-a", "A", url),
                properties,
                clock,
                StandaloneBreakers.withDefaults())) {
            MemberCache cache = new MemberCache(
                    List.of(node), new PendingMarkers(List.of(node), "A"), "A", properties, new SimpleMeterRegistry());
            AtomicLong nextId = new AtomicLong(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 50));
            Queue<Long> invalidated = new ConcurrentLinkedQueue<>();
            for (int i = 0; i < 2_000; i++) { // missed while the node was down: queued for the drain
                long id = nextId.incrementAndGet();
                cache.invalidate(id, 1, List.of());
                invalidated.add(id);
            }

            AtomicBoolean draining = new AtomicBoolean(true);
            AtomicLong duringDrain = new AtomicLong();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                writers.add(Thread.ofPlatform().start(() -> {
                    while (draining.get()) {
                        long id = nextId.incrementAndGet();
                        cache.invalidate(id, 1, List.of());
                        invalidated.add(id);
                        duringDrain.incrementAndGet();
                        sleepQuietly(1);
                    }
                }));
            }
            Thread prober = Thread.ofPlatform().unstarted(node::probe);
            clock.slowDownOnce(prober, Duration.ofMillis(300));
            prober.start();
            prober.join();
            draining.set(false);
            for (Thread writer : writers) writer.join();

            assertThat(node.health()).isNotEqualTo(RedisNode.Health.DOWN);
            assertThat(duringDrain.get()).isPositive();
            List<Long> stranded = invalidated.stream()
                    .filter(id -> node.call(redis -> redis.get(MemberCache.floorKey(id))) == null)
                    .toList();
            assertThat(stranded).as("invalidations never applied to Redis").isEmpty();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The system clock, which answers one chosen thread's next read after a pause. */
    private static final class SlowOnceClock extends Clock {
        private volatile Thread slowThread;
        private volatile Duration pause = Duration.ZERO;

        void slowDownOnce(Thread thread, Duration pause) {
            this.pause = pause;
            this.slowThread = thread;
        }

        @Override
        public long millis() {
            if (Thread.currentThread() == slowThread) {
                slowThread = null;
                sleepQuietly(pause.toMillis());
            }
            return System.currentTimeMillis();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
