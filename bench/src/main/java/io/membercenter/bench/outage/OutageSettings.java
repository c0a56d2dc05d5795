package io.membercenter.bench.outage;

import java.time.Duration;

/**
 * What {@code ./mc bench outage} was asked for. mysql-a is stopped at a quarter of the load and started at
 * half; the warm-up (inside the first quarter) is drawn but not counted in the rows.
 */
record OutageSettings(int members, double ratePerSecond, Duration length, Duration warmup, int loadWorkers) {

    static final double ZIPF_EXPONENT = 0.99;
    static final int MAX_IN_FLIGHT = 1024;
    static final String STORE = "mysql-a";
    static final Duration WRITE_GOAL = Duration.ofMillis(100);
    static final Duration RESUME_GOAL = Duration.ofSeconds(1);
    /** At least this long a quarter, so each phase holds a few seconds of load. */
    private static final Duration SHORTEST = Duration.ofSeconds(20);

    OutageSettings {
        if (members < 1) throw new IllegalArgumentException("--members must be at least 1, was " + members);
        if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
            throw new IllegalArgumentException("--rate must be a positive number, was " + ratePerSecond);
        }
        if (length.compareTo(SHORTEST) < 0) {
            throw new IllegalArgumentException(
                    "--seconds must be at least " + SHORTEST.toSeconds() + ", was " + length.toSeconds());
        }
        if (warmup.isNegative() || warmup.compareTo(stopAt(length)) >= 0) {
            throw new IllegalArgumentException(
                    "--warmup must be at least 0 and shorter than a quarter of the run, was " + warmup);
        }
        if (loadWorkers < 1) throw new IllegalArgumentException("--load-workers must be at least 1");
    }

    Duration stopAt() {
        return stopAt(length);
    }

    Duration startAt() {
        return length.dividedBy(2);
    }

    private static Duration stopAt(Duration length) {
        return length.dividedBy(4);
    }
}
