package io.membercenter.bench.load;

import java.time.Duration;
import java.util.Optional;

/**
 * What one run measured.
 *
 * @param mode        {@code closed} or {@code open}
 * @param concurrency closed loop: the number of workers; open loop: the bound on requests in flight
 * @param askedRate   open loop: the asked arrival rate per second; closed loop: 0 (the system sets the pace)
 * @param measured    the measured window (warm-up excluded)
 * @param succeeded   measured requests that returned normally; their latencies are in {@code latency}
 * @param errors      measured requests that threw, or had not answered long after the run ended
 * @param dropped     open loop: measured requests never sent because {@code concurrency} were in flight
 * @param firstError  the first error seen (measured or not), to tell what went wrong
 */
public record LoadResult(
        String mode,
        int concurrency,
        double askedRate,
        Duration measured,
        long succeeded,
        long errors,
        long dropped,
        Latency latency,
        Optional<String> firstError) {

    /** Requests the run meant to measure: for an open loop, the schedule; for a closed loop, what it sent. */
    public long attempted() {
        return succeeded + errors + dropped;
    }

    public double throughputPerSecond() {
        return succeeded / (measured.toNanos() / 1e9);
    }

    public boolean isOpenLoop() {
        return mode.equals("open");
    }
}
