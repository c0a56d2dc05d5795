package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeyFloodTest {

    private static final HeyFlood.Plan PLAN =
            new HeyFlood.Plan("search", "POST", "http://127.0.0.1:1/v1/members/search", "{}", 10, 100);

    /** hey 0.1.4's summary, as it prints it (shortened where it lists latencies). */
    private static final String PRINTED = """

            Summary:
              Total:\t32.0031 secs
              Slowest:\t0.2016 secs
              Fastest:\t0.0004 secs
              Average:\t0.0021 secs
              Requests/sec:\t999.6031

              Total data:\t1234567 bytes
              Size/request:\t38 bytes

            Status code distribution:
              [200]\t3200 responses
              [429]\t28780 responses

            Error distribution:
              [7]\tPost "http://127.0.0.1:1/v1/members/search": dial tcp 127.0.0.1:1: connect: connection refused
              [3]\tPost "http://127.0.0.1:1/v1/members/search": EOF
            """;

    @Test
    void theSummaryGivesTheRateEveryStatusAndTheErrorsAsNoAnswer() {
        HeyFlood.Result result = HeyFlood.parse(PLAN, PRINTED, 32);

        assertThat(result.sentPerSecond()).isEqualTo(999.6031);
        assertThat(result.count(200)).isEqualTo(3_200);
        assertThat(result.count(429)).isEqualTo(28_780);
        assertThat(result.count(0)).as("requests that got no answer").isEqualTo(10);
        assertThat(result.total()).isEqualTo(31_990);
        assertThat(result.perSecond(200)).isEqualTo(100.0);
        assertThat(PLAN.ratePerSecond()).isEqualTo(1_000);
    }

    @Test
    void anOutputWithoutASummaryIsAnErrorNotAnEmptyResult() {
        assertThatThrownBy(() -> HeyFlood.parse(PLAN, "flag provided but not defined: -x", 30))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Requests/sec");
    }
}
