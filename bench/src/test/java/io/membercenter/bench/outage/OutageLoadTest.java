package io.membercenter.bench.outage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.membercenter.bench.outage.OrderCalls.Answer;
import io.membercenter.bench.outage.Sample.Kind;
import io.membercenter.bench.outage.Sample.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OutageLoadTest {

    private static final Answer OK = new Answer(200, Outcome.OK);

    @Test
    void sendsAtTheAskedRateAndKeepsEveryRequestWithItsDueTime() {
        OutageLoad.Run run = new OutageLoad(500, 10_000, Duration.ofSeconds(1))
                .run(random -> new OutageLoad.Call(Kind.READ_BY_ID, () -> OK), System.nanoTime());

        assertThat(run.samples()).hasSize(500);
        assertThat(run.unanswered()).isZero();
        List<Long> dues = run.samples().stream().map(Sample::dueNanos).sorted().toList();
        // Request i is due at i / rate from the origin, whenever the previous ones answered.
        assertThat(dues.get(0)).isZero();
        assertThat(dues.get(250)).isEqualTo(500_000_000L);
        assertThat(run.samples()).allMatch(s -> s.outcome() == Outcome.OK && s.doneNanos() >= s.dueNanos());
    }

    @Test
    void keepsWhoAnsweredEachRequest() {
        Answer fromBackup = new Answer(200, Outcome.OK, "search-backup@B");

        OutageLoad.Run run = new OutageLoad(100, 10_000, Duration.ofMillis(100))
                .run(random -> new OutageLoad.Call(Kind.READ_BY_MOBILE, () -> fromBackup), System.nanoTime());

        assertThat(run.samples()).hasSize(10).allMatch(s -> s.source().equals("search-backup@B"));
    }

    @Test
    void chargesAStallToTheRequestsDueDuringIt() {
        long origin = System.nanoTime();
        Supplier<Answer> stallsUntil300ms = () -> {
            OutageLoad.sleepUntil(origin + 300_000_000L);
            return OK;
        };

        OutageLoad.Run run = new OutageLoad(100, 10_000, Duration.ofMillis(300))
                .run(random -> new OutageLoad.Call(Kind.WRITE, stallsUntil300ms), origin);

        // The first request waited the whole 300 ms, the one due at 200 ms about 100 ms.
        Sample first = run.samples().stream()
                .filter(s -> s.dueNanos() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(first.answerNanos()).isGreaterThanOrEqualTo(300_000_000L);
        assertThat(run.samples()).hasSize(30);
    }

    @Test
    void dropsRequestsDueWhileTheInFlightBoundIsReached() {
        OutageLoad.Run run = new OutageLoad(1_000, 2, Duration.ofMillis(200))
                .run(
                        random -> new OutageLoad.Call(Kind.WRITE, () -> {
                            OutageLoad.sleepUntil(System.nanoTime() + 100_000_000L);
                            return OK;
                        }),
                        System.nanoTime());

        long dropped = run.samples().stream()
                .filter(s -> s.outcome() == Outcome.DROPPED)
                .count();
        assertThat(run.samples()).hasSize(200);
        assertThat(dropped).isGreaterThan(180);
        assertThat(run.samples())
                .filteredOn(s -> s.outcome() == Outcome.DROPPED)
                .allMatch(s -> s.kind() == Kind.WRITE);
    }

    @Test
    void aClientThatThrowsIsARequestWithoutAnAnswer() {
        OutageLoad.Run run = new OutageLoad(100, 10, Duration.ofMillis(50))
                .run(
                        random -> new OutageLoad.Call(Kind.READ_BY_MOBILE, () -> {
                            throw new IllegalStateException("bug");
                        }),
                        System.nanoTime());

        assertThat(run.samples()).hasSize(5).allMatch(s -> s.outcome() == Outcome.FAILED && s.status() == 0);
    }

    @Test
    void theMixDrawsTheOrderShares() {
        SplittableRandom random = new SplittableRandom(11);
        int[] counts = new int[Kind.values().length];
        for (int i = 0; i < 100_000; i++) counts[OrderMix.draw(random).ordinal()]++;

        assertThat(counts[Kind.READ_BY_ID.ordinal()] / 1e5).isCloseTo(0.80, within(0.01));
        assertThat(counts[Kind.READ_BY_MOBILE.ordinal()] / 1e5).isCloseTo(0.15, within(0.01));
        assertThat(counts[Kind.WRITE.ordinal()] / 1e5).isCloseTo(0.05, within(0.005));
    }
}
