package io.membercenter.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The service's clock in tests ({@link ServiceTest} makes it the primary {@link Clock} bean): the system clock plus
 * an offset that a test advances, so a TTL the service decides by its own clock (a claim's {@code claim-ttl}, an
 * abandoned idempotency record, when a restarted Redis is trusted again) is passed in a moment instead of slept out.
 * resilience4j's {@code MockClock} stands still; this one keeps moving with real time, because the whole service runs
 * on it (the sweeper's schedule, member ids, lag metrics) and a stopped clock would stop those too.
 *
 * <p>Forward only: every decision the service takes by this clock is safe against a jump forward (a claim looks
 * older, a checkpoint looks older and so proves less), and a jump back would make member ids and versions' dates go
 * backwards. One instance per JVM ({@link #SHARED}), shared by every application context of the run: the contexts
 * are service instances on one database, and an instance whose clock ran ahead of another's would take that one's
 * live claims for stale and fence them. Jumps stay small (a claim TTL at a time): Kafka refuses records dated more
 * than an hour ahead of the broker.
 */
public final class MutableClock extends Clock {

    static final MutableClock SHARED = new MutableClock(Clock.systemUTC());

    private final Clock system;
    private final AtomicLong offsetMillis = new AtomicLong();

    MutableClock(Clock system) {
        this.system = system;
    }

    /** Moves this clock, and every time decision of the service, forward by {@code duration}. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("The clock only moves forward; asked to move by " + duration);
        }
        offsetMillis.addAndGet(duration.toMillis());
    }

    /** How far this clock is ahead of the system's: what a {@link ServiceProcess} starts its own clock at. */
    long offsetMillis() {
        return offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return system.instant().plusMillis(offsetMillis.get());
    }

    @Override
    public long millis() {
        return system.millis() + offsetMillis.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(getZone())) {
            return this;
        }
        throw new UnsupportedOperationException("The service's clock is UTC");
    }
}
