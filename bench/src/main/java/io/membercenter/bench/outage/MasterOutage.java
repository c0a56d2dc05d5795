package io.membercenter.bench.outage;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Stops a store at one moment of the run and starts it again at another, on a thread of its own, beside
 * the load, and notes when each call was made and returned. The store is stopped the way the topology
 * stops it (a graceful shutdown of the real server; its data stays) and brought back on the same port.
 */
final class MasterOutage {

    /** What is taken away: {@code LocalTopology.stop/start} of one store, or a stand-in in tests. */
    interface Store {
        void stop();

        void start();
    }

    private final Store store;
    private final Duration stopAt;
    private final Duration startAt;

    MasterOutage(Store store, Duration stopAt, Duration startAt) {
        if (stopAt.isNegative() || startAt.compareTo(stopAt) <= 0) {
            throw new IllegalArgumentException(
                    "the store must be stopped (" + stopAt + ") before it is started (" + startAt + ")");
        }
        this.store = store;
        this.stopAt = stopAt;
        this.startAt = startAt;
    }

    /**
     * Begins at once; the future completes when the store is back, with when things happened relative to
     * {@code originNanos}. If stopping or starting throws, the store is started again (a run must leave it
     * running) and the future fails.
     */
    CompletableFuture<OutageWindow> begin(long originNanos) {
        CompletableFuture<OutageWindow> window = new CompletableFuture<>();
        Thread.ofPlatform().name("outage-of-store").daemon().start(() -> {
            try {
                OutageLoad.sleepUntil(originNanos + stopAt.toNanos());
                long stopCalled = System.nanoTime() - originNanos;
                store.stop();
                long stopped = System.nanoTime() - originNanos;
                OutageLoad.sleepUntil(originNanos + startAt.toNanos());
                long startCalled = Math.max(System.nanoTime() - originNanos, stopped);
                store.start();
                long ready = System.nanoTime() - originNanos;
                window.complete(new OutageWindow(stopCalled, stopped, startCalled, ready));
            } catch (RuntimeException e) {
                try {
                    store.start();
                } catch (RuntimeException again) {
                    e.addSuppressed(again);
                }
                window.completeExceptionally(e);
            }
        });
        return window;
    }
}
