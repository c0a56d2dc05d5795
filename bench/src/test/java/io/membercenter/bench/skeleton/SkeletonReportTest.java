package io.membercenter.bench.skeleton;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.load.Latency;
import io.membercenter.bench.load.LoadResult;
import io.membercenter.bench.report.MachineLoad;
import io.membercenter.bench.report.ResultRow;
import io.membercenter.bench.report.ResultRow.Measured;
import io.membercenter.bench.report.RunEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class SkeletonReportTest {

    private static final SkeletonSettings SETTINGS = new SkeletonSettings(Duration.ofSeconds(3), Duration.ofSeconds(10),
            16, 20_000, SkeletonSettings.KeyDistribution.ZIPFIAN, 0.99, 0.5, 1024, "local-order-key");
    private static final RunEnvironment ENVIRONMENT = new RunEnvironment("2", "23.5 GiB", "AMD EPYC", "Temurin 25",
            "-Xmx1g", "abc1234", "0.10 0.20 0.30", Instant.parse("2026-11-24T09:00:00Z"), "./mc bench skeleton");

    @Test
    void namesTheRunTheSettingsAndWhatEachRowMeasures() {
        String section = SkeletonReport.markdown(List.of(row(0.1)), SETTINGS, ENVIRONMENT, "10.11.19-MariaDB");

        assertThat(section).contains("| api-get-by-id | closed | 16 workers |", "`./mc bench skeleton`", "abc1234",
                "20,000 members", "Zipfian (s = 0.99)", "3 s warm-up, then 10 s measured", "MariaDB 10.11.19",
                "- **jdbc-insert**", "- **jdbc-point-select**");
        assertThat(section).doesNotContain("Noisy run");
        assertThat(section.lines().filter(line -> !line.startsWith("|")))
                .allSatisfy(line -> assertThat(line.length()).as(line).isLessThanOrEqualTo(120));
    }

    @Test
    void warnsWhenOtherWorkTookCoresFromTheRun() {
        String section = SkeletonReport.markdown(List.of(row(0.9)), SETTINGS, ENVIRONMENT, "10.11.19-MariaDB");

        assertThat(section).contains("**Noisy run**", "up to 0.9 cores");
    }

    private static ResultRow row(double otherCores) {
        Latency latency = new Latency(1_000, 1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000, 1_500_000);
        LoadResult result = new LoadResult("closed", 16, 0, Duration.ofSeconds(10), 1_000, 0, 0, latency, Optional.empty());
        MachineLoad machine = new MachineLoad(1.0, 0.5, 1.5 + otherCores, 2, OptionalDouble.of(0.02));
        return ResultRow.baseline("api-get-by-id", new Measured(result, Optional.of(machine)));
    }
}
