package io.membercenter.bench.outage;

import io.membercenter.bench.outage.Timeline.Phase;
import java.util.OptionalLong;

/**
 * The run cut at the outage: before it (from the end of the warm-up: the baseline), while mysql-a was down
 * (from the stop call until it answered again), and after; and how soon writes came back.
 *
 * @param firstWriteAfterReadyNanos the first write acknowledged once start had been called, from the moment
 *                                  mysql-a was ready (negative: acknowledged before {@code start} returned,
 *                                  which waits for the server's readiness check)
 * @param steadyAfterReadyNanos     from mysql-a being ready until the first write due after the last one that
 *                                  was not acknowledged: from then on, to the end of the run, every write was
 * @param unacknowledgedAfterReady  writes due after mysql-a was ready that were not acknowledged
 * @param gone                      the part of {@code down} in which the server was gone: from the stop's return
 *                                  (the process had exited) until start was called; {@code down} also holds the
 *                                  graceful shutdown, while the server still closed its connections
 */
record OutageResult(
        OutageWindow window,
        Phase before,
        Phase down,
        Phase after,
        Phase gone,
        OptionalLong firstWriteAfterReadyNanos,
        OptionalLong steadyAfterReadyNanos,
        long unacknowledgedAfterReady,
        int unanswered) {

    static OutageResult of(Timeline timeline, OutageWindow window, long warmupNanos, int unanswered) {
        long ready = window.readyNanos();
        return new OutageResult(
                window,
                timeline.phase(warmupNanos, window.stopCalledNanos()),
                timeline.phase(window.stopCalledNanos(), ready),
                timeline.phase(ready, timeline.lengthNanos()),
                timeline.phase(window.stoppedNanos(), window.startCalledNanos()),
                minus(timeline.firstWriteSuccessAnsweredFrom(window.startCalledNanos()), ready),
                minus(timeline.steadyWritesFrom(window.stopCalledNanos()), ready),
                timeline.unsuccessfulWritesFrom(ready),
                unanswered);
    }

    private static OptionalLong minus(OptionalLong at, long origin) {
        return at.isPresent() ? OptionalLong.of(at.getAsLong() - origin) : OptionalLong.empty();
    }

    /** Reads due while down that were not answered 200 (refused, failed or dropped): the goal is 0. */
    long readErrorsWhileDown() {
        return down.reads().errors() + down.reads().dropped();
    }
}
