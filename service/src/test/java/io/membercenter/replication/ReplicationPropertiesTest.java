package io.membercenter.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The outbox purge and poll settings are validated at start, each failure naming its property. */
class ReplicationPropertiesTest {

    @ParameterizedTest
    @CsvSource({
        "PT0S,   PT1M, 1000, outbox-retention",
        "-PT1H,  PT1M, 1000, outbox-retention",
        "PT59S,  PT1M, 1000, outbox-retention",
        "P7D,    PT0S, 1000, outbox-purge-interval",
        "P7D,    PT1M, 0,    outbox-purge-batch",
        "P7D,    PT1M, 100001, outbox-purge-batch",
    })
    void badPurgeSettingsDoNotStartAndNameTheProperty(
            Duration retention, Duration interval, int batch, String property) {
        assertThatThrownBy(() -> properties(retention, interval, batch))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("member-center.replication." + property);
    }

    @Test
    void sensiblePurgeSettingsAreKept() {
        ReplicationProperties kept = properties(Duration.ofDays(3), Duration.ofMinutes(5), 500);

        assertThat(kept.outboxRetention()).isEqualTo(Duration.ofDays(3));
        assertThat(kept.outboxPurgeInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(kept.outboxPurgeBatch()).isEqualTo(500);
    }

    @ParameterizedTest
    @CsvSource({"PT0S, PT0.25S", "PT0.02S, PT0.01S", "PT0.02S, PT0.501S"})
    void anIdlePollIntervalBelowThePollIntervalOrAbove500msDoesNotStart(Duration poll, Duration idle) {
        assertThatThrownBy(() -> properties(poll, idle, Duration.ofDays(7), Duration.ofMinutes(1), 1000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("member-center.replication.poll-interval");
    }

    private static ReplicationProperties properties(Duration retention, Duration interval, int batch) {
        return properties(Duration.ofMillis(20), Duration.ofMillis(250), retention, interval, batch);
    }

    private static ReplicationProperties properties(
            Duration poll, Duration idle, Duration retention, Duration interval, int batch) {
        return new ReplicationProperties(
                "",
                "member-changes",
                12,
                (short) 1,
                poll,
                idle,
                500,
                retention,
                interval,
                batch,
                Duration.ofSeconds(5),
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                Duration.ofSeconds(1),
                Duration.ofSeconds(2));
    }
}
