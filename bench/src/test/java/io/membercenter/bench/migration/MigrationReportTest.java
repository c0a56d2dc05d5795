package io.membercenter.bench.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.report.RunEnvironment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationReportTest {

    private static final RunEnvironment ENVIRONMENT = new RunEnvironment(
            "2", "24 GiB", "cpu", "jdk 25", "-Xmx1g", "abc1234", "0.5 0.4 0.3", Instant.EPOCH, "migration");

    @Test
    void theSectionComparesTheFullSyncWithTheRawCopyAndSaysWhetherEachGoalIsMet() {
        String markdown = MigrationReport.markdown(run(3_000, lags(100, 1_500), 0, 0), ENVIRONMENT);

        assertThat(markdown)
                .contains("full sync ≥ 0.5 × the raw copy — met (×0.500)")
                .contains("**6,000 members/s** | 4 streams")
                .contains("**3,000 members/s** (3,100 rows/s), ×0.500 the raw copy")
                .contains("lag p99 < 2 s under the legacy writer — met")
                .contains("| verify | 31,000 rows | 2.0 s | **15,500 rows/s** | 0 mismatches")
                .contains("0.002 write statements")
                .contains("](benchmarks/migration.svg)")
                .contains("abc1234");
    }

    @Test
    void aSlowSyncALongLagAndFindingsAreReportedAsSuch() {
        String markdown = MigrationReport.markdown(run(60, lags(100, 3_000), 2, 1), ENVIRONMENT);

        assertThat(markdown)
                .contains("full sync ≥ 0.5 × the raw copy — not met (×0.010)")
                .contains("p99 < 2 s under the legacy writer — not met (p99 3,000 ms)")
                .contains("3 findings (2 mismatched, 0 missing, 1 extra)");
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> sorted = new ArrayList<>();
        for (long i = 1; i <= 100; i++) sorted.add(i);

        assertThat(MigrationReport.percentile(sorted, 50)).isEqualTo(50);
        assertThat(MigrationReport.percentile(sorted, 99)).isEqualTo(99);
        assertThat(MigrationReport.percentile(sorted, 100)).isEqualTo(100);
        assertThat(MigrationReport.percentile(List.of(), 99)).isZero();
    }

    @Test
    void markersAreCleanActiveMembersOfThePopulation() {
        assertThat(MigrationCommand.markerKeys())
                .hasSize(78)
                .doesNotContain(58L, 60L)
                .contains(11L, 90L);
    }

    /** 98 samples at {@code typical} ms and two at {@code slowest}. */
    private static List<LagProbe.Sample> lags(long typical, long slowest) {
        List<LagProbe.Sample> samples = new ArrayList<>();
        for (int i = 0; i < 100; i++) samples.add(new LagProbe.Sample(i * 500L, i >= 98 ? slowest : typical));
        return samples;
    }

    private static MigrationReport.Run run(
            double fullMembersPerSecond, List<LagProbe.Sample> samples, long mismatched, long extra) {
        long created = 30_000;
        long fullNanos = (long) (created / fullMembersPerSecond * 1e9);
        return new MigrationReport.Run(
                31_000,
                5_000_000_000L,
                new RawCopy.Result(30_000, 10_000, 4, 5_000_000_000L),
                new MigrationReport.Load(1.5, 2),
                new MigrationReport.FullSync(31_000, created, 1_000, fullNanos, 4, 1_000),
                new MigrationReport.Load(2.0, 2),
                new MigrationReport.Incremental(20, 19.5, 60, samples, 0, 1_100),
                null,
                new MigrationReport.Verified(31_000, 2_000_000_000L, mismatched, 0, extra, 1_000),
                null,
                new ServerCounters.Snapshot(60, 120, 0),
                new ServerCounters.Snapshot(250_000, 600_000, 70_000),
                "benchmarks/migration.svg");
    }
}
