package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Sample.Outcome;
import org.junit.jupiter.api.Test;

class SampleTest {

    @Test
    void a503IsACleanRefusalOnlyWithRetryAfter() {
        assertThat(Outcome.of(503, true, false)).isEqualTo(Outcome.REFUSED);
        assertThat(Outcome.of(503, false, false)).isEqualTo(Outcome.FAILED);
        assertThat(Outcome.of(429, true, false)).isEqualTo(Outcome.FAILED);
        assertThat(Outcome.of(500, false, false)).isEqualTo(Outcome.FAILED);
        assertThat(Outcome.of(Sample.NO_ANSWER, false, false)).isEqualTo(Outcome.FAILED);
    }

    @Test
    void a200IsStaleOnlyWithTheHeader() {
        assertThat(Outcome.of(200, false, true)).isEqualTo(Outcome.STALE);
        assertThat(Outcome.of(200, false, false)).isEqualTo(Outcome.OK);
        assertThat(Outcome.STALE.succeeded()).isTrue();
        assertThat(Outcome.REFUSED.succeeded()).isFalse();
    }

    @Test
    void answerTimeRunsFromTheDueTime() {
        Sample sample = new Sample(Kind.WRITE, Outcome.REFUSED, 503, 1_000, 4_000);

        assertThat(sample.answerNanos()).isEqualTo(3_000);
        assertThat(sample.failed()).isTrue();
        assertThat(Sample.dropped(Kind.READ_BY_ID, 7).failed()).isFalse();
        assertThatThrownBy(() -> new Sample(Kind.WRITE, Outcome.OK, 200, 10, 9))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
