package io.membercenter.bench.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.membercenter.bench.flow.FlowReport.Measurement;
import io.membercenter.bench.report.RunEnvironment;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowReportTest {

    private static final FlowSettings SETTINGS = new FlowSettings(
            1,
            3,
            4,
            1,
            List.of(1, 2),
            List.of("--sun-misc-unsafe-memory-access=allow", "-Xmx1g"),
            "1.37",
            1_000_000_000L,
            1_024);

    private static final RunEnvironment ENVIRONMENT = new RunEnvironment(
            "2", "8.0 GiB", "Test CPU", "JDK 25", "-Xmx2g", "abc1234", "0.1 0.2 0.3", Instant.EPOCH, "./mc bench flow");

    private static final List<Measurement> RESULTS = List.of(
            new Measurement("empty", 1, 0.5, 0.1),
            new Measurement("noHotKeys", 1, 400.4, 10),
            new Measurement("oneHotKey", 1, 900, 20),
            new Measurement("batchOf20Keys", 1, 3_000.4, 50),
            new Measurement("oneHotKeyWithTokenStore", 1, 950, 30),
            new Measurement("empty", 2, 1.0, Double.NaN),
            new Measurement("noHotKeys", 2, 700, 10),
            new Measurement("oneHotKey", 2, 1_500, 20),
            new Measurement("batchOf20Keys", 2, 6_001, 80),
            new Measurement("oneHotKeyWithTokenStore", 2, 1_600, 30));

    @Test
    void eachRowIsReadAgainstTheEmptyMethodOfTheSameThreadCount() {
        String section = FlowReport.markdown(RESULTS, SETTINGS, ENVIRONMENT);

        assertThat(section)
                .contains("| case | what the check does | 1 thread: ns/op | over (a) | 2 threads: ns/op | over (a) |")
                .contains(
                        "| (a) empty method | JMH's floor: a benchmark method that does nothing | 0.5 ± 0.1 | – | 1.0 | – |")
                .contains("| 400 ± 10.0 | 400 ns (0.40 µs) | 700 ± 10.0 | 699 ns (0.70 µs) |")
                .contains("| 3,000 ± 50.0 | 3,000 ns (3.00 µs) | 6,001 ± 80.0 | 6,000 ns (6.00 µs) |")
                .contains("(e) one hot key, global cap in the token store");
    }

    @Test
    void theVerdictNamesTheMostExpensiveCheckAndWhetherItMetTheGoal() {
        assertThat(FlowReport.verdict(RESULTS))
                .startsWith("**Goal (issue 13): ≤ 5 µs per request — missed.**")
                .contains("1 thread 3.00 µs ((d) batch of 20 keys); 2 threads 6.00 µs ((d) batch of 20 keys)");

        assertThat(FlowReport.verdict(
                        RESULTS.stream().filter(m -> m.threads() == 1).toList()))
                .startsWith("**Goal (issue 13): ≤ 5 µs per request — met.**");
        assertThat(FlowReport.verdict(List.of())).contains("No result to compare.");
    }

    @Test
    void theSectionSaysHowItWasRunWithTheCommandTheMachineAndTheJmhSettings() {
        String section = FlowReport.markdown(RESULTS, SETTINGS, ENVIRONMENT);

        assertThat(section)
                .startsWith("## flow: the overhead of the flow-control check per request (JMH)")
                .contains("JMH 1.37, mode average time, 1 fork(s) per benchmark and thread count, warm-up 3 × 1 s,"
                        + " measurement 4 × 1 s; threads 1 and 2 (one JMH run each); forked JVMs with"
                        + " `--sun-misc-unsafe-memory-access=allow -Xmx1g`")
                .contains("- command: `./mc bench flow`")
                .contains("- machine: 2 cores (nproc), 8.0 GiB, Test CPU; load average 0.1 0.2 0.3")
                .contains("Every limit is 1,000,000,000");
    }

    @Test
    void aMissingResultIsADashNotAZero() {
        String section = FlowReport.markdown(
                List.of(new Measurement("empty", 1, 0.5, 0.1), new Measurement("oneHotKey", 1, 900, 20)),
                SETTINGS,
                ENVIRONMENT);

        assertThat(section).contains("| (b) no hot-key keys | ").contains("local share | – | – |");
    }

    @Test
    void theSettingsRefuseARunThatCouldNotMeasure() {
        assertThatThrownBy(() -> new FlowSettings(1, 3, 0, 1, List.of(1), List.of(), "1.37", 1, 1))
                .hasMessageContaining("--iterations");
        assertThatThrownBy(() -> new FlowSettings(1, 3, 4, 1, List.of(0), List.of(), "1.37", 1, 1))
                .hasMessageContaining("--threads");
        assertThat(SETTINGS.plannedSeconds(5)).isEqualTo(70);
    }
}
