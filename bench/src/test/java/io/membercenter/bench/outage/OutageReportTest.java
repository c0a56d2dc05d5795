package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Sample.Outcome;
import io.membercenter.bench.report.RunEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutageReportTest {

    private static final long MS = 1_000_000;
    private static final OutageSettings SETTINGS =
            new OutageSettings(1_000, 100, Duration.ofSeconds(20), Duration.ofSeconds(1), 1);
    private static final OutageWindow WINDOW = new OutageWindow(5_000 * MS, 5_500 * MS, 10_000 * MS, 12_000 * MS);

    @Test
    void saysEachGoalAndWhetherItWasMet() {
        String goals = OutageReport.goals(result());

        assertThat(goals)
                .contains("| read errors (reads by id and by mobile not answered 200, or dropped) | 0 | **1** of ")
                .contains("(by id 0, by mobile 1) | **no** |")
                .contains("| write answer time, p99 (every write sent, whatever the answer) | ≤ 100 ms | **300 ms**")
                .contains(
                        "| the same, of the writes due once the server was gone (stop returned → start called, 4.5 s;"
                                + " without the graceful shutdown) | ≤ 100 ms | **4.00 ms** (p50 2.00, max 4.00; 3 writes) | yes |")
                .contains("the others: 503 without Retry-After ×1")
                .contains("**300 ms** after it was ready (2,300 ms after `start` was called) | yes |")
                .contains(
                        "| every write acknowledged from (to the end of the run) | ≤ 1 s | **1,500 ms** after it was ready;"
                                + " writes due after it was ready not acknowledged: 1 | **no** |");
    }

    @Test
    void theSectionHasTheRowsTheBreakdownTheChartAndTheRun() {
        RunEnvironment environment = new RunEnvironment(
                "2",
                "8.0 GiB",
                "Test CPU",
                "JDK 25",
                "-Xmx1g",
                "abc1234",
                "0.1 0.2 0.3",
                Instant.EPOCH,
                "./mc bench outage");

        String section = OutageReport.markdown(
                result(),
                SETTINGS,
                new OutageReport.Machine(Optional.empty(), Optional.empty(), Optional.empty()),
                environment,
                "10.11",
                "benchmarks/outage.svg");

        assertThat(section)
                .startsWith("## outage: the ORDER mix with mysql-a stopped mid-run")
                .contains("| order-mix before the outage | open @ 100/s |")
                .contains("| order-mix, mysql-a down | open @ 100/s |")
                .contains("| mysql-a down | 5.0–12.0 |")
                .contains(
                        "![throughput, errors and write answer time against time through the outage](benchmarks/outage.svg)")
                .contains(
                        "stop called at 5.0 s, returned at 5.5 s; start called at 10.0 s, returned (mysql-a ready) at 12.0 s")
                .contains("- machine: 2 cores (nproc), 8.0 GiB, Test CPU");
    }

    private static OutageResult result() {
        List<Sample> samples = new ArrayList<>();
        for (long at = 0; at < 20_000; at += 100) {
            boolean down = WINDOW.isDownAt(at * MS);
            samples.add(new Sample(Kind.READ_BY_ID, down ? Outcome.STALE : Outcome.OK, 200, at * MS, (at + 2) * MS));
        }
        samples.add(new Sample(Kind.READ_BY_MOBILE, Outcome.FAILED, 0, 6_000 * MS, 16_000 * MS));
        samples.add(write(Outcome.OK, 200, 2_000, 2_050));
        samples.add(write(Outcome.REFUSED, 503, 5_100, 5_400)); // during the graceful shutdown
        samples.add(write(Outcome.REFUSED, 503, 6_000, 6_001));
        samples.add(write(Outcome.REFUSED, 503, 7_000, 7_004));
        samples.add(write(Outcome.FAILED, 503, 8_000, 8_002));
        samples.add(write(Outcome.OK, 200, 12_100, 12_300)); // first acknowledged: 300 ms after ready
        samples.add(write(Outcome.FAILED, 0, 13_000, 13_100)); // one more failure after ready
        samples.add(write(Outcome.OK, 200, 13_500, 13_520)); // steady from here: 1.5 s after ready
        samples.add(write(Outcome.OK, 200, 15_000, 15_020));
        Timeline timeline = new Timeline(samples, Duration.ofMillis(250), SETTINGS.length());
        return OutageResult.of(timeline, WINDOW, SETTINGS.warmup().toNanos(), 0);
    }

    private static Sample write(Outcome outcome, int status, long dueMillis, long doneMillis) {
        return new Sample(Kind.WRITE, outcome, status, dueMillis * MS, doneMillis * MS);
    }
}
