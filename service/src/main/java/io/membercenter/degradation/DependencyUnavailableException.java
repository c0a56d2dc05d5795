package io.membercenter.degradation;

/**
 * A call was not made: the dependency's breaker is open, its bulkhead for the caller's traffic class
 * is full, or the request's deadline has passed. Nothing was sent to the dependency; each store
 * adapter turns this into its own "unavailable" answer (a 503, a cache miss, the next cluster).
 */
public final class DependencyUnavailableException extends RuntimeException {

    /** Why the call was not made. */
    public enum Reason {
        BREAKER_OPEN,
        BULKHEAD_FULL,
        DEADLINE_PASSED
    }

    private final String dependency;
    private final Reason reason;

    DependencyUnavailableException(String dependency, Reason reason) {
        super(dependency + " skipped: " + reason.name().toLowerCase(java.util.Locale.ROOT), null, false, false);
        this.dependency = dependency;
        this.reason = reason;
    }

    public String dependency() {
        return dependency;
    }

    public Reason reason() {
        return reason;
    }
}
