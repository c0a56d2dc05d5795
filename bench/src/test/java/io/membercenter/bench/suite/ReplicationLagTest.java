package io.membercenter.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicationLagTest {

    @Test
    void keepsTheHighestSampleOfEachLagSeriesAndIgnoresOtherMetrics() throws Exception {
        ReplicationLag lag = new ReplicationLag(null);

        lag.record("search_indexer_lag_seconds{cluster=\"search-primary\",} 0.25");
        lag.record("search_indexer_lag_seconds{cluster=\"search-primary\",} 1.5");
        lag.record("search_indexer_lag_seconds{cluster=\"search-primary\",} 0.5");
        lag.record("member_outbox_lag_seconds 0.125");
        lag.record("# HELP search_indexer_lag_seconds how far behind");
        lag.record("jvm_threads_live_threads 42.0");

        assertThat(lag.gaugeMaxima())
                .containsEntry("search_indexer_lag_seconds{cluster=\"search-primary\"}", 1.5)
                .containsEntry("member_outbox_lag_seconds", 0.125)
                .hasSize(2);
    }
}
