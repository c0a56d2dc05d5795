package io.membercenter.degradation;

import io.membercenter.traffic.TrafficClass;
import java.time.Duration;

/**
 * Hands the current request's scope (its traffic class and deadline, {@link RequestScope}) to work that a request
 * runs on other threads: a migration step that imports a chunk's members in parallel draws from the operator's
 * share of each pool and stops at the operator's deadline, as the same work on the request's own thread would.
 * Unbound work stays unbound (background work has no traffic class), unless it asks for a class itself
 * ({@link #runAs}).
 *
 * <p>Why not {@code StructuredTaskScope}, which inherits scoped values by itself: in Java 25 it is a preview API,
 * and the build does not enable previews.
 */
public final class RequestScopes {

    private RequestScopes() {}

    /** {@code work}, bound on whatever thread runs it to the scope of the request calling this (if any). */
    public static Runnable carried(Runnable work) {
        RequestScope scope = RequestScope.current();
        if (scope == null) return work;
        return () -> ScopedValue.where(RequestScope.CURRENT, scope).run(work);
    }

    /**
     * Runs background work as a caller of {@code trafficClass} would be served: from that class's share of each pool,
     * and no store call once {@code deadline} has passed. For background work that must stay out of ORDER's way (the
     * governance package's consistency checker): unbound, it would draw from the whole pool, ORDER's part included.
     */
    public static void runAs(TrafficClass trafficClass, Duration deadline, Runnable work) {
        ScopedValue.where(RequestScope.CURRENT, new RequestScope(trafficClass, System.nanoTime() + deadline.toNanos()))
                .run(work);
    }
}
