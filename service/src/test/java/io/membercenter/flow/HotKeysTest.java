package io.membercenter.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The hot-key counters on their own, with a clock the test moves: the window's semantics, per-key limits, and
 * the bound under threads racing each other and the once-a-second sweep. The service-level tests (hot key by path,
 * inside a batch-get body, a per-value exception) are in {@code FlowControlTest}.
 */
class HotKeysTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    @Test
    void aKeyGetsItsLimitPerWindowAndTheWindowIsRefilledWholeAfterAFullSecond() {
        HotKeys keys = new HotKeys(3, Map.of(), now::get);
        for (int i = 0; i < 3; i++) assertThat(keys.pass(List.of(7L))).isTrue();
        assertThat(keys.pass(List.of(7L))).as("the fourth in the window").isFalse();
        assertThat(keys.pass(List.of(8L))).as("another key has its own window").isTrue();
        now.addAndGet(999);
        assertThat(keys.pass(List.of(7L))).as("999 ms after the window opened").isFalse();
        now.addAndGet(1);
        for (int i = 0; i < 3; i++) assertThat(keys.pass(List.of(7L))).isTrue();
        assertThat(keys.pass(List.of(7L))).isFalse();
    }

    @Test
    void aKeyWithItsOwnLimitIsCountedAgainstItAndARequestOfSeveralKeysIsRefusedWhenOneIsOver() {
        HotKeys keys = new HotKeys(2, Map.of(9L, 5), now::get);
        for (int i = 0; i < 5; i++) assertThat(keys.pass(List.of(9L))).isTrue();
        assertThat(keys.pass(List.of(9L))).isFalse();
        assertThat(keys.pass(List.of(1L, 2L))).isTrue();
        assertThat(keys.pass(List.of(1L, 2L))).isTrue();
        assertThat(keys.pass(List.of(3L, 2L))).as("2 is over its limit").isFalse();
        assertThat(keys.pass(List.of(3L)))
                .as("3 was counted before 2 refused the request")
                .isTrue();
        assertThat(keys.pass(List.of(3L))).isFalse();
    }

    @Test
    void keysOfWindowsOlderThanASecondAreSweptOutAndCountingAfterwardsIsUnchanged() {
        HotKeys keys = new HotKeys(1, Map.of(), now::get);
        for (long k = 0; k < 1_000; k++) assertThat(keys.pass(List.of(k))).isTrue();
        assertThat(keys.keysCounted()).isEqualTo(1_000);
        now.addAndGet(1_000);
        assertThat(keys.pass(List.of(5L))).isTrue();
        assertThat(keys.keysCounted()).as("only the key asked for since").isEqualTo(1);
        assertThat(keys.pass(List.of(5L))).isFalse();
    }

    /**
     * 8 threads ask for 4 keys as fast as they can while the clock moves 1 ms per 50 requests, so windows end and
     * are swept while other threads count in them: for each key at most {@code limit × (1 + whole seconds elapsed)}
     * passes, and every window gives its whole limit (no pass lost).
     */
    @Test
    void underRacingThreadsAndSweepsNoKeyPassesMoreThanItsLimitPerWindow() throws Exception {
        int limit = 50;
        long start = now.get();
        HotKeys keys = new HotKeys(limit, Map.of(), now::get);
        AtomicLong requests = new AtomicLong();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<long[]>> passes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            for (int t = 0; t < 8; t++) {
                passes.add(threads.submit(() -> {
                    long[] passed = new long[4];
                    go.await();
                    for (int i = 0; i < 200_000; i++) {
                        if (requests.incrementAndGet() % 50 == 0) now.incrementAndGet();
                        int key = i % 4;
                        if (keys.pass(List.of((long) key))) passed[key]++;
                    }
                    return passed;
                }));
            }
            go.countDown();
        }
        long[] total = new long[4];
        for (Future<long[]> p : passes) {
            long[] passed = p.get();
            for (int k = 0; k < 4; k++) total[k] += passed[k];
        }
        long wholeSeconds = (now.get() - start) / 1_000;
        assertThat(wholeSeconds).as("the run spans many windows").isGreaterThanOrEqualTo(20);
        for (int k = 0; k < 4; k++) {
            assertThat(total[k])
                    .as("passes of key %d over %d whole seconds", k, wholeSeconds)
                    .isLessThanOrEqualTo(limit * (1 + wholeSeconds))
                    .isGreaterThanOrEqualTo(limit * (wholeSeconds - 1));
        }
    }
}
