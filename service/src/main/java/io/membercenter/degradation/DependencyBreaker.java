package io.membercenter.degradation;

import com.alibaba.csp.sentinel.Entry;
import com.alibaba.csp.sentinel.EntryType;
import com.alibaba.csp.sentinel.SphU;
import com.alibaba.csp.sentinel.Tracer;
import com.alibaba.csp.sentinel.slots.block.BlockException;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The breaker of one dependency (a database server, a Redis, a search cluster, Kafka): the only way
 * a store adapter calls its dependency. Open, the call is not made and
 * {@link DependencyUnavailableException} is thrown at once; closed or probing, the call is made,
 * timed, and counted as failed when {@code isFailure} says the dependency failed (a lost
 * connection, a timeout) — not when the answer is a business refusal such as a duplicate key. While it
 * is out, the call is also watched by a {@link HangDetector}: a dependency that stops answering is
 * skipped after twice its slow-call time, not after its calls' socket timeouts.
 */
public final class DependencyBreaker {

    private static final Logger log = LoggerFactory.getLogger(DependencyBreaker.class);

    /** A call to the dependency. */
    @FunctionalInterface
    public interface Call<T, X extends Exception> {
        T run() throws X;
    }

    private final String name;
    /** Sentinel's name for it: {@code name} in this instance's {@code SentinelScope}. */
    private final String resource;

    private final Breakers breakers;
    private final HangDetector hang = new HangDetector(System.nanoTime());

    DependencyBreaker(String name, String resource, Breakers breakers) {
        this.name = name;
        this.resource = resource;
        this.breakers = breakers;
    }

    /**
     * The adapter's own cheap check that the server answers (short timeouts, no pool): with one, no request
     * is ever the probe of a held dependency; the checks (every one registered must answer), run off the
     * request path, decide ({@link HangDetector}).
     */
    public void healthProbe(BooleanSupplier answers) {
        hang.healthProbe(answers);
    }

    HangDetector hangDetector() {
        return hang;
    }

    public String name() {
        return name;
    }

    public BreakerState state() {
        return breakers.stateOf(name);
    }

    private DependencyUnavailableException skipped() {
        breakers.countSkipped(name);
        return new DependencyUnavailableException(name, DependencyUnavailableException.Reason.BREAKER_OPEN);
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
        HangDetector.Call out = hang.leave(System.nanoTime());
        if (out == null) {
            throw skipped();
        }
        Entry entry;
        try {
            entry = SphU.entry(resource, EntryType.OUT);
        } catch (BlockException blocked) {
            hang.cancel(out);
            throw skipped();
        }
        boolean answered = true;
        try {
            return call.run();
        } catch (Throwable failure) {
            if (isFailure.test(failure)) {
                answered = false;
                Tracer.traceEntry(failure, entry);
            }
            throw failure;
        } finally {
            entry.exit();
            if (hang.returned(out, answered, System.nanoTime(), breakers.openNanos(name))) {
                log.info("event=breaker_closed dependency={} signal=hung", name);
            }
        }
    }
}
