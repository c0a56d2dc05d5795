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

    @Test
    void theMasterKillKeepsTheSectionAndPhasesItHadBeforeTheScenarios() {
        List<Sample> samples = List.of(
                new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 2_000 * MS, 2_010 * MS),
                new Sample(Kind.WRITE, Outcome.REFUSED, 503, 5_100 * MS, 5_102 * MS),
                new Sample(Kind.WRITE, Outcome.OK, 200, 5_900 * MS, 6_200 * MS),
                new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 15_200 * MS, 15_205 * MS),
                new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 17_000 * MS, 17_004 * MS));
        FailoverReport.Run run = run(samples, List.of(), 200);

        assertThat(FailoverScenario.MYSQL_A.section()).isEqualTo("failover");
        assertThat(FailoverScenario.MYSQL_A.chartFile()).isEqualTo("failover.svg");
        assertThat(FailoverReport.phases(run))
                .contains("| before | 1.0–5.0 | 1 (0) / 0 |")
                .contains("| kill → first write acknowledged | 5.0–6.2 | 0 (0) / 0 | 0.00 | 1 / 1 / 0 |")
                .contains("| B master, A away or rejoining | 6.2–15.0 |")
                .contains("| failback (and 1 s after) | 15.0–16.5 | 1 (0) / 0 |")
                .contains("| A master again | 16.5–20.0 | 1 (0) / 0 |");
    }

    @Test
    void aKilledSearchClusterIsJudgedByItsErrorsAndByWhoAnsweredItsLookups() {
        OutageWindow window = new OutageWindow(5_000 * MS, 5_001 * MS, 10_000 * MS, 12_000 * MS);
        List<Sample> samples = List.of(
                lookup("search-primary@A", 4_000, 4_010),
                // due after the kill, answered by the primary before it died: not a stand-in, not "answered again"
                lookup("search-primary@A", 5_000, 5_002),
                lookup("cache@A", 5_010, 5_011),
                lookup("search-backup@B", 5_050, 5_090),
                lookup("search-backup@B", 5_020, 5_300),
                new Sample(Kind.WRITE, Outcome.FAILED, 500, 6_000 * MS, 6_010 * MS),
                new Sample(Kind.WRITE, Outcome.OK, 200, 6_500 * MS, 6_520 * MS),
                lookup("search-backup@B", 10_500, 10_520),
                lookup("search-primary@A", 12_500, 12_505));
        FailoverReport.Run run = killed(FailoverScenario.SEARCH_PRIMARY, samples, window, 2);

        assertThat(FailoverReport.goals(run))
                .startsWith("| after the kill -9 of search-primary | goal | measured | met |")
                .contains(
                        "| read errors, from the kill to the end of the run | 0 | **0** of 6 (0 answered stale) | yes |")
                .contains("| write errors (not acknowledged), from the kill to the end of the run | 0 | **1** of 2 "
                        + "(500 ×1) | **no** |")
                .contains("| ≤ 3 s | **1520 ms** after the kill | yes |")
                .contains("| lookups by mobile answered by another search cluster: the first due after the kill | – "
                        + "| **90.0 ms** after the kill (`search-backup@B`) | – |")
                .contains("| `search-primary@A` answered lookups by mobile again: the first due after its restart "
                        + "was called | – | **2505 ms** after the restart was called, 505 ms after it was ready | – |")
                .doesNotContain("promotion", "failback");
        assertThat(FailoverReport.sources(run))
                .contains("| before | – | `search-primary@A` 1 |")
                .contains("| kill (and 1 s after) | – | `cache@A` 1 · `search-backup@B` 2 · `search-primary@A` 1 |")
                .contains("| search-primary starting | – | `search-backup@B` 1 |")
                .contains("| search-primary back | – | `search-primary@A` 1 |");
    }

    @Test
    void aStoreThatNeverAnswersAgainMissesItsRow() {
        OutageWindow window = new OutageWindow(5_000 * MS, 5_001 * MS, 10_000 * MS, 12_000 * MS);
        List<Sample> samples = List.of(
                new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 4_000 * MS, 4_001 * MS, "cache@A"),
                new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 13_000 * MS, 13_003 * MS, "db@A"));
        FailoverReport.Run run = killed(FailoverScenario.REDIS_A, samples, window, 0);

        assertThat(FailoverReport.goals(run))
                .contains("| reads by id answered by another copy (MariaDB, or B's Redis): the first due after the kill"
                        + " | – | **8003 ms** after the kill (`db@A`) | – |")
                .contains("| `cache@A` answered reads by id again: the first due after its restart was called | – | "
                        + "**never**, to the end of the run | **no** |")
                .contains("| 0 | **0** of 0 members written | **no** |");
        FailoverReport.Run readyAfterTheEnd = killed(
                FailoverScenario.REDIS_A,
                samples,
                new OutageWindow(5_000 * MS, 5_001 * MS, 10_000 * MS, 25_000 * MS),
                0);
        assertThat(FailoverReport.phases(readyAfterTheEnd))
                .contains("| redis-a starting | 10.0–20.0 | 1 (0) / 0 |")
                .contains("| redis-a back | 20.0–20.0 | 0 (0) / 0 |");
    }

    @Test
    void aSwitchoverReportsEachSwitchWithTheRequestsItFailedAndTheWritesItHeld() {
        List<Sample> samples = List.of(
                new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 4_000 * MS, 4_001 * MS),
                // held by the switchover, released after 700 ms
                new Sample(Kind.WRITE, Outcome.OK, 200, 5_100 * MS, 5_800 * MS),
                new Sample(Kind.WRITE, Outcome.OK, 200, 5_300 * MS, 5_810 * MS),
                new Sample(Kind.READ_BY_MOBILE, Outcome.OK, 200, 5_400 * MS, 5_410 * MS),
                // held past the write-hold by the failback, and refused; the next one inside its second after
                new Sample(Kind.WRITE, Outcome.REFUSED, 503, 15_100 * MS, 18_200 * MS),
                new Sample(Kind.WRITE, Outcome.OK, 200, 19_000 * MS, 19_010 * MS));
        FailoverScenario.PlannedSwitch toB =
                FailoverScenario.SWITCHOVER.switches().get(0);
        FailoverScenario.PlannedSwitch back =
                FailoverScenario.SWITCHOVER.switches().get(1);
        FailoverReport.Run run = new FailoverReport.Run(
                FailoverScenario.SWITCHOVER,
                new Timeline(samples, Timeline.BUCKET, Duration.ofSeconds(20)),
                1_000 * MS,
                0,
                Optional.empty(),
                List.of(
                        new FailoverReport.SwitchCall(toB, 5_000 * MS, 5_750 * MS, 200),
                        new FailoverReport.SwitchCall(back, 15_000 * MS, 18_100 * MS, 503)),
                1_000_000L,
                Optional.empty(),
                List.of(),
                3);

        assertThat(run.shaded()).isEqualTo(new OutageWindow(5_000 * MS, 5_750 * MS, 15_000 * MS, 18_100 * MS));
        assertThat(FailoverReport.goals(run))
                .startsWith("| through the switchover and the failback | goal | measured | met |")
                .contains("| read errors, from the switchover to the end of the run | 0 | **0** of 1 ")
                .contains("| write errors (not acknowledged), from the switchover to the end of the run | 0 | **1** "
                        + "of 4 (1 `503` + `Retry-After`) | **no** |")
                .contains("| planned switchover to B: requests failed while it ran (and 1 s after) | 0 | **0** of 3 "
                        + "(switchover answered 200 in 750 ms) | yes |")
                .contains("| planned failback to A: requests failed while it ran (and 1 s after) | 0 | **1** of 2 "
                        + "(failback answered 503 in 3100 ms) | **no** |")
                .contains("| writes held by the switchover: answer time of the writes due while it ran (and 1 s "
                        + "after), p99 / max | ≤ 3 s (a held write waits at most `write-hold`, then 503) | "
                        + "**700 / 700 ms** of 2 writes | yes |")
                .contains("**3100 / 3100 ms** of 2 writes | **no** |");
        assertThat(FailoverReport.phases(run))
                .contains("| switchover to B (and 1 s after) | 5.0–6.8 | 1 (0) / 0 |")
                .contains("| B master | 6.8–15.0 |")
                .contains("| failback (and 1 s after) | 15.0–19.1 |")
                .contains("| A master again | 19.1–20.0 | 0 (0) / 0 | 0.00 | 0 / 0 / 0 |");
    }

    @Test
    void everyScenarioWritesItsSectionWithTheMomentsOfItsPlan() {
        OutageSettings settings = new OutageSettings(20_000, 150, Duration.ofSeconds(20), Duration.ofSeconds(1), 4);
        RunEnvironment environment = RunEnvironment.capture(List.of("failover"));
        List<Sample> samples = List.of(
                new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 2_000 * MS, 2_010 * MS, "cache@A"),
                new Sample(Kind.WRITE, Outcome.OK, 200, 6_000 * MS, 6_010 * MS, "db@A"));
        for (FailoverScenario scenario : FailoverScenario.values()) {
            List<FailoverReport.SwitchCall> switches = new ArrayList<>();
            for (FailoverScenario.PlannedSwitch planned : scenario.switches()) {
                long at = planned.at(settings.length()).toNanos();
                switches.add(new FailoverReport.SwitchCall(planned, at, at + 300 * MS, 200));
            }
            FailoverReport.Run run = new FailoverReport.Run(
                    scenario,
                    new Timeline(samples, Timeline.BUCKET, settings.length()),
                    1_000 * MS,
                    0,
                    scenario.kill().map(kill -> WINDOW),
                    switches,
                    1_000_000L,
                    Optional.empty(),
                    List.of(),
                    1);

            String section = FailoverReport.markdown(run, settings, environment, "benchmarks/" + scenario.chartFile());

            assertThat(section)
                    .as(scenario.option())
                    .startsWith("## " + scenario.section() + ": ")
                    .contains("(benchmarks/" + scenario.chartFile() + ")")
                    .contains("| " + scenario.goalsHeading() + " | goal | measured | met |")
                    .doesNotContain("%s", "%d", "$s", "\n\n\n");
            assertThat(section.contains("### Who answered the reads"))
                    .as(scenario.option())
                    .isEqualTo(scenario.watch().isPresent());
        }
        assertThat(FailoverReport.markdown(run(samples, List.of(), 200), settings, environment, "c.svg"))
                .contains("gets SIGKILL at 5.0 s; it is started again at 10.0 s in the replica role")
                .contains("by hand (`POST /admin/failback/db`) at 15.0 s. Every write is kept with its nickname")
                .contains("- Moments: kill called at 5.0 s (returned at 5.0 s); restart called at 10.0 s, mysql-a "
                        + "ready at 12.0 s; failback called at 15.0 s, answered at 15.5 s.");
    }

    /** A run of a scenario that kills a store and calls nothing by hand, 20 s long. */
    private static FailoverReport.Run killed(
            FailoverScenario scenario, List<Sample> samples, OutageWindow window, long judged) {
        return new FailoverReport.Run(
                scenario,
                new Timeline(samples, Timeline.BUCKET, Duration.ofSeconds(20)),
                1_000 * MS,
                0,
                Optional.of(window),
                List.of(),
                1_000_000L,
                Optional.empty(),
                List.of(),
                judged);
    }

    private static Sample lookup(String source, long dueMillis, long doneMillis) {
        return new Sample(Kind.READ_BY_MOBILE, Outcome.OK, 200, dueMillis * MS, doneMillis * MS, source);
    }

    private static FailoverReport.Run run(List<Sample> samples, List<Long> lost, int failbackStatus) {
        Timeline timeline = new Timeline(samples, Timeline.BUCKET, Duration.ofSeconds(20));
        return new FailoverReport.Run(
                FailoverScenario.MYSQL_A,
                timeline,
                1_000 * MS,
                0,
                Optional.of(WINDOW),
                List.of(new FailoverReport.SwitchCall(
                        FailoverScenario.MYSQL_A.switches().getFirst(), 15_000 * MS, 15_500 * MS, failbackStatus)),
                1_000_000L,
                Optional.of(new FailoverAdmin.Switch(
                        "A",
                        "B",
                        2,
                        "master unreachable for 620 ms (automatic)",
                        "failover-leader A-1",
                        Instant.ofEpochMilli(1_000_900L))),
                lost,
                3);
    }
}
