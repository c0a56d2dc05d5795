package io.membercenter.migration;

import java.time.Duration;

/**
 * Keeps a step under {@code rows-per-second}: after each chunk it sleeps until the rows handled so far are within
 * the rate, so a full sync or a verify never takes more from the shards' masters and the legacy store than that.
 * One per step; a step runs on one thread.
 */
final class Throttle {

    private final long nanosPerRow;
    private long nextAllowed = System.nanoTime();

    Throttle(int rowsPerSecond) {
        this.nanosPerRow = 1_000_000_000L / rowsPerSecond;
    }

    void afterChunk(int rows) {
        long now = System.nanoTime();
        nextAllowed = Math.max(nextAllowed, now) + rows * nanosPerRow;
        long wait = nextAllowed - now;
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
