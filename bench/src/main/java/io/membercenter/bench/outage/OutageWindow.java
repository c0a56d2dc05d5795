package io.membercenter.bench.outage;

/**
 * When mysql-a went away and came back, in nanoseconds since the run began: the moments the benchmark
 * called {@code LocalTopology.stop} and {@code start} and the moments those calls returned. {@code start}
 * returns when the server answers again, so {@link #readyNanos} is "mysql-a is back".
 *
 * <p>The outage, for every figure "while down", is from the stop call to the server being ready: a request
 * due in that time met a master that was going, gone or not yet back.
 */
record OutageWindow(long stopCalledNanos, long stoppedNanos, long startCalledNanos, long readyNanos) {

    OutageWindow {
        if (!(0 <= stopCalledNanos
                && stopCalledNanos <= stoppedNanos
                && stoppedNanos <= startCalledNanos
                && startCalledNanos <= readyNanos)) {
            throw new IllegalArgumentException("the outage's moments must be in order: stop called "
                    + stopCalledNanos + ", stopped " + stoppedNanos + ", start called " + startCalledNanos
                    + ", ready " + readyNanos);
        }
    }

    boolean isDownAt(long nanos) {
        return stopCalledNanos <= nanos && nanos < readyNanos;
    }

    long lengthNanos() {
        return readyNanos - stopCalledNanos;
    }
}
