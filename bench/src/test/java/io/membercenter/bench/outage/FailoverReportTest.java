package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Sample.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailoverReportTest {

    private static final long MS = 1_000_000;
    private static final OutageWindow WINDOW = new OutageWindow(5_000 * MS, 5_001 * MS, 10_000 * MS, 12_000 * MS);

    @Test
    void writesResumeAtTheFirstWriteSentAfterTheKillThatWasAcknowledged() {
        List<Sample> samples = new ArrayList<>();
        // in flight at the kill and acknowledged just after it: not a resumed write
        samples.add(new Sample(Kind.WRITE, Outcome.OK, 200, 4_990 * MS, 5_010 * MS));
        samples.add(new Sample(Kind.WRITE, Outcome.REFUSED, 503, 5_100 * MS, 5_102 * MS));
        samples.add(new Sample(Kind.WRITE, Outcome.OK, 200, 5_900 * MS, 6_200 * MS));
        samples.add(new Sample(Kind.READ_BY_ID, Outcome.STALE, 200, 5_200 * MS, 5_205 * MS));

        FailoverReport.Run run = run(samples, List.of(), 200);

        assertThat(run.writesResumedNanos()).hasValue(1_200 * MS);
        String goals = FailoverReport.goals(run);
        assertThat(goals)
                .contains(
                        "| read errors, from the kill to the end of the run | 0 | **0** of 1 (1 answered stale) | yes |")
                .contains("| ≤ 3 s (GitHub's MySQL failover: 10–13 s) | **1200 ms** after the kill | yes |")
                .contains("| all | 1 of 1 | yes |")
                .contains("| 0 | **0** of 3 members written | yes |")
                .contains("A → B, epoch 2, recorded 900 ms after the kill");
    }

    @Test
    void aLostWriteAFailedReadAWriteWithoutRetryAfterAndAFailedFailbackEachMissTheirGoal() {
        List<Sample> samples = new ArrayList<>();
        samples.add(new Sample(Kind.READ_BY_MOBILE, Outcome.FAILED, 503, 5_500 * MS, 5_600 * MS));
        samples.add(new Sample(Kind.WRITE, Outcome.FAILED, 500, 5_500 * MS, 5_600 * MS));
        samples.add(new Sample(Kind.WRITE, Outcome.FAILED, 503, 15_100 * MS, 15_200 * MS));

        String goals = FailoverReport.goals(run(samples, List.of(42L), 503));

        assertThat(goals)
                .contains("| 0 | **1** of 1 (0 answered stale) | **no** |")
                .contains("**never** after the kill")
                .doesNotContain("| **never** after the kill | yes |")
                .contains("the others: 500 ×1, 503 without Retry-After ×1 | **no** |")
                .contains("**1** of 3 members written | **no** |")
                .contains("| 0 | **1** of 1 (failback answered 503 in 500 ms) | **no** |");
    }

    private static FailoverReport.Run run(List<Sample> samples, List<Long> lost, int failbackStatus) {
        Timeline timeline = new Timeline(samples, Timeline.BUCKET, Duration.ofSeconds(20));
        return new FailoverReport.Run(
                timeline,
                1_000 * MS,
                0,
                WINDOW,
                1_000_000L,
                Optional.of(new FailoverAdmin.Switch(
                        "A",
                        "B",
                        2,
                        "master unreachable for 620 ms (automatic)",
                        "failover-leader A-1",
                        Instant.ofEpochMilli(1_000_900L))),
                15_000 * MS,
                15_500 * MS,
                failbackStatus,
                lost,
                3);
    }
}
