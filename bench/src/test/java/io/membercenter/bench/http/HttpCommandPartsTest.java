package io.membercenter.bench.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.membercenter.bench.report.RunEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpCommandPartsTest {

    private static final String WRK_OUTPUT = """
            Running 20s test @ http://127.0.0.1:40123
              2 threads and 16 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     1.61ms    1.02ms  30.12ms   91.10%
                Req/Sec     5.12k   402.11     6.01k    70.25%
              Latency Distribution
                 50%  412.00us
                 75%    1.50ms
                 90%    2.75ms
                 99%    1.20s
              203817 requests in 20.00s, 98.12MB read
              Socket errors: connect 0, read 2, write 0, timeout 1
              Non-2xx or 3xx responses: 7
            Requests/sec:  10190.85
            Transfer/sec:      4.91MB
            """;

    @Test
    void wrksOutputIsReadIntoRateRequestsPercentilesInMillisecondsAndEveryKindOfError() {
        Wrk.Result result = Wrk.parse(16, WRK_OUTPUT);

        assertThat(result.perSecond()).isEqualTo(10190.85);
        assertThat(result.requests()).isEqualTo(203817);
        assertThat(result.p50()).isEqualTo(0.412);
        assertThat(result.p90()).isEqualTo(2.75);
        assertThat(result.p99()).isEqualTo(1200.0);
        assertThat(result.errors()).as("7 non-2xx, 2 read errors, 1 timeout").isEqualTo(10);
    }

    @Test
    void outputWithoutALatencyDistributionIsRefusedRatherThanReadAsZero() {
        assertThatThrownBy(() -> Wrk.parse(16, "Requests/sec: 10.0\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Not wrk --latency output");
    }

    @Test
    void scriptsCarryTheKeyAndEveryPathAndRefuseWhatCouldBreakOutOfALuaString() {
        String script =
                WrkScripts.get("local-order-key", List.of("/v1/members/1", "/v1/members/by-mobile/%2B8613800000000"));

        assertThat(script)
                .contains("\"/v1/members/1\"")
                .contains("\"/v1/members/by-mobile/%2B8613800000000\"")
                .contains("Bearer local-order-key")
                .contains("wrk.format(\"GET\"");
        assertThat(WrkScripts.patchNickname("k", List.of("/v1/members/1")))
                .contains("\"PATCH\"")
                .contains("merge-patch+json");
        assertThatThrownBy(() -> WrkScripts.get("k", List.of("/v1/members/\"..os.exit()..\"")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSustainableRateIsTheBestStepWithinTenMillisecondsAndNoErrors() {
        HttpReport.Sweep sweep = new HttpReport.Sweep(
                "service-get-by-id",
                List.of(
                        new Wrk.Result(4, 3_000, 30_000, 1, 2, 4, 0),
                        new Wrk.Result(8, 5_500, 55_000, 1, 3, 9.5, 0),
                        new Wrk.Result(16, 6_000, 60_000, 2, 5, 9.0, 3),
                        new Wrk.Result(32, 6_200, 62_000, 4, 9, 18, 0)));

        assertThat(sweep.sustainable())
                .get()
                .extracting(Wrk.Result::connections)
                .isEqualTo(8);
    }

    @Test
    void theGoalsAreJudgedAgainstTheCeilingTheNaiveServiceAndTheRawTransactionOfTheSameRun() {
        List<HttpReport.Row> rows = List.of(
                new HttpReport.Row("reads", "ceiling", 16, 10_000, 1, 2, 5, 0, 1.5),
                new HttpReport.Row("reads", "service-get-by-id", 16, 8_500, 1, 2, 6, 0, 1.5),
                new HttpReport.Row("reads", "service-by-mobile", 16, 7_000, 1, 2, 7, 0, 1.5),
                new HttpReport.Row("writes", "service-patch", 16, 500, 20, 40, 80, 0, 0.8),
                new HttpReport.Row("writes", "naive-patch", 16, 900, 10, 20, 40, 0, 0.5),
                new HttpReport.Row("writes", "jdbc-update-transaction", 16, 2_000, 5, 9, 20, 0, Double.NaN));
        List<HttpReport.Sweep> sweeps = List.of(
                new HttpReport.Sweep("service-get-by-id", List.of(new Wrk.Result(8, 5_100, 51_000, 1, 3, 9.9, 0))));

        String markdown = HttpReport.markdown(rows, sweeps, 20_000, RunEnvironment.capture(List.of("http")));

        assertThat(markdown)
                .contains("service-get-by-id ≥ 0.8 × the ceiling: **×0.85** (8,500/s against 10,000/s) — met")
                .contains("service-by-mobile ≥ 0.8 × the ceiling: **×0.70** (7,000/s against 10,000/s) — not met")
                .contains("service-get-by-id sustainable at p99 ≤ 10 ms ≥ 5,000/s: **5,100/s** — met")
                .contains("PATCH ≥ the naive service's PATCH: **×0.56** (500/s against 900/s) — not met")
                .contains(
                        "PATCH ≥ 0.5 × the raw single-row update transaction: **×0.25** (500/s against 2,000/s) — not met")
                .contains("| writes | jdbc-update-transaction | 16 | 2,000 | 5.00 | 9.00 | 20.00 | 0 | – |");
    }
}
