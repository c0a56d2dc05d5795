package io.membercenter.governance;

import java.time.Duration;

/**
 * Keeps an audit under {@code rows-per-second}: after each chunk it sleeps until the rows examined so far
 * are within the rate, plus the fixed pause between chunks. One per step; a step runs on one thread.
 */
final class Throttle {

    private final long nanosPerRow;
    private final long pauseNanos;
    private long nextAllowed = System.nanoTime();

    Throttle(int rowsPerSecond, Duration pauseBetweenChunks) {
        this.nanosPerRow = 1_000_000_000L / rowsPerSecond;
        this.pauseNanos = pauseBetweenChunks.toNanos();
    }

    /** After a chunk of {@code rows}: waits as long as the rate and the pause ask. */
    void afterChunk(int rows) {
        long now = System.nanoTime();
        nextAllowed = Math.max(nextAllowed, now) + rows * nanosPerRow + pauseNanos;
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
