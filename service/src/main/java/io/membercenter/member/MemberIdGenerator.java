package io.membercenter.member;

import java.time.Clock;
import java.time.Instant;

/**
 * 64-bit member ids without a central coordinator: 41 bits of milliseconds since 2026-01-01,
 * 1 bit of data center, 9 bits of node, 12 bits of sequence (4,096 ids per millisecond per node).
 * Ids from different data centers or nodes can never collide; within a node the sequence and a
 * clock that never goes back (a backward step waits it out) keep them unique.
 */
final class MemberIdGenerator {

    static final int MAX_NODE_ID = (1 << 9) - 1;
    private static final long EPOCH_MILLIS =
            Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final int SEQUENCE_BITS = 12;
    private static final long MAX_SEQUENCE = (1L << SEQUENCE_BITS) - 1;

    private final Clock clock;
    private final long prefix;
    private long lastMillis = -1;
    private long sequence;

    MemberIdGenerator(Clock clock, String dataCenter, int nodeId) {
        this.clock = clock;
        long dataCenterBit = "B".equals(dataCenter) ? 1 : 0;
        this.prefix = (dataCenterBit << 9 | nodeId) << SEQUENCE_BITS;
    }

    synchronized long next() {
        long now = Math.max(clock.millis(), lastMillis);
        if (now == lastMillis) {
            sequence = (sequence + 1) & MAX_SEQUENCE;
            if (sequence == 0) {
                now = waitForNextMillis(now);
            }
        } else {
            sequence = 0;
        }
        lastMillis = now;
        return (now - EPOCH_MILLIS) << 22 | prefix | sequence;
    }

    private long waitForNextMillis(long current) {
        long now = clock.millis();
        while (now <= current) {
            Thread.onSpinWait();
            now = clock.millis();
        }
        return now;
    }
}
