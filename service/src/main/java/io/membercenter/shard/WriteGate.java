package io.membercenter.shard;

import io.membercenter.api.StoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Whether writes may go to the master now: open (the default, and always without a coordination store), held (a
 * planned switchover: a write waits, up to the hold's bound, then 503) or refused (this instance cannot be sure which
 * copy is master: 503 at once). It also counts the writes in flight, so a switchover fences the old master only
 * once none of this instance's writes is still on it ({@link #awaitDrained}).
 *
 * <p>Why a lock and a condition rather than a semaphore: a hold must let the writes in flight finish and stop new
 * ones, then release every waiter at once; a held writer's wait is bounded from its own arrival, not the hold's.
 */
final class WriteGate {

    enum State {
        OPEN,
        HELD,
        REFUSED
    }

    /** One write in flight; closing it is the write's end. */
    interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private State state = State.OPEN;
    private String refusal = "";
    private Duration holdBound = Duration.ZERO;
    private int inFlight;

    /** Enters a write: waits while held (at most the hold's bound), refuses when refused. */
    Permit enter() {
        lock.lock();
        try {
            long remaining = holdBound.toNanos();
            while (state == State.HELD) {
                if (remaining <= 0) {
                    throw new StoreUnavailableException(
                            "The member database is switching masters; the write was not started.");
                }
                remaining = changed.awaitNanos(remaining);
            }
            if (state == State.REFUSED) {
                throw new StoreUnavailableException(refusal);
            }
            inFlight++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("The write was interrupted before it started.");
        } finally {
            lock.unlock();
        }
        return this::leave;
    }

    /** For long sessions (the relay's): refused while held or refused, never waits, not counted as a write. */
    void requireOpen() {
        lock.lock();
        try {
            if (state != State.OPEN) {
                throw new StoreUnavailableException(
                        state == State.REFUSED ? refusal : "The member database is switching masters.");
            }
        } finally {
            lock.unlock();
        }
    }

    private void leave() {
        lock.lock();
        try {
            inFlight--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void hold(Duration bound) {
        transition(State.HELD, "", bound);
    }

    void refuse(String reason) {
        transition(State.REFUSED, reason, Duration.ZERO);
    }

    void open() {
        transition(State.OPEN, "", Duration.ZERO);
    }

    State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    private void transition(State next, String reason, Duration bound) {
        lock.lock();
        try {
            state = next;
            refusal = reason;
            holdBound = bound;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True once no write is in flight (new ones are held or refused), false if some still are after timeout. */
    boolean awaitDrained(Duration timeout) {
        lock.lock();
        try {
            long remaining = timeout.toNanos();
            while (inFlight > 0) {
                if (remaining <= 0) return false;
                remaining = changed.awaitNanos(remaining);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }
}
