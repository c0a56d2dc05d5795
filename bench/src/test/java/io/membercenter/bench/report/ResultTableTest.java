package io.membercenter.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.load.Latency;
import io.membercenter.bench.load.LoadResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class ResultTableTest {

    private static final LoadResult SERVICE = closedLoop(1_000, 4_000_000, 20_000_000);
    private static final LoadResult BASELINE = closedLoop(4_000, 1_000_000, 5_000_000);

    @Test
    void aServiceRowStatesItsRatiosToItsBaseline() {
        ResultRow row = ResultRow.comparedTo(
                "api-get-by-id",
                new ResultRow.Measured(SERVICE, Optional.empty()),
                new ResultRow.Measured(BASELINE, Optional.empty()));

        assertThat(ResultTable.cells(row))
                .containsExactly(
                        "api-get-by-id",
                        "closed",
                        "16 workers",
                        "1,000",
                        "4.00",
                        "8.00",
                        "20.0",
                        "30.0",
                        "40.0",
                        "0",
                        "ops/s ×0.25, p50 ×4.00, p99 ×4.00",
                        "–",
                        "–");
    }

    @Test
    void markdownHasOneLinePerRowUnderItsHeader() {
        String table = ResultTable.markdown(List.of(ResultRow.baseline(
                "jdbc-point-select",
                new ResultRow.Measured(
                        BASELINE, Optional.of(new MachineLoad(0.5, 1.2, 1.9, 2, OptionalDouble.of(0.123)))))));

        assertThat(table.lines()).hasSize(3);
        assertThat(table.lines().toList().get(2)).contains("| baseline |", "| 0.5 + 1.2 + 0.2 of 2 | 12 % |");
    }

    private static LoadResult closedLoop(long opsPerSecond, long p50Nanos, long p99Nanos) {
        Latency latency = new Latency(
                opsPerSecond * 10, p50Nanos, 2 * p50Nanos, p99Nanos, p99Nanos * 3 / 2, 2 * p99Nanos, p50Nanos);
        return new LoadResult(
                "closed", 16, 0, Duration.ofSeconds(10), opsPerSecond * 10, 0, 0, latency, Optional.empty());
    }
}
