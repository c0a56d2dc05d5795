package io.membercenter.degradation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A dependency that stops answering is skipped after the overdue time (not after its calls' socket
 * timeouts), probed once per open time, and used again as soon as any call comes back answered. Time is
 * passed in (nanoseconds), so the state machine is shown without waiting.
 */
class HangDetectorTest {

    private static final long MS = 1_000_000L;
    private static final long OVERDUE = 1_000 * MS;
    private static final long OPEN = 1_000 * MS;

    private final HangDetector detector = new HangDetector(0);

    @Test
    void callsOutPastTheOverdueTimeWithNothingBackOpenItAndLaterCallsAreSkipped() {
        detector.leave(0);
        detector.leave(10 * MS);

        assertThat(detector.check(900 * MS, OVERDUE, OPEN)).isEqualTo(HangDetector.Finding.NOTHING);
        assertThat(detector.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(detector.check(1_100 * MS, OVERDUE, OPEN)).isEqualTo(HangDetector.Finding.HUNG);

        assertThat(detector.state()).isEqualTo(BreakerState.OPEN);
        assertThat(detector.leave(1_200 * MS)).isNull();
        assertThat(detector.check(1_300 * MS, OVERDUE, OPEN))
                .as("opened once, not again")
                .isEqualTo(HangDetector.Finding.NOTHING);
    }

    @Test
    void afterTheOpenTimeOneProbeGoesOutAndItsAnswerClosesIt() {
        hangAt(1_100 * MS);

        HangDetector.Call probe = detector.leave(2_200 * MS);
        assertThat(probe).isNotNull();
        assertThat(detector.state()).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(detector.leave(2_210 * MS))
                .as("a second call while the probe is out")
                .isNull();

        assertThat(detector.returned(probe, true, 2_250 * MS, OPEN)).isTrue();
        assertThat(detector.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(detector.leave(2_260 * MS)).isNotNull();
    }

    @Test
    void aProbeThatFailsOrIsOverdueStartsAnotherOpenTime() {
        hangAt(1_100 * MS);
        HangDetector.Call failing = detector.leave(2_200 * MS);
        detector.returned(failing, false, 2_300 * MS, OPEN);
        assertThat(detector.state()).isEqualTo(BreakerState.OPEN);
        assertThat(detector.leave(3_000 * MS)).as("open until 3.3 s").isNull();

        HangDetector.Call hanging = detector.leave(3_400 * MS);
        assertThat(hanging).isNotNull();
        detector.check(4_500 * MS, OVERDUE, OPEN);
        assertThat(detector.state()).isEqualTo(BreakerState.OPEN);
        assertThat(detector.leave(5_000 * MS)).isNull();
        assertThat(detector.leave(5_600 * MS)).as("the next probe").isNotNull();
    }

    @Test
    void aCallOutWhenTheHangBeganThatComesBackAnsweredEndsItAtOnce() {
        HangDetector.Call early = detector.leave(0);
        detector.check(1_100 * MS, OVERDUE, OPEN);
        assertThat(detector.state()).isEqualTo(BreakerState.OPEN);

        detector.returned(early, true, 1_300 * MS, OPEN);

        assertThat(detector.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(detector.leave(1_310 * MS)).isNotNull();
    }

    @Test
    void aFailedReturnDoesNotEndAHang() {
        HangDetector.Call early = detector.leave(0);
        detector.leave(0);
        detector.check(1_100 * MS, OVERDUE, OPEN);

        detector.returned(early, false, 1_200 * MS, OPEN);

        assertThat(detector.state()).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void oneSlowCallAmongAnsweredOnesIsNotAHang() {
        detector.leave(0);
        for (long t = 100; t < 3_000; t += 100) {
            HangDetector.Call quick = detector.leave(t * MS);
            detector.returned(quick, true, (t + 1) * MS, OPEN);
            assertThat(detector.check((t + 2) * MS, OVERDUE, OPEN)).isEqualTo(HangDetector.Finding.NOTHING);
        }
        assertThat(detector.state()).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void manyThreadsRacingForTheProbeLetExactlyOneOut() throws Exception {
        hangAt(1_100 * MS);
        int threads = 32;
        AtomicInteger admitted = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> racers = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                racers.add(pool.submit(() -> {
                    start.await();
                    if (detector.leave(2_200 * MS) != null) admitted.incrementAndGet();
                    return null;
                }));
            }
            start.countDown();
            for (var racer : racers) racer.get();
        }
        assertThat(admitted.get()).isEqualTo(1);
        assertThat(detector.state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void withAHealthProbeNoRequestIsTheProbeAndTheProbesAnswerReleasesIt() {
        AtomicBoolean serverAnswers = new AtomicBoolean(false);
        AtomicInteger probes = new AtomicInteger();
        detector.healthProbe(() -> {
            probes.incrementAndGet();
            return serverAnswers.get();
        });
        hangAt(1_100 * MS);

        assertThat(detector.leave(2_500 * MS))
                .as("after the open time, still no request goes out")
                .isNull();
        assertThat(detector.check(2_500 * MS, OVERDUE, OPEN)).isEqualTo(HangDetector.Finding.NOTHING);
        assertThat(detector.check(2_600 * MS, OVERDUE, OPEN))
                .as("probed every 200 ms, not at every look")
                .isEqualTo(HangDetector.Finding.NOTHING);
        assertThat(probes.get()).isEqualTo(1);
        serverAnswers.set(true);

        assertThat(detector.check(2_700 * MS, OVERDUE, OPEN)).isEqualTo(HangDetector.Finding.ANSWERS_AGAIN);
        assertThat(detector.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(detector.leave(2_710 * MS)).isNotNull();
    }

    @Test
    void aSentinelOpenHoldsRequestsOffUntilTheHealthProbeAnswersAndIsIgnoredWithoutAProbe() {
        detector.hold(0, OPEN);
        assertThat(detector.state())
                .as("no health probe: Sentinel's own half-open decides")
                .isEqualTo(BreakerState.CLOSED);

        AtomicBoolean serverAnswers = new AtomicBoolean(false);
        detector.healthProbe(serverAnswers::get);
        detector.hold(10 * MS, OPEN);
        assertThat(detector.state()).isEqualTo(BreakerState.OPEN);
        assertThat(detector.leave(5_000 * MS)).isNull();
        detector.check(5_000 * MS, OVERDUE, OPEN);
        assertThat(detector.leave(5_100 * MS)).isNull();

        serverAnswers.set(true);
        detector.check(5_300 * MS, OVERDUE, OPEN);
        assertThat(detector.leave(5_310 * MS)).isNotNull();
    }

    @Test
    void withSeveralHealthProbesEveryOneMustAnswer() {
        AtomicBoolean firstPool = new AtomicBoolean(true);
        AtomicBoolean secondPool = new AtomicBoolean(false);
        detector.healthProbe(firstPool::get);
        detector.healthProbe(secondPool::get);
        hangAt(1_100 * MS);

        assertThat(detector.check(2_500 * MS, OVERDUE, OPEN)).isEqualTo(HangDetector.Finding.NOTHING);
        secondPool.set(true);

        assertThat(detector.check(2_700 * MS, OVERDUE, OPEN)).isEqualTo(HangDetector.Finding.ANSWERS_AGAIN);
    }

    /** Two calls out from 0, found hung at {@code when}: open until {@code when + OPEN}. */
    private void hangAt(long when) {
        detector.leave(0);
        detector.leave(0);
        assertThat(detector.check(when, OVERDUE, OPEN)).isEqualTo(HangDetector.Finding.HUNG);
    }
}
