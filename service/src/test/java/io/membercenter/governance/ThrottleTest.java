package io.membercenter.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The audit's pace: rows per second and the pause between chunks hold whatever the chunks' sizes. */
class ThrottleTest {

    @Test
    void rowsPerSecondBoundsTheRate() {
        Throttle throttle = new Throttle(10_000, Duration.ZERO);
        long start = System.nanoTime();

        for (int chunk = 0; chunk < 10; chunk++) throttle.afterChunk(200); // 2,000 rows: at least 200 ms

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
    }

    @Test
    void thePauseComesOnTopOfTheRate() {
        Throttle throttle = new Throttle(1_000_000, Duration.ofMillis(20));
        long start = System.nanoTime();

        for (int chunk = 0; chunk < 5; chunk++) throttle.afterChunk(1);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(95));
    }

    @Test
    void badSettingsAreRefusedAtStart() {
        assertThatThrownBy(() ->
                        new GovernanceProperties(0, 200, Duration.ZERO, Duration.ofSeconds(3), Duration.ofMinutes(1)))
                .hasMessageContaining("rows-per-second");
        assertThatThrownBy(() ->
                        new GovernanceProperties(100, 0, Duration.ZERO, Duration.ofSeconds(3), Duration.ofMinutes(1)))
                .hasMessageContaining("chunk-size");
    }
}
