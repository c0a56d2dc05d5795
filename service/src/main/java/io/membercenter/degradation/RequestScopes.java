package io.membercenter.degradation;

/**
 * Hands the current request's scope (its traffic class and deadline, {@link RequestScope}) to work that a request
 * runs on other threads: a migration step that imports a chunk's members in parallel draws from the operator's
 * share of each pool and stops at the operator's deadline, as the same work on the request's own thread would.
 * Unbound work stays unbound (background work has no traffic class).
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
}
