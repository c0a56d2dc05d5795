package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MasterOutageTest {

    private static final long MS = 1_000_000;

    @Test
    void stopsAndStartsAtThePlannedMomentsAndSaysWhenEachCallReturned() throws Exception {
        RecordingStore store = new RecordingStore(Duration.ofMillis(30), Duration.ofMillis(50));
        long origin = System.nanoTime();

        OutageWindow window = new MasterOutage(store, Duration.ofMillis(100), Duration.ofMillis(300))
                .begin(origin)
                .get(5, TimeUnit.SECONDS);

        assertThat(store.calls).containsExactly("stop", "start");
        assertThat(window.stopCalledNanos()).isBetween(100 * MS, 200 * MS);
        assertThat(window.stoppedNanos() - window.stopCalledNanos()).isGreaterThanOrEqualTo(30 * MS);
        assertThat(window.startCalledNanos()).isBetween(300 * MS, 400 * MS);
        assertThat(window.readyNanos() - window.startCalledNanos()).isGreaterThanOrEqualTo(50 * MS);
        assertThat(window.isDownAt(window.stopCalledNanos())).isTrue();
        assertThat(window.isDownAt(window.readyNanos())).isFalse();
    }

    @Test
    void aStopThatFailsStillLeavesTheStoreStarted() {
        RecordingStore store = new RecordingStore(Duration.ZERO, Duration.ZERO) {
            @Override
            public void stop() {
                super.stop();
                throw new IllegalStateException("could not stop");
            }
        };

        assertThatThrownBy(() -> new MasterOutage(store, Duration.ZERO, Duration.ofMillis(10))
                        .begin(System.nanoTime())
                        .get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("could not stop");
        assertThat(store.calls).containsExactly("stop", "start");
    }

    @Test
    void theStartMustComeAfterTheStop() {
        assertThatThrownBy(() -> new MasterOutage(
                        new RecordingStore(Duration.ZERO, Duration.ZERO), Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutageWindow(10, 5, 20, 30)).isInstanceOf(IllegalArgumentException.class);
    }

    private static class RecordingStore implements MasterOutage.Store {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final Duration stopping;
        private final Duration starting;

        RecordingStore(Duration stopping, Duration starting) {
            this.stopping = stopping;
            this.starting = starting;
        }

        @Override
        public void stop() {
            calls.add("stop");
            OutageLoad.sleepUntil(System.nanoTime() + stopping.toNanos());
        }

        @Override
        public void start() {
            calls.add("start");
            OutageLoad.sleepUntil(System.nanoTime() + starting.toNanos());
        }
    }
}
