package io.membercenter.degradation;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.EntryType;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.Tracer;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import java.util.function.Predicate;

/**
 * The breaker of one dependency (a database server, a Redis, a search cluster, Kafka): the only way
 * a store adapter calls its dependency. Open, the call is not made and
 * {@link DependencyUnavailableException} is thrown at once; closed or probing, the call is made,
 * timed, and counted as failed when {@code isFailure} says the dependency failed (a lost
 * connection, a timeout) — not when the answer is a business refusal such as a duplicate key.
 */
public final class DependencyBreaker {

    /** A call to the dependency. */
    @FunctionalInterface
    public interface Call<T, X extends Exception> {
        T run() throws X;
    }

    private final String name;
    private final Breakers breakers;

    DependencyBreaker(String name, Breakers breakers) {
        this.name = name;
        this.breakers = breakers;
    }

    public String name() {
        return name;
    }

    public BreakerState state() {
        return breakers.stateOf(name);
    }

    /**
     * Makes the call unless the breaker is open or the request's deadline has passed.
     *
     * @throws DependencyUnavailableException when the call was not made
     */
    public <T, X extends Exception> T call(Call<T, X> call, Predicate<Throwable> isFailure) throws X {
        RequestScope scope = RequestScope.current();
        if (scope != null && scope.deadlinePassed()) {
            throw new DependencyUnavailableException(name, DependencyUnavailableException.Reason.DEADLINE_PASSED);
        }
        Entry entry;
        try {
            entry = SphU.entry(name, EntryType.OUT);
        } catch (BlockException blocked) {
            breakers.countSkipped(name);
            throw new DependencyUnavailableException(name, DependencyUnavailableException.Reason.BREAKER_OPEN);
        }
        try {
            return call.run();
        } catch (Throwable failure) {
            if (isFailure.test(failure)) {
                Tracer.traceEntry(failure, entry);
            }
            throw failure;
        } finally {
            entry.exit();
        }
    }
}
