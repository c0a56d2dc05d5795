package io.membercenter.member;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemberIdGeneratorTest {

    @Test
    void idsFromManyThreadsAreUniquePositiveAndIncreasingPerThread() throws Exception {
        MemberIdGenerator ids = new MemberIdGenerator(Clock.systemUTC(), "A", 7);
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                pool.submit(() -> {
                    long last = 0;
                    for (int i = 0; i < 50_000; i++) {
                        long id = ids.next();
                        assertThat(id).isGreaterThan(last);
                        last = id;
                        seen.add(id);
                    }
                });
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen).hasSize(400_000);
    }

    @Test
    void dataCentersAndNodesNeverCollideEvenAtTheSameMillisecond() {
        Clock frozen = Clock.fixed(Instant.parse("2026-11-24T00:00:00Z"), ZoneOffset.UTC);
        long a = new MemberIdGenerator(frozen, "A", 1).next();
        long b = new MemberIdGenerator(frozen, "B", 1).next();
        long otherNode = new MemberIdGenerator(frozen, "A", 2).next();

        assertThat(Set.of(a, b, otherNode)).hasSize(3);
    }

    @Test
    void aClockThatStepsBackDoesNotRepeatIds() {
        AtomicLong millis = new AtomicLong(Instant.parse("2026-11-24T00:00:00Z").toEpochMilli());
        Clock stepping = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis.get());
            }
        };
        MemberIdGenerator ids = new MemberIdGenerator(stepping, "A", 0);
        long before = ids.next();
        millis.addAndGet(-5_000);
        long after = ids.next();

        assertThat(after).isGreaterThan(before);
    }
}
