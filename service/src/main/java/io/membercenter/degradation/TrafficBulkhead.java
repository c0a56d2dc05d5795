package io.membercenter.degradation;

import io.membercenter.traffic.TrafficClass;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The connections of one pool, shared out by traffic class: MARKETING and DEFAULT calls may hold at
 * most their share of the pool at once, ORDER (and background work) only the pool's own limit. As
 * the shares add up to less than the whole pool, some connections are always left for ORDER, however
 * many MARKETING and DEFAULT requests arrive.
 *
 * <p>A semaphore per class in front of one pool, not a pool per class: the same number of server
 * connections, no idle pools to keep warm per class, and the shares change without reconnecting.
 * A call that cannot get its share within {@code max-wait} is refused (a 503 the caller retries), not
 * queued behind the pool's own connection wait.
 */
public final class TrafficBulkhead {

    /** Held while a call uses the pool; closing it gives the share back. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private static final Permit UNLIMITED = () -> {};

    private final String pool;
    private final Map<TrafficClass, Semaphore> shares = new EnumMap<>(TrafficClass.class);
    private final long waitNanos;

    TrafficBulkhead(String pool, int connections, DegradationProperties.Bulkhead properties) {
        this.pool = pool;
        this.waitNanos = properties.maxWait().toNanos();
        shares.put(TrafficClass.MARKETING, new Semaphore(permits(connections, properties.marketingShare())));
        shares.put(TrafficClass.DEFAULT, new Semaphore(permits(connections, properties.defaultShare())));
    }

    private static int permits(int connections, double share) {
        return Math.max(1, (int) Math.floor(connections * share));
    }

    /** Takes the calling request's share, or throws {@link DependencyUnavailableException} (BULKHEAD_FULL). */
    public Permit enter() {
        RequestScope scope = RequestScope.current();
        Semaphore share = scope == null || scope.trafficClass() == null ? null : shares.get(scope.trafficClass());
        if (share == null) {
            return UNLIMITED;
        }
        try {
            if (!share.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                throw new DependencyUnavailableException(pool, DependencyUnavailableException.Reason.BULKHEAD_FULL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyUnavailableException(pool, DependencyUnavailableException.Reason.BULKHEAD_FULL);
        }
        return share::release;
    }

    /** Shares not taken now, for tests and metrics. */
    int available(TrafficClass trafficClass) {
        Semaphore share = shares.get(trafficClass);
        return share == null ? Integer.MAX_VALUE : share.availablePermits();
    }
}
