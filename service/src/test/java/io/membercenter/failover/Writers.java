package io.membercenter.failover;

import static org.awaitility.Awaitility.await;

import io.membercenter.support.ApiClient;
import io.membercenter.support.ApiClient.Response;
import io.membercenter.support.RequestBody;
import io.membercenter.support.TestData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writers registering members through the given instances (one thread each) until stopped: which writes were
 * acknowledged, when each was sent and answered, and what every other answer was — what the failover tests check
 * write by write after a switch, a kill or a lost data center.
 */
final class Writers {
    private final List<ApiClient> instances;
    private final Duration patience;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();
    /** Of each acknowledged write: when it was sent and when its answer came, in nanos. */
    private final List<long[]> acknowledgedTimes = new CopyOnWriteArrayList<>();

    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final List<Thread> threads = new ArrayList<>();

    /** {@code patience}: how long the waits below wait. */
    Writers(List<ApiClient> instances, Duration patience) {
        this.instances = instances;
        this.patience = patience;
    }

    void start() {
        for (ApiClient instance : instances) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    long sent = System.nanoTime();
                    Response created = instance.create(RequestBody.create(TestData.mobile(), null));
                    if (created.status() == 201) {
                        acknowledged.add(created.memberId());
                        acknowledgedTimes.add(new long[] {sent, System.nanoTime()});
                    } else {
                        failures.add(created.status() + " " + created.text());
                    }
                }
            }));
        }
    }

    void awaitAcknowledged(int count) {
        await().atMost(patience).until(() -> acknowledged.size() >= count);
    }

    /** Until {@code count} writes sent after {@code nanos} were acknowledged. */
    void awaitAcknowledgedAfter(long nanos, int count) {
        await().atMost(patience)
                .until(() -> acknowledgedTimes.stream()
                                .filter(times -> times[0] > nanos)
                                .count()
                        >= count);
    }

    List<String> acknowledgedSoFar() {
        return List.copyOf(acknowledged);
    }

    /** When the first write sent after {@code nanos} was acknowledged. */
    long firstAcknowledgedAfter(long nanos) {
        return acknowledgedTimes.stream()
                .filter(times -> times[0] > nanos)
                .mapToLong(times -> times[1])
                .min()
                .orElseThrow();
    }

    List<String> failures() {
        return List.copyOf(failures);
    }

    void stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) thread.join();
    }
}
