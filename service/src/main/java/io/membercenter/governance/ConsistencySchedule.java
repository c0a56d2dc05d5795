package io.membercenter.governance;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the consistency checker's passes in the background (unless it is disabled), one at a time, {@code pass-interval} apart, on a thread
 * of its own: a pass sleeps to keep its rate, and on the application's shared scheduler it would hold back the
 * sweeper and the probes scheduled there.
 */
final class ConsistencySchedule implements AutoCloseable {

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("consistency-checker").factory());

    ConsistencySchedule(ConsistencyChecker checker, ConsistencyProperties properties) {
        if (!properties.enabled()) return;
        long interval = properties.passInterval().toMillis();
        executor.scheduleWithFixedDelay(checker::pass, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
