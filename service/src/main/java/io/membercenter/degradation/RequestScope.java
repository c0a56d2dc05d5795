package io.membercenter.degradation;

import io.membercenter.traffic.TrafficClass;

/**
 * What a store call needs to know of the request it serves: the caller's traffic class (which
 * bulkhead share it draws from) and the request's deadline. A {@link ScopedValue}, bound by
 * {@link RequestScopeFilter} for the rest of the filter chain: it reaches the database layer without
 * a parameter on every method in between, cannot leak into the next request on a pooled thread (it
 * is unbound when the chain returns), and costs nothing on virtual threads. Background work (relays,
 * sweepers, indexers) runs unbound: no traffic class, no deadline.
 */
record RequestScope(TrafficClass trafficClass, long deadlineNanos) {

    static final ScopedValue<RequestScope> CURRENT = ScopedValue.newInstance();

    static RequestScope current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    boolean deadlinePassed() {
        return System.nanoTime() - deadlineNanos > 0;
    }
}
