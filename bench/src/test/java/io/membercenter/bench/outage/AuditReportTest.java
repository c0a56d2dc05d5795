package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Sample.Outcome;
import io.membercenter.bench.report.RunEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditReportTest {

    private static final long MS = 1_000_000;
    private static final long SECOND = 1_000 * MS;

    @Test
    void theVerdictComparesOrdersP99WhileTheAuditRanWithTheQuietOneOfTheSameRun() {
        AuditReport.Result withinBound = result(phase(10, 0), phase(14, 0), audit(10_000, 25_000, 5 * SECOND));
        AuditReport.Result tooSlow = result(phase(10, 0), phase(16, 0), audit(10_000, 25_000, 5 * SECOND));

        assertThat(withinBound.p99Ratio()).isEqualTo(1.4);
        assertThat(AuditReport.goals(withinBound, settings(10_000, 2_000)))
                .contains("| ORDER p99 with the audit ≤ 1.5 × without | 10.0 ms | 14.0 ms | ×1.40 | yes |")
                .contains("| 10,000 of 10,000 | yes |");
        assertThat(AuditReport.goals(tooSlow, settings(10_000, 2_000))).contains("×1.60 | **no** |");
    }

    @Test
    void anOrderErrorWhileTheAuditRunsFailsItsGoalAndARunShortOfThePopulationFailsItsOwn() {
        AuditReport.Result result = result(phase(10, 0), phase(10, 3), audit(9_000, 25_000, 5 * SECOND));

        String goals = AuditReport.goals(result, settings(10_000, 2_000));

        assertThat(goals).contains("| ORDER errors while the audit runs: 0 | 0 | 3 | – | **no** |");
        assertThat(goals).contains("| 9,000 of 10,000 | **no** |");
    }

    @Test
    void theAuditsRateIsItsRowsOverTheTimeItsStepsRanAndTheThrottleIsNamedWhenItSetTheRate() {
        // 35,000 rows in 17.5 s of steps: 2,000 rows/s, the throttle's setting
        AuditReport.Result throttled = result(phase(10, 0), phase(10, 0), audit(10_000, 25_000, 17_500 * MS));
        // the same rows in 10 s under a throttle of 20,000: 3,500 rows/s, the machine's pace
        AuditReport.Result machineBound = result(phase(10, 0), phase(10, 0), audit(10_000, 25_000, 10 * SECOND));

        assertThat(throttled.rowsPerSecond()).isEqualTo(2_000);
        assertThat(throttled.membersPerSecond()).isEqualTo(10_000 / 17.5);
        assertThat(AuditReport.pace(throttled, settings(10_000, 2_000)))
                .contains("The throttle set the audit's rate")
                .contains("3.50 rows each")
                .contains("take 29 min");
        assertThat(AuditReport.pace(machineBound, settings(10_000, 20_000)))
                .contains("The machine, not the throttle, set the audit's rate")
                .contains("3,500 rows/s is 18 %");
    }

    @Test
    void slicesOfAPhaseAddUpTheirRequestsAndTheirTime() {
        AuditReport.Measured whole = AuditReport.Measured.of(List.of(phase(10, 0), phase(10, 1)));

        assertThat(whole.nanos()).isEqualTo(2 * SECOND);
        assertThat(whole.phase().order()).hasSize(201);
        assertThat(whole.answeredPerSecond()).as("200 answered in 2 s").isEqualTo(100);
    }

    @Test
    void consistencyIsShownPerStoreForTheDefaultMixAndForTheWholeRun() {
        ConsistencySnapshot whole = new ConsistencySnapshot(
                Map.of(
                        "redis-a", new ConsistencySnapshot.Counts(2_000, 2),
                        "search-primary", new ConsistencySnapshot.Counts(1_000, 0)),
                2);
        ConsistencySnapshot during =
                new ConsistencySnapshot(Map.of("redis-a", new ConsistencySnapshot.Counts(1_000, 1)), 2);
        AuditReport.Result result = new AuditReport.Result(
                phase(10, 0), phase(10, 0), audit(10_000, 25_000, SECOND), phase(10, 0), during, whole);

        String table = AuditReport.consistencyTable(result);

        assertThat(table).contains("| redis-a | 1,000 | 1 | 3.00 | 2,000 | 2 | 3.00 |");
        assertThat(table).contains("| search-primary | 0 | 0 | 0.00 | 1,000 | 0 | 3.00 |");
    }

    @Test
    void theSectionSaysWhereTheLoadGeneratorRanAndTheSettingsOfTheAuditAndTheChecker() {
        String markdown = AuditReport.markdown(
                result(phase(10, 0), phase(12, 0), audit(10_000, 25_000, 17_500 * MS)),
                settings(10_000, 2_000),
                RunEnvironment.capture(List.of("audit", "--members", "10000")));

        assertThat(markdown)
                .startsWith("## audit: the relationship audit over 10,000 members")
                .contains("one virtual thread per request in the service's JVM")
                .contains("`member-center.governance.rows-per-second=2000`")
                .contains("`replication-window=4s`")
                .contains("command: `./mc bench audit --members 10000`");
    }

    private static AuditReport.Settings settings(int members, int rowsPerSecond) {
        return new AuditReport.Settings(
                members,
                150,
                Duration.ofSeconds(20),
                Duration.ofSeconds(30),
                Duration.ofSeconds(20),
                rowsPerSecond,
                Duration.ZERO,
                100,
                Duration.ofSeconds(60),
                Duration.ofSeconds(4));
    }

    private static AuditReport.Result result(
            AuditReport.Measured quiet, AuditReport.Measured audited, AuditSteps.Progress audit) {
        ConsistencySnapshot none = new ConsistencySnapshot(Map.of(), 0);
        return new AuditReport.Result(quiet, audited, audit, phase(10, 0), none, none);
    }

    private static AuditSteps.Progress audit(long members, long entries, long nanos) {
        return AuditSteps.Progress.NONE.plus(
                new AuditSteps.Step(200, "1", 1024, 1024, 12, members, entries, 0, 0), nanos);
    }

    /** One second of 100 answered ORDER requests, the slowest at {@code p99Millis}, and some failed. */
    private static AuditReport.Measured phase(long p99Millis, int failed) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 98; i++) samples.add(new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 0, MS));
        samples.add(new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 0, p99Millis * MS));
        samples.add(new Sample(Kind.WRITE, Outcome.OK, 200, 0, p99Millis * MS));
        for (int i = 0; i < failed; i++) samples.add(new Sample(Kind.READ_BY_ID, Outcome.FAILED, 500, 0, MS));
        return new AuditReport.Measured(new FloodReport.Phase(samples, 0, List.of(), Optional.empty()), SECOND);
    }
}
