package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;

import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Sample.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FloodReportTest {

    private static final long MS = 1_000_000;

    @Test
    void theVerdictComparesTheFloodedP99WithTheQuietOneOfTheSameRun() {
        FloodReport.Phase quiet = phase(10, 0);
        FloodReport.Phase flooded = phase(14, 0);
        FloodReport.Phase tooSlow = phase(16, 0);

        assertThat(new FloodReport.Result(quiet, flooded).p99Ratio()).isEqualTo(1.4);
        assertThat(new FloodReport.Result(quiet, flooded).met()).isTrue();
        assertThat(new FloodReport.Result(quiet, tooSlow).met()).isFalse();
    }

    @Test
    void anOrderRequestNotAnswered200IsAnErrorAndFailsTheGoalWhateverTheP99() {
        FloodReport.Phase withErrors = phase(10, 2);

        assertThat(withErrors.errors()).isEqualTo(2);
        assertThat(withErrors.latency(s -> true).count())
                .as("only answered requests have an answer time")
                .isEqualTo(100);
        assertThat(new FloodReport.Result(phase(10, 0), withErrors).met()).isFalse();
    }

    @Test
    void theFloodTableSaysHowManyTimesItsCapTheFloodSentAndWhatWasAdmitted() {
        HeyFlood.Plan plan = new HeyFlood.Plan("one member", "GET", "http://x/v1/members/1", null, 10, 50);
        HeyFlood.Result sent = new HeyFlood.Result(plan, 500, Map.of(200, 1_600L, 429, 14_400L), 32);
        FloodReport.Phase flooded = new FloodReport.Phase(samples(10, 0), 0, List.of(sent), Optional.empty());

        String markdown = FloodReport.markdown(
                new FloodReport.Result(phase(10, 0), flooded),
                150,
                java.time.Duration.ofSeconds(30),
                3,
                java.time.Duration.ofSeconds(15),
                20_000,
                0.8,
                io.membercenter.bench.report.RunEnvironment.capture(List.of("flood")));

        assertThat(markdown).contains("| one member `GET` | 500 | 500 | 10.0 | 50.0 | 450.0 | 0 |");
        assertThat(markdown).contains("| ORDER p99 flooded ≤ 1.5 × quiet | 10.0 ms | 10.0 ms | ×1.00 | yes |");
    }

    @Test
    void slicesOfAPhaseAreOnePhaseWithEveryRequestAndEachFloodsAnswersSummedPerPlan() {
        HeyFlood.Plan plan = new HeyFlood.Plan("one member", "GET", "http://x/v1/members/1", null, 10, 50);
        FloodReport.Phase first = new FloodReport.Phase(
                samples(10, 1),
                2,
                List.of(new HeyFlood.Result(plan, 400, Map.of(200, 500L, 429, 3_500L), 10)),
                Optional.of(new io.membercenter.bench.report.MachineLoad(
                        0.8, 1.0, 1.9, 2, java.util.OptionalDouble.empty())));
        FloodReport.Phase second = new FloodReport.Phase(
                samples(20, 0),
                0,
                List.of(new HeyFlood.Result(plan, 500, Map.of(200, 500L, 429, 4_500L), 10)),
                Optional.of(new io.membercenter.bench.report.MachineLoad(
                        0.6, 1.2, 1.9, 2, java.util.OptionalDouble.empty())));

        FloodReport.Phase whole = FloodReport.Phase.of(List.of(first, second));

        assertThat(whole.order()).hasSize(first.order().size() + second.order().size());
        assertThat(whole.errors()).as("1 failed and 2 unanswered").isEqualTo(3);
        assertThat(whole.floods()).singleElement().satisfies(flood -> {
            assertThat(flood.statuses()).containsEntry(200, 1_000L).containsEntry(429, 8_000L);
            assertThat(flood.seconds()).isEqualTo(20);
            assertThat(flood.sentPerSecond()).isEqualTo(450);
        });
        assertThat(whole.cpu()).hasValueSatisfying(cpu -> {
            assertThat(cpu.benchJvm()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(cpu.servers()).isCloseTo(1.1, org.assertj.core.data.Offset.offset(1e-9));
        });
    }

    /** 100 answered ORDER reads, the slowest at {@code p99Millis} (nearest rank: the 99th of 100), and some failed. */
    private static FloodReport.Phase phase(long p99Millis, int failed) {
        return new FloodReport.Phase(samples(p99Millis, failed), 0, List.of(), Optional.empty());
    }

    private static List<Sample> samples(long p99Millis, int failed) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 98; i++) samples.add(new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 0, MS));
        samples.add(new Sample(Kind.READ_BY_ID, Outcome.OK, 200, 0, p99Millis * MS));
        samples.add(new Sample(Kind.WRITE, Outcome.OK, 200, 0, p99Millis * MS));
        for (int i = 0; i < failed; i++) samples.add(new Sample(Kind.READ_BY_ID, Outcome.FAILED, 500, 0, MS));
        return samples;
    }
}
